namespace Microsoft.ML.GatedLinear.Galu;

/// <summary>A trained GaLU model, closed-form or gradient-trained: maps an input to its outputs. Thread-safe.</summary>
public interface IGaluPredictor
{
    /// <summary>Length of an input.</summary>
    int InputDimension { get; }

    /// <summary>Number of outputs (regression values or class logits).</summary>
    int Outputs { get; }

    /// <summary>Writes the outputs for <paramref name="x"/>.</summary>
    void Predict(ReadOnlySpan<float> x, Span<float> outputs);

    /// <summary>Writes the model in the MLGated format.</summary>
    void Save(Stream stream);
}
