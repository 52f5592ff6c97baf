using Microsoft.ML.Data;

namespace Microsoft.ML.Trainers.GatedLinear;

/// <summary>Computes a Gaussian prediction (mean and variance per dimension) from dense features.</summary>
internal delegate void GaussianScorer(ReadOnlySpan<float> features, Span<double> mean, Span<double> variance);

/// <summary>Appends <c>Score</c> and <c>Variance</c> (Single, or vectors of <c>dimension</c>).</summary>
internal sealed class RegressionMapper : OutputColumnsMapper
{
    public const string VarianceColumnName = "Variance";
    private readonly GaussianScorer _scorer;
    private readonly int _dimension;

    public RegressionMapper(DataViewSchema inputSchema, string featureColumnName, int modelFeatures, int dimension, GaussianScorer scorer)
        : base(inputSchema, featureColumnName, b => AddColumns(b, dimension))
    {
        ModelShape.RequireFeatureCount(FeatureColumn, FeatureCount, modelFeatures);
        _scorer = scorer;
        _dimension = dimension;
    }

    private static void AddColumns(DataViewSchema.Builder builder, int dimension)
    {
        DataViewType type = dimension == 1 ? NumberDataViewType.Single : new VectorDataViewType(NumberDataViewType.Single, dimension);
        builder.AddColumn(DefaultColumnNames.Score, type);
        builder.AddColumn(VarianceColumnName, type);
    }

    protected override Delegate?[] CreateActiveGetters(DataViewRow input, Func<int, bool> isActive)
    {
        var reader = new FeatureVectorReader(input, FeatureColumn);
        var features = new float[FeatureCount];
        double[] mean = new double[_dimension], variance = new double[_dimension];
        var prediction = new RowPrediction(input, () =>
        {
            reader.Read(features);
            _scorer(features, mean, variance);
        });
        return Getters(isActive, () => Getter(prediction, mean), () => Getter(prediction, variance));
    }

    private Delegate Getter(RowPrediction prediction, double[] source)
    {
        if (_dimension == 1)
        {
            return (ValueGetter<float>)((ref float value) =>
            {
                prediction.Ensure();
                value = (float)source[0];
            });
        }

        return (ValueGetter<VBuffer<float>>)((ref VBuffer<float> value) =>
        {
            prediction.Ensure();
            var editor = VBufferEditor.Create(ref value, _dimension);
            for (int i = 0; i < _dimension; i++)
            {
                editor.Values[i] = (float)source[i];
            }

            value = editor.Commit();
        });
    }
}
