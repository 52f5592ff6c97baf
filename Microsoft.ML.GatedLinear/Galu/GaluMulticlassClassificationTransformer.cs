using Microsoft.ML.Data;
using Microsoft.ML.GatedLinear.Data;
using Microsoft.ML.GatedLinear.Galu;
using System.Numerics.Tensors;

namespace Microsoft.ML.Trainers.GatedLinear;

/// <summary>A fitted multiclass GaLU classifier: <c>Score</c> (softmax probabilities) and a key <c>PredictedLabel</c>.</summary>
public sealed class GaluMulticlassClassificationTransformer : GatedLinearPredictionTransformer<IGaluPredictor>, ISavedTransformer<GaluMulticlassClassificationTransformer>
{
    internal GaluMulticlassClassificationTransformer(IGaluPredictor model, string featureColumnName, KeyDataViewType labelType, DataViewSchema.Annotations labelAnnotations)
        : base(model, featureColumnName, model.InputDimension)
    {
        LabelType = labelType;
        LabelAnnotations = labelAnnotations;
    }

    /// <summary>The key type of the training label, reused for <c>PredictedLabel</c>.</summary>
    public KeyDataViewType LabelType { get; }

    internal DataViewSchema.Annotations LabelAnnotations { get; }

    static string ISavedTransformer<GaluMulticlassClassificationTransformer>.Kind => "galu-multiclass";

    static GaluMulticlassClassificationTransformer ISavedTransformer<GaluMulticlassClassificationTransformer>.Read(BinaryReader reader)
    {
        string feature = reader.ReadString();
        (KeyDataViewType type, DataViewSchema.Annotations annotations) = ClassLabels.Read(reader);
        IGaluPredictor model = GaluModels.Read(reader);
        ClassLabels.RequireClassCount(type, model.Outputs);
        return new(model, feature, type, annotations);
    }

    void ISavedTransformer.Write(BinaryWriter writer)
    {
        writer.Write(FeatureColumnName);
        ClassLabels.Write(writer, LabelType, LabelAnnotations);
        GaluModels.Write(writer, Model);
    }

    private protected override OutputColumnsMapper CreateMapper(DataViewSchema inputSchema)
        => new MulticlassClassificationMapper(inputSchema, FeatureColumnName, Model.InputDimension, Model.Outputs, LabelType, LabelAnnotations, (features, probabilities) =>
        {
            Model.Predict(features, probabilities);
            TensorPrimitives.SoftMax(probabilities, probabilities);
        });
}
