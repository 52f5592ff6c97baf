using System.Numerics.Tensors;

namespace Microsoft.ML.GatedLinear.Gaussian;

/// <summary>
/// A layer of Gaussian GLN neurons: each has 2^s weight rows (one per context) over its m inputs, and
/// counts how often each row was updated (the pseudo-counts contextual bandits explore with). With weight
/// averaging, each row also has an averaged copy that predictions read.
/// </summary>
internal sealed class GaussianLayer
{
    public GaussianLayer(int neuronCount, int inputCount, int contextCount, float[] weights, long[] updateCounts, float[]? averagedWeights = null)
    {
        if (weights.LongLength != (long)neuronCount * contextCount * inputCount || updateCounts.LongLength != (long)neuronCount * contextCount
            || (averagedWeights is not null && averagedWeights.LongLength != weights.LongLength))
        {
            throw new ArgumentException($"A layer of {neuronCount} neurons with {contextCount} contexts and {inputCount} inputs needs {(long)neuronCount * contextCount * inputCount} weights (and as many averaged ones, if any) and {(long)neuronCount * contextCount} counts.");
        }

        NeuronCount = neuronCount;
        InputCount = inputCount;
        ContextCount = contextCount;
        Weights = weights;
        UpdateCounts = updateCounts;
        AveragedWeights = averagedWeights;
    }

    /// <summary>A layer whose every row starts at 1/m: the plain geometric average of its inputs.</summary>
    public static GaussianLayer Create(int neuronCount, int inputCount, int contextCount, bool averaged)
    {
        var weights = new float[(long)neuronCount * contextCount * inputCount];
        weights.AsSpan().Fill(1f / inputCount);
        return new GaussianLayer(neuronCount, inputCount, contextCount, weights, new long[(long)neuronCount * contextCount], averaged ? (float[])weights.Clone() : null);
    }

    public int NeuronCount { get; }

    /// <summary>Inputs per neuron: the neurons below (or base models) and the bias Gaussians.</summary>
    public int InputCount { get; }

    public int ContextCount { get; }

    public float[] Weights { get; }

    /// <summary>Updates applied to each [neuron, context] row.</summary>
    public long[] UpdateCounts { get; }

    /// <summary>The averaged rows (same layout as <see cref="Weights"/>), or null when the layer does not average.</summary>
    public float[]? AveragedWeights { get; }

    /// <summary>The row learning updates.</summary>
    public Span<float> ActiveRow(int neuron, int context)
        => Weights.AsSpan(RowStart(neuron, context), InputCount);

    /// <summary>The row predictions read: the averaged row when the layer averages, else the learned row.</summary>
    public Span<float> PredictionRow(int neuron, int context)
        => (AveragedWeights ?? Weights).AsSpan(RowStart(neuron, context), InputCount);

    /// <summary>
    /// Folds the row's value after its n-th update into its average with weight 1/min(n, H): the plain mean of
    /// its first H values, then an exponential average over roughly the last H.
    /// </summary>
    public void Average(int neuron, int context, long n, int horizon)
    {
        int start = RowStart(neuron, context);
        Span<float> average = AveragedWeights.AsSpan(start, InputCount);
        TensorPrimitives.Lerp(average, Weights.AsSpan(start, InputCount), 1f / Math.Min(n, horizon), average);
    }

    private int RowStart(int neuron, int context) => (neuron * ContextCount + context) * InputCount;
}
