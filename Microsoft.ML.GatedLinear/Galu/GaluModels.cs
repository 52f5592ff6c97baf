using Microsoft.ML.GatedLinear.Galu;
using Microsoft.ML.GatedLinear.Persistence;

namespace Microsoft.ML.Trainers.GatedLinear;

/// <summary>What the GaLU transformers and trainers share about their model, which is closed-form or deep.</summary>
internal static class GaluModels
{
    /// <summary>A copy of a deep network to continue training from, checked against the training rows.</summary>
    public static DeepGaluNetwork Copy(DeepGaluNetwork network, CursorRows rows)
    {
        ModelShape.RequireFeatureCount(rows.FeatureColumn, rows.FeatureCount, network.InputDimension);
        return ModelCopy.Of(network, (n, s) => n.Save(s), DeepGaluNetwork.Load);
    }

    /// <summary>Rows per step: a deep network's Adam mini-batch follows the learned rows, at most <paramref name="largestBatch"/>; a closed form accumulates any chunk.</summary>
    public static int BatchSize(IGaluPredictor model, CursorRows rows, int largestBatch)
        => model is DeepGaluNetwork ? DeepGaluNetwork.MiniBatchRows(rows.RowCount, largestBatch) : largestBatch;

    /// <summary>Writes which model it is, then the model.</summary>
    public static void Write(BinaryWriter writer, IGaluPredictor model)
    {
        writer.Write(model is ClosedFormGalu ? "closed" : "deep");
        model.Save(writer.BaseStream);
    }

    public static IGaluPredictor Read(BinaryReader reader) => reader.ReadString() switch
    {
        "closed" => ClosedFormGalu.Load(reader.BaseStream),
        "deep" => DeepGaluNetwork.Load(reader.BaseStream),
        var other => throw new ModelFormatException($"The model file holds an unknown GaLU model kind '{other}'."),
    };
}
