using Microsoft.ML.Data;
using Microsoft.ML.GatedLinear.Data;
using Microsoft.ML.GatedLinear.Galu;
using System.Numerics.Tensors;

namespace Microsoft.ML.GatedLinear.GaluTrainers;

/// <summary>
/// A fitted GaLU regression: appends <c>Score</c> (the prediction) and <c>Variance</c> (the training residual
/// variance: a GaLU network predicts no per-row uncertainty, so this is the same for every row).
/// </summary>
public sealed class GaluRegressionTransformer : GatedLinearPredictionTransformer<IGaluPredictor>
{
    internal GaluRegressionTransformer(IGaluPredictor model, string featureColumnName, double residualVariance)
        : base(model, featureColumnName, model.InputDimension)
    {
        ResidualVariance = residualVariance;
    }

    /// <summary>Mean squared training residual per output, reported as <c>Variance</c>.</summary>
    public double ResidualVariance { get; }

    private protected override OutputColumnsMapper CreateMapper(DataViewSchema inputSchema)
        => new RegressionMapper(inputSchema, FeatureColumnName, Model.InputDimension, Model.Outputs, (features, mean, variance) =>
        {
            Span<float> outputs = stackalloc float[Model.Outputs];
            Model.Predict(features, outputs);
            for (int o = 0; o < outputs.Length; o++)
            {
                mean[o] = outputs[o];
                variance[o] = ResidualVariance;
            }
        });
}

/// <summary>A fitted binary GaLU classifier (two softmax outputs): <c>Score</c> = logit₁ − logit₀, <c>Probability</c>, <c>PredictedLabel</c>.</summary>
public sealed class GaluBinaryClassificationTransformer : GatedLinearPredictionTransformer<IGaluPredictor>
{
    internal GaluBinaryClassificationTransformer(IGaluPredictor model, string featureColumnName)
        : base(model, featureColumnName, model.InputDimension)
    {
    }

    private protected override OutputColumnsMapper CreateMapper(DataViewSchema inputSchema)
        => new BinaryClassificationMapper(inputSchema, FeatureColumnName, Model.InputDimension, features =>
        {
            Span<float> logits = stackalloc float[2];
            Model.Predict(features, logits);
            return logits[1] - logits[0];
        });
}

/// <summary>A fitted multiclass GaLU classifier: <c>Score</c> (softmax probabilities) and a key <c>PredictedLabel</c>.</summary>
public sealed class GaluMulticlassClassificationTransformer : GatedLinearPredictionTransformer<IGaluPredictor>
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

    private protected override OutputColumnsMapper CreateMapper(DataViewSchema inputSchema)
        => new MulticlassClassificationMapper(inputSchema, FeatureColumnName, Model.InputDimension, Model.Outputs, LabelType, LabelAnnotations, (features, probabilities) =>
        {
            Model.Predict(features, probabilities);
            TensorPrimitives.SoftMax(probabilities, probabilities);
        });
}
