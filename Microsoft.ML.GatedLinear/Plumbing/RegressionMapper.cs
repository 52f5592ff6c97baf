using Microsoft.ML.Data;

namespace Microsoft.ML.Trainers.GatedLinear;

/// <summary>Computes a Gaussian prediction (mean and variance per dimension) from dense features.</summary>
internal delegate void GaussianScorer(ReadOnlySpan<float> features, Span<double> mean, Span<double> variance);

/// <summary>Computes the central interval of each dimension from its predicted mean and variance.</summary>
internal delegate void IntervalScorer(ReadOnlySpan<double> mean, ReadOnlySpan<double> variance, Span<double> lower, Span<double> upper);

/// <summary>
/// Appends <c>Score</c> and <c>Variance</c> (Single, or vectors of <c>dimension</c>), and <c>Lower</c> and
/// <c>Upper</c> when given an interval scorer.
/// </summary>
internal sealed class RegressionMapper : OutputColumnsMapper
{
    public const string VarianceColumnName = "Variance";
    public const string LowerColumnName = "Lower";
    public const string UpperColumnName = "Upper";
    private readonly GaussianScorer _scorer;
    private readonly IntervalScorer? _interval;
    private readonly int _dimension;

    public RegressionMapper(DataViewSchema inputSchema, string featureColumnName, int modelFeatures, int dimension, GaussianScorer scorer, IntervalScorer? interval = null)
        : base(inputSchema, featureColumnName, b => AddColumns(b, dimension, interval is not null))
    {
        ModelShape.RequireFeatureCount(FeatureColumn, FeatureCount, modelFeatures);
        _scorer = scorer;
        _interval = interval;
        _dimension = dimension;
    }

    private static void AddColumns(DataViewSchema.Builder builder, int dimension, bool interval)
    {
        DataViewType type = dimension == 1 ? NumberDataViewType.Single : new VectorDataViewType(NumberDataViewType.Single, dimension);
        builder.AddColumn(DefaultColumnNames.Score, type);
        builder.AddColumn(VarianceColumnName, type);
        if (interval)
        {
            builder.AddColumn(LowerColumnName, type);
            builder.AddColumn(UpperColumnName, type);
        }
    }

    protected override Delegate?[] CreateActiveGetters(DataViewRow input, Func<int, bool> isActive)
    {
        var reader = new FeatureVectorReader(input, FeatureColumn);
        var features = new float[FeatureCount];
        double[] mean = new double[_dimension], variance = new double[_dimension], lower = new double[_dimension], upper = new double[_dimension];
        var prediction = new RowPrediction(input, () =>
        {
            reader.ReadFinite(features);
            _scorer(features, mean, variance);
            _interval?.Invoke(mean, variance, lower, upper);
        });
        Func<Delegate>[] makers = [() => Getter(prediction, mean), () => Getter(prediction, variance)];
        return _interval is null ? Getters(isActive, makers) : Getters(isActive, [.. makers, () => Getter(prediction, lower), () => Getter(prediction, upper)]);
    }

    // A variance in label units is the square of the label's scale: labels near 1e20 give 1e40, beyond float. Saturate at
    // float's largest value rather than report an infinite variance for a finite prediction.
    private static float ToSingle(double value) => (float)Math.Clamp(value, -float.MaxValue, float.MaxValue);

    private Delegate Getter(RowPrediction prediction, double[] source)
    {
        if (_dimension == 1)
        {
            return (ValueGetter<float>)((ref float value) =>
            {
                prediction.Ensure();
                value = ToSingle(source[0]);
            });
        }

        return (ValueGetter<VBuffer<float>>)((ref VBuffer<float> value) =>
        {
            prediction.Ensure();
            var editor = VBufferEditor.Create(ref value, _dimension);
            for (int i = 0; i < _dimension; i++)
            {
                editor.Values[i] = ToSingle(source[i]);
            }

            value = editor.Commit();
        });
    }
}
