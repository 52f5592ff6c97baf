using Microsoft.ML.Data;
using Microsoft.ML.GatedLinear.Data;
using Microsoft.ML.GatedLinear.Galu;
using System.Numerics.Tensors;

namespace Microsoft.ML.Trainers.GatedLinear;

/// <summary>
/// A fitted GaLU regression: appends <c>Score</c> (the prediction) and <c>Variance</c> (the training residual
/// variance: a GaLU network predicts no per-row uncertainty, so this is the same for every row).
/// </summary>
public sealed class GaluRegressionTransformer : GatedLinearPredictionTransformer<IGaluPredictor>, ISavedTransformer<GaluRegressionTransformer>
{
    internal GaluRegressionTransformer(IGaluPredictor model, string featureColumnName, double residualVariance)
        : base(model, featureColumnName, model.InputDimension)
    {
        ResidualVariance = residualVariance;
    }

    /// <summary>Mean squared training residual per output, reported as <c>Variance</c>.</summary>
    public double ResidualVariance { get; }

    static string ISavedTransformer<GaluRegressionTransformer>.Kind => "galu-regression";

    static GaluRegressionTransformer ISavedTransformer<GaluRegressionTransformer>.Read(BinaryReader reader)
    {
        string feature = reader.ReadString();
        double variance = reader.ReadDouble();
        return new(GaluModels.Read(reader), feature, variance);
    }

    void ISavedTransformer.Write(BinaryWriter writer)
    {
        writer.Write(FeatureColumnName);
        writer.Write(ResidualVariance);
        GaluModels.Write(writer, Model);
    }

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
