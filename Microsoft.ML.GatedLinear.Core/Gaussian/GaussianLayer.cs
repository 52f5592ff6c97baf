using System.Numerics.Tensors;

namespace Microsoft.ML.GatedLinear.Gaussian;

/// <summary>
/// A layer of Gaussian GLN neurons: each has 2^s weight rows (one per context) over its m inputs, and
/// counts how often each row was updated (the pseudo-counts contextual bandits explore with). With weight
/// averaging, each row also has an averaged copy that predictions read.
/// </summary>
internal sealed class GaussianLayer
{
    // averagedWeights are required exactly when averagingHorizon (H of RecordUpdate) is positive.
    public GaussianLayer(int neuronCount, int inputCount, int contextCount, float[] weights, long[] updateCounts, float[]? averagedWeights = null, int averagingHorizon = 0)
    {
        if (weights.LongLength != (long)neuronCount * contextCount * inputCount || updateCounts.LongLength != (long)neuronCount * contextCount
            || (averagingHorizon > 0 ? averagedWeights?.LongLength != weights.LongLength : averagedWeights is not null))
        {
            throw new ArgumentException($"A layer of {neuronCount} neurons with {contextCount} contexts and {inputCount} inputs needs {(long)neuronCount * contextCount * inputCount} weights (and as many averaged ones exactly when it averages) and {(long)neuronCount * contextCount} counts.");
        }

        NeuronCount = neuronCount;
        InputCount = inputCount;
        ContextCount = contextCount;
        Weights = weights;
        UpdateCounts = updateCounts;
        AveragedWeights = averagedWeights;
        AveragingHorizon = averagingHorizon;
    }

    /// <summary>A layer whose every row starts at 1/m: the plain geometric average of its inputs.</summary>
    public static GaussianLayer Create(int neuronCount, int inputCount, int contextCount, int averagingHorizon)
    {
        var weights = new float[(long)neuronCount * contextCount * inputCount];
        weights.AsSpan().Fill(1f / inputCount);
        return new GaussianLayer(neuronCount, inputCount, contextCount, weights, new long[(long)neuronCount * contextCount], averagingHorizon > 0 ? (float[])weights.Clone() : null, averagingHorizon);
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

    /// <summary>H, or 0 when predictions read the learned rows.</summary>
    public int AveragingHorizon { get; }

    /// <summary>The row learning updates.</summary>
    public Span<float> ActiveRow(int neuron, int context)
        => Weights.AsSpan(RowStart(neuron, context), InputCount);

    /// <summary>The row predictions read: the averaged row when the layer averages, else the learned row.</summary>
    public Span<float> PredictionRow(int neuron, int context)
        => (AveragedWeights ?? Weights).AsSpan(RowStart(neuron, context), InputCount);

    /// <summary>
    /// Counts an update of the row just made and, when the layer averages, folds the row's new value into its
    /// average with weight 1/min(n, H) (n = the row's updates): the plain mean of its first H values, then an
    /// exponential average over roughly the last H.
    /// </summary>
    public void RecordUpdate(int neuron, int context)
    {
        long n = ++UpdateCounts[CountIndex(neuron, context)];
        if (AveragingHorizon > 0)
        {
            int start = RowStart(neuron, context);
            Span<float> average = AveragedWeights.AsSpan(start, InputCount);
            TensorPrimitives.Lerp(average, Weights.AsSpan(start, InputCount), 1f / Math.Min(n, AveragingHorizon), average);
        }
    }

    /// <summary>Updates applied so far to the row of <paramref name="neuron"/> for <paramref name="context"/>.</summary>
    public long UpdateCount(int neuron, int context) => UpdateCounts[CountIndex(neuron, context)];

    private int CountIndex(int neuron, int context) => neuron * ContextCount + context;

    private int RowStart(int neuron, int context) => CountIndex(neuron, context) * InputCount;
}
