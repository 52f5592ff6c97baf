using Microsoft.ML.GatedLinear.Data;
using Microsoft.ML.GatedLinear.Gaussian;
using Microsoft.ML.GatedLinear.Persistence;

namespace Microsoft.ML.Trainers.GatedLinear;

/// <summary>
/// A fitted Gaussian GLN: appends <c>Score</c> (the predicted mean), <c>Variance</c> (the predictive variance) and,
/// unless <see cref="IntervalCoverage"/> is 0, <c>Lower</c> and <c>Upper</c> (the central interval meant to hold the
/// label with that probability), all Single, or known-size vectors of Single for a vector label, in the label's units.
/// </summary>
public sealed class GatedLinearRegressionTransformer : GatedLinearPredictionTransformer<GaussianGlnRegressor>, ISavedTransformer<GatedLinearRegressionTransformer>
{
    /// <summary>Name of the predicted-variance column.</summary>
    public const string VarianceColumnName = RegressionMapper.VarianceColumnName;

    /// <summary>Name of the interval's lower-bound column.</summary>
    public const string LowerColumnName = RegressionMapper.LowerColumnName;

    /// <summary>Name of the interval's upper-bound column.</summary>
    public const string UpperColumnName = RegressionMapper.UpperColumnName;

    internal GatedLinearRegressionTransformer(GaussianGlnRegressor model, string featureColumnName, double intervalCoverage)
        : base(model, featureColumnName, model.FeatureCount)
    {
        ValidateCoverage(intervalCoverage, nameof(intervalCoverage));
        IntervalCoverage = intervalCoverage;
    }

    /// <summary>
    /// The probability the <c>Lower</c>–<c>Upper</c> columns are meant to hold the label with (0: no such columns). How
    /// the interval is made: <see cref="GaussianPrediction.Interval"/>.
    /// </summary>
    public double IntervalCoverage { get; }

    /// <summary>This model with intervals of another coverage (0 for none); the model itself is shared, not copied.</summary>
    /// <param name="coverage">In [0, 1).</param>
    public GatedLinearRegressionTransformer WithIntervalCoverage(double coverage) => new(Model, FeatureColumnName, coverage);

    /// <summary>The exact decomposition of one predicted mean into per-feature contributions (original units).</summary>
    /// <param name="features">The feature values, as the feature column holds them.</param>
    /// <param name="dimension">The label dimension to explain (0 for a Single label).</param>
    public MeanAttribution Explain(ReadOnlySpan<float> features, int dimension = 0) => Model.Explain(features, dimension);

    static string ISavedTransformer<GatedLinearRegressionTransformer>.Kind => "regression";

    static GatedLinearRegressionTransformer ISavedTransformer<GatedLinearRegressionTransformer>.Read(BinaryReader reader)
    {
        string feature = reader.ReadString();
        double coverage = reader.ReadDouble();
        PayloadReader.ValidateOptions(() => ValidateCoverage(coverage, nameof(IntervalCoverage)));
        return new(GaussianGlnRegressor.Load(reader.BaseStream), feature, coverage);
    }

    void ISavedTransformer.Write(BinaryWriter writer)
    {
        writer.Write(FeatureColumnName);
        writer.Write(IntervalCoverage);
        Model.Save(writer.BaseStream);
    }

    internal static void ValidateCoverage(double coverage, string name)
    {
        if (!(coverage is >= 0 and < 1))
        {
            throw new ArgumentOutOfRangeException(name, coverage, "The interval coverage must lie in [0, 1); 0 leaves the Lower and Upper columns out.");
        }
    }

    private protected override OutputColumnsMapper CreateMapper(DataViewSchema inputSchema)
        => new RegressionMapper(inputSchema, FeatureColumnName, Model.FeatureCount, Model.TargetDimension, Model.Predict, IntervalCoverage > 0 ? Bounds : null);

    private void Bounds(ReadOnlySpan<double> mean, ReadOnlySpan<double> variance, Span<double> lower, Span<double> upper)
    {
        for (int d = 0; d < mean.Length; d++)
        {
            (lower[d], upper[d]) = Model.Interval(mean[d], variance[d], IntervalCoverage, d);
        }
    }
}
