using Microsoft.ML.Data;
using Microsoft.ML.GatedLinear.Bernoulli;
using Microsoft.ML.GatedLinear.Data;
using Microsoft.ML.GatedLinear.Numerics;

namespace Microsoft.ML.GatedLinear.Classification;

/// <summary>
/// A fitted binary B-GLN: appends <c>Score</c> (the output logit), <c>Probability</c> (σ of it) and
/// <c>PredictedLabel</c> (Score &gt; 0), the columns ML.NET's binary evaluator reads.
/// </summary>
public sealed class GatedLinearBinaryClassificationTransformer : GatedLinearPredictionTransformer<BernoulliGlnClassifier>
{
    internal GatedLinearBinaryClassificationTransformer(BernoulliGlnClassifier model, string featureColumnName)
        : base(model, featureColumnName, model.FeatureCount)
    {
    }

    /// <summary>The exact decomposition of one prediction's logit into per-feature contributions.</summary>
    /// <param name="features">The feature values, as the feature column holds them.</param>
    public LogitAttribution Explain(ReadOnlySpan<float> features) => Model.Explain(features, classIndex: 1);

    private protected override OutputColumnsMapper CreateMapper(DataViewSchema inputSchema) => new Mapper(this, inputSchema);

    private sealed class Mapper : OutputColumnsMapper
    {
        private readonly BernoulliGlnClassifier _model;

        public Mapper(GatedLinearBinaryClassificationTransformer parent, DataViewSchema inputSchema)
            : base(inputSchema, parent.FeatureColumnName, AddColumns)
        {
            _model = parent.Model;
            ModelShape.RequireFeatureCount(FeatureColumn, FeatureCount, _model.FeatureCount);
        }

        private static void AddColumns(DataViewSchema.Builder builder)
        {
            builder.AddColumn(DefaultColumnNames.Score, NumberDataViewType.Single);
            builder.AddColumn(DefaultColumnNames.Probability, NumberDataViewType.Single);
            builder.AddColumn(DefaultColumnNames.PredictedLabel, BooleanDataViewType.Instance);
        }

        public override Delegate CreateGetter(DataViewRow input, int outputIndex)
        {
            var reader = new FeatureVectorReader(input, FeatureColumn);
            var features = new float[FeatureCount];
            var logit = new float[1];
            float Logit()
            {
                reader.Read(features);
                _model.PredictLogits(features, logit);
                return logit[0];
            }

            return OutputSchema[outputIndex].Name switch
            {
                DefaultColumnNames.Score => (ValueGetter<float>)((ref float value) => value = Logit()),
                DefaultColumnNames.Probability => (ValueGetter<float>)((ref float value) => value = Logistic.Sigmoid(Logit())),
                _ => (ValueGetter<bool>)((ref bool value) => value = Logit() > 0),
            };
        }
    }
}
