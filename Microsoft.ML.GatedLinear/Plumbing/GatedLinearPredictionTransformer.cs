using Microsoft.ML.Data;
using Microsoft.ML.GatedLinear.Data;

namespace Microsoft.ML.Trainers.GatedLinear;

/// <summary>
/// The common face of the gated linear transformers: a row-to-row mapper (so PredictionEngine and
/// TransformerChain work) that appends prediction columns computed by a core model from one feature column.
/// </summary>
/// <typeparam name="TModel">The core model.</typeparam>
public abstract class GatedLinearPredictionTransformer<TModel> : ISingleFeaturePredictionTransformer<TModel>
    where TModel : class
{
    private protected GatedLinearPredictionTransformer(TModel model, string featureColumnName, int featureCount)
    {
        Model = model;
        FeatureColumnName = featureColumnName;
        FeatureColumnType = new VectorDataViewType(NumberDataViewType.Single, featureCount);
    }

    /// <summary>The trained core model.</summary>
    public TModel Model { get; }

    /// <summary>The feature column the model reads.</summary>
    public string FeatureColumnName { get; }

    /// <summary>A known-size vector of Single (a Single column is also accepted when the model has one feature).</summary>
    public DataViewType FeatureColumnType { get; }

    /// <summary>Always true: the transformer maps rows one at a time.</summary>
    public bool IsRowToRowMapper => true;

    /// <summary>The input schema with the prediction columns appended.</summary>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => CreateMapper(inputSchema).OutputSchema;

    /// <summary>The mapper PredictionEngine and TransformerChain use.</summary>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) => CreateMapper(inputSchema);

    /// <summary>A lazy view of <paramref name="input"/> with the prediction columns appended.</summary>
    /// <exception cref="NotSupportedException">When called by <c>MLContext.Model.ConvertToOnnx</c>: these transformers have no ONNX form.</exception>
    public IDataView Transform(IDataView input)
    {
        OnnxExportRefusal.ThrowIfExporting(this);
        return CreateMapper(input.Schema).Apply(input);
    }

    /// <summary>Always throws: ML.NET cannot serialize third-party transformers.</summary>
    /// <exception cref="NotSupportedException">Always; use <see cref="GatedLinearModel.Save(MLContext, ITransformer, DataViewSchema, string)"/> and <see cref="GatedLinearModel.Load(MLContext, string, out DataViewSchema)"/>.</exception>
    void ICanSaveModel.Save(ModelSaveContext ctx)
        => throw new NotSupportedException($"{GetType().Name} cannot be saved by MLContext.Model.Save (ML.NET keeps model serialization internal). Save the fitted model with Microsoft.ML.GatedLinearModel.Save(mlContext, model, inputSchema, path) and load it with GatedLinearModel.Load(mlContext, path, out inputSchema).");

    private protected abstract OutputColumnsMapper CreateMapper(DataViewSchema inputSchema);
}
