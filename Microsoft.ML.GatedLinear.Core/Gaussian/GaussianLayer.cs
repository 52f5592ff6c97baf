namespace Microsoft.ML.GatedLinear.Gaussian;

/// <summary>
/// A layer of Gaussian GLN neurons: each has 2^s weight rows (one per context) over its m inputs, and
/// counts how often each row was updated (the pseudo-counts contextual bandits explore with).
/// </summary>
internal sealed class GaussianLayer
{
    public GaussianLayer(int neuronCount, int inputCount, int contextCount, float[] weights, long[] updateCounts)
    {
        if (weights.LongLength != (long)neuronCount * contextCount * inputCount || updateCounts.LongLength != (long)neuronCount * contextCount)
        {
            throw new ArgumentException($"A layer of {neuronCount} neurons with {contextCount} contexts and {inputCount} inputs needs {(long)neuronCount * contextCount * inputCount} weights and {(long)neuronCount * contextCount} counts.");
        }

        NeuronCount = neuronCount;
        InputCount = inputCount;
        ContextCount = contextCount;
        Weights = weights;
        UpdateCounts = updateCounts;
    }

    /// <summary>A layer whose every row starts at 1/m: the plain geometric average of its inputs.</summary>
    public static GaussianLayer Create(int neuronCount, int inputCount, int contextCount)
    {
        var weights = new float[(long)neuronCount * contextCount * inputCount];
        weights.AsSpan().Fill(1f / inputCount);
        return new GaussianLayer(neuronCount, inputCount, contextCount, weights, new long[(long)neuronCount * contextCount]);
    }

    public int NeuronCount { get; }

    /// <summary>Inputs per neuron: the neurons below (or base models) and the bias Gaussians.</summary>
    public int InputCount { get; }

    public int ContextCount { get; }

    public float[] Weights { get; }

    /// <summary>Updates applied to each [neuron, context] row.</summary>
    public long[] UpdateCounts { get; }

    public Span<float> ActiveRow(int neuron, int context)
        => Weights.AsSpan((neuron * ContextCount + context) * InputCount, InputCount);
}
