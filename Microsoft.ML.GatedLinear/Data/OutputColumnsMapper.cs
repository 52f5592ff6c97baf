using Microsoft.ML.Data;

namespace Microsoft.ML.GatedLinear.Data;

/// <summary>
/// A row-to-row mapper that passes every input column through and appends prediction columns computed
/// from one feature column. ML.NET's PredictionEngine and TransformerChain drive it directly.
/// </summary>
internal abstract class OutputColumnsMapper : IRowToRowMapper
{
    protected OutputColumnsMapper(DataViewSchema inputSchema, string featureColumnName, Action<DataViewSchema.Builder> addOutputs)
    {
        InputSchema = inputSchema;
        FeatureColumn = inputSchema.GetColumnOrNull(featureColumnName)
            ?? throw new ArgumentOutOfRangeException(nameof(featureColumnName), $"Feature column '{featureColumnName}' is not in the input data.");
        FeatureCount = FeatureVectorReader.FeatureCount(FeatureColumn);
        var builder = new DataViewSchema.Builder();
        builder.AddColumns(inputSchema);
        addOutputs(builder);
        OutputSchema = builder.ToSchema();
    }

    public DataViewSchema InputSchema { get; }

    public DataViewSchema OutputSchema { get; }

    public DataViewSchema.Column FeatureColumn { get; }

    public int FeatureCount { get; }

    public IEnumerable<DataViewSchema.Column> GetDependencies(IEnumerable<DataViewSchema.Column> dependingColumns)
    {
        var needed = new List<DataViewSchema.Column>();
        bool anyOutput = false;
        foreach (DataViewSchema.Column column in dependingColumns)
        {
            if (column.Index < InputSchema.Count)
            {
                needed.Add(InputSchema[column.Index]);
            }
            else
            {
                anyOutput = true;
            }
        }

        if (anyOutput && needed.All(c => c.Index != FeatureColumn.Index))
        {
            needed.Add(FeatureColumn);
        }

        return needed;
    }

    public DataViewRow GetRow(DataViewRow input, IEnumerable<DataViewSchema.Column> activeColumns)
        => new MappedRow(this, input, activeColumns.Select(c => c.Index).ToHashSet());

    /// <summary>
    /// A getter for output column <paramref name="outputIndex"/> on <paramref name="input"/>. Getters read
    /// the features anew on every call: PredictionEngine refills one input row between calls.
    /// </summary>
    public abstract Delegate CreateGetter(DataViewRow input, int outputIndex);

    /// <summary>A data view: the input with the prediction columns appended.</summary>
    public IDataView Apply(IDataView input) => new MappedDataView(input, this);
}
