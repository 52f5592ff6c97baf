using Microsoft.ML.Data;
using Microsoft.ML.GatedLinear.Data;
using Microsoft.ML.GatedLinear.Gaussian;

namespace Microsoft.ML.GatedLinear.Regression;

/// <summary>
/// A fitted Gaussian GLN: appends <c>Score</c> (the predicted mean) and <c>Variance</c> (the predictive
/// variance), both Single, or known-size vectors of Single for a vector label, in the label's units.
/// </summary>
public sealed class GatedLinearRegressionTransformer : GatedLinearPredictionTransformer<GaussianGlnRegressor>
{
    /// <summary>Name of the predicted-variance column.</summary>
    public const string VarianceColumnName = "Variance";

    internal GatedLinearRegressionTransformer(GaussianGlnRegressor model, string featureColumnName)
        : base(model, featureColumnName, model.FeatureCount)
    {
    }

    /// <summary>The exact decomposition of one predicted mean into per-feature contributions (original units).</summary>
    /// <param name="features">The feature values, as the feature column holds them.</param>
    /// <param name="dimension">The label dimension to explain (0 for a Single label).</param>
    public MeanAttribution Explain(ReadOnlySpan<float> features, int dimension = 0) => Model.Explain(features, dimension);

    private protected override OutputColumnsMapper CreateMapper(DataViewSchema inputSchema) => new Mapper(this, inputSchema);

    private sealed class Mapper : OutputColumnsMapper
    {
        private readonly GaussianGlnRegressor _model;

        public Mapper(GatedLinearRegressionTransformer parent, DataViewSchema inputSchema)
            : base(inputSchema, parent.FeatureColumnName, b => AddColumns(b, parent.Model.TargetDimension))
        {
            _model = parent.Model;
            ModelShape.RequireFeatureCount(FeatureColumn, FeatureCount, _model.FeatureCount);
        }

        private static void AddColumns(DataViewSchema.Builder builder, int dimension)
        {
            DataViewType type = dimension == 1 ? NumberDataViewType.Single : new VectorDataViewType(NumberDataViewType.Single, dimension);
            builder.AddColumn(DefaultColumnNames.Score, type);
            builder.AddColumn(VarianceColumnName, type);
        }

        public override Delegate CreateGetter(DataViewRow input, int outputIndex)
        {
            var reader = new FeatureVectorReader(input, FeatureColumn);
            int d = _model.TargetDimension;
            var features = new float[FeatureCount];
            double[] mean = new double[d], variance = new double[d];
            bool wantsVariance = OutputSchema[outputIndex].Name == VarianceColumnName;
            void Predict()
            {
                reader.Read(features);
                _model.Predict(features, mean, variance);
            }

            double[] source = wantsVariance ? variance : mean;
            if (d == 1)
            {
                return (ValueGetter<float>)((ref float value) =>
                {
                    Predict();
                    value = (float)source[0];
                });
            }

            return (ValueGetter<VBuffer<float>>)((ref VBuffer<float> value) =>
            {
                Predict();
                var editor = VBufferEditor.Create(ref value, d);
                for (int i = 0; i < d; i++)
                {
                    editor.Values[i] = (float)source[i];
                }

                value = editor.Commit();
            });
        }
    }
}
