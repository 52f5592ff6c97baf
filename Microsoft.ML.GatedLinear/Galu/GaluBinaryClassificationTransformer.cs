using Microsoft.ML.Data;
using Microsoft.ML.GatedLinear.Data;
using Microsoft.ML.GatedLinear.Galu;
using System.Numerics.Tensors;

namespace Microsoft.ML.Trainers.GatedLinear;

/// <summary>A fitted binary GaLU classifier (two softmax outputs): <c>Score</c> = logit₁ − logit₀, <c>Probability</c>, <c>PredictedLabel</c>.</summary>
public sealed class GaluBinaryClassificationTransformer : GatedLinearPredictionTransformer<IGaluPredictor>, ISavedTransformer<GaluBinaryClassificationTransformer>
{
    internal GaluBinaryClassificationTransformer(IGaluPredictor model, string featureColumnName)
        : base(model, featureColumnName, model.InputDimension)
    {
    }

    static string ISavedTransformer<GaluBinaryClassificationTransformer>.Kind => "galu-binary";

    static GaluBinaryClassificationTransformer ISavedTransformer<GaluBinaryClassificationTransformer>.Read(BinaryReader reader)
    {
        string feature = reader.ReadString();
        return new(GaluModels.Read(reader), feature);
    }

    void ISavedTransformer.Write(BinaryWriter writer)
    {
        writer.Write(FeatureColumnName);
        GaluModels.Write(writer, Model);
    }

    private protected override OutputColumnsMapper CreateMapper(DataViewSchema inputSchema)
        => new BinaryClassificationMapper(inputSchema, FeatureColumnName, Model.InputDimension, features =>
        {
            Span<float> logits = stackalloc float[2];
            Model.Predict(features, logits);
            return logits[1] - logits[0];
        });
}
