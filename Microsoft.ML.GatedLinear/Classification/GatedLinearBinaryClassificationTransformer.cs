using Microsoft.ML.Data;
using Microsoft.ML.GatedLinear.Bernoulli;
using Microsoft.ML.GatedLinear.Data;

namespace Microsoft.ML.Trainers.GatedLinear;

/// <summary>
/// A fitted binary B-GLN: appends <c>Score</c> (the output logit), <c>Probability</c> (σ of it) and
/// <c>PredictedLabel</c> (Score &gt; 0), the columns ML.NET's binary evaluator reads.
/// </summary>
public sealed class GatedLinearBinaryClassificationTransformer : GatedLinearPredictionTransformer<BernoulliGlnClassifier>, ISavedTransformer<GatedLinearBinaryClassificationTransformer>
{
    internal GatedLinearBinaryClassificationTransformer(BernoulliGlnClassifier model, string featureColumnName)
        : base(model, featureColumnName, model.FeatureCount)
    {
    }

    /// <summary>The exact decomposition of one prediction's logit into per-feature contributions.</summary>
    /// <param name="features">The feature values, as the feature column holds them.</param>
    public LogitAttribution Explain(ReadOnlySpan<float> features) => Model.Explain(features, classIndex: 1);

    static string ISavedTransformer<GatedLinearBinaryClassificationTransformer>.Kind => "binary";

    static GatedLinearBinaryClassificationTransformer ISavedTransformer<GatedLinearBinaryClassificationTransformer>.Read(BinaryReader reader)
    {
        string feature = reader.ReadString();
        return new(BernoulliGlnClassifier.Load(reader.BaseStream), feature);
    }

    void ISavedTransformer.Write(BinaryWriter writer)
    {
        writer.Write(FeatureColumnName);
        Model.Save(writer.BaseStream);
    }

    private protected override OutputColumnsMapper CreateMapper(DataViewSchema inputSchema)
    {
        return new BinaryClassificationMapper(inputSchema, FeatureColumnName, Model.FeatureCount, features =>
        {
            Span<float> value = stackalloc float[1];
            Model.PredictLogits(features, value);
            return value[0];
        });
    }
}
