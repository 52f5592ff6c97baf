using Microsoft.ML.GatedLinear.Data;
using Microsoft.ML.GatedLinear.Gaussian;

namespace Microsoft.ML.Trainers.GatedLinear;

/// <summary>
/// A fitted Gaussian GLN: appends <c>Score</c> (the predicted mean) and <c>Variance</c> (the predictive
/// variance), both Single, or known-size vectors of Single for a vector label, in the label's units.
/// </summary>
public sealed class GatedLinearRegressionTransformer : GatedLinearPredictionTransformer<GaussianGlnRegressor>, ISavedTransformer<GatedLinearRegressionTransformer>
{
    /// <summary>Name of the predicted-variance column.</summary>
    public const string VarianceColumnName = RegressionMapper.VarianceColumnName;

    internal GatedLinearRegressionTransformer(GaussianGlnRegressor model, string featureColumnName)
        : base(model, featureColumnName, model.FeatureCount)
    {
    }

    /// <summary>The exact decomposition of one predicted mean into per-feature contributions (original units).</summary>
    /// <param name="features">The feature values, as the feature column holds them.</param>
    /// <param name="dimension">The label dimension to explain (0 for a Single label).</param>
    public MeanAttribution Explain(ReadOnlySpan<float> features, int dimension = 0) => Model.Explain(features, dimension);

    static string ISavedTransformer<GatedLinearRegressionTransformer>.Kind => "regression";

    static GatedLinearRegressionTransformer ISavedTransformer<GatedLinearRegressionTransformer>.Read(BinaryReader reader)
    {
        string feature = reader.ReadString();
        return new(GaussianGlnRegressor.Load(reader.BaseStream), feature);
    }

    void ISavedTransformer.Write(BinaryWriter writer)
    {
        writer.Write(FeatureColumnName);
        Model.Save(writer.BaseStream);
    }

    private protected override OutputColumnsMapper CreateMapper(DataViewSchema inputSchema)
        => new RegressionMapper(inputSchema, FeatureColumnName, Model.FeatureCount, Model.TargetDimension, Model.Predict);
}
