using Microsoft.ML.Data;

namespace Microsoft.ML.Trainers.GatedLinear;

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
    /// Getters for the output columns of <paramref name="input"/> (indexed by output column; null where inactive). They
    /// share one prediction per input position: a row's Score, Probability and PredictedLabel run the model once.
    /// </summary>
    public Delegate?[] CreateGetters(DataViewRow input, Func<int, bool> isActive)
        => Enumerable.Range(InputSchema.Count, OutputSchema.Count - InputSchema.Count).Any(isActive)
            ? CreateActiveGetters(input, isActive)
            : new Delegate?[OutputSchema.Count];

    /// <summary><see cref="CreateGetters"/> when some output is active (so the feature column is too).</summary>
    protected abstract Delegate?[] CreateActiveGetters(DataViewRow input, Func<int, bool> isActive);

    /// <summary>The getters array for <see cref="CreateGetters"/>: output column k (in the order added) gets <paramref name="makers"/>[k]() when active.</summary>
    protected Delegate?[] Getters(Func<int, bool> isActive, params Func<Delegate>[] makers)
    {
        var getters = new Delegate?[OutputSchema.Count];
        for (int k = 0; k < makers.Length; k++)
        {
            if (isActive(InputSchema.Count + k))
            {
                getters[InputSchema.Count + k] = makers[k]();
            }
        }

        return getters;
    }

    /// <summary>A data view: the input with the prediction columns appended.</summary>
    public IDataView Apply(IDataView input) => new MappedDataView(input, this);
}
