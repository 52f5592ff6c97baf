using Microsoft.ML.GatedLinear.Persistence;

namespace Microsoft.ML.GatedLinear.Gating;

/// <summary>
/// The weights of a layer of gated neurons: neuron k has one row of InputCount weights per context, and a context
/// selects the one row that is read or changed for an example. Row-major [neuron][context][input].
/// </summary>
internal abstract class GatedLayer
{
    private protected GatedLayer(int neuronCount, int inputCount, int contextCount, float[] weights)
    {
        if (weights.LongLength != (long)neuronCount * contextCount * inputCount)
        {
            throw new ArgumentException($"A layer of {neuronCount} neurons with {contextCount} contexts and {inputCount} inputs needs {(long)neuronCount * contextCount * inputCount} weights, got {weights.LongLength}.");
        }

        NeuronCount = neuronCount;
        InputCount = inputCount;
        ContextCount = contextCount;
        Weights = weights;
    }

    public int NeuronCount { get; }

    /// <summary>Inputs per neuron: the outputs below (or the base predictions) and the bias inputs.</summary>
    public int InputCount { get; }

    public int ContextCount { get; }

    public float[] Weights { get; }

    /// <summary>The row of <paramref name="neuron"/> that <paramref name="context"/> selects.</summary>
    public Span<float> ActiveRow(int neuron, int context) => Weights.AsSpan(RowStart(neuron, context), InputCount);

    /// <summary>Takes <paramref name="other"/>'s learned state (a copy of this layer).</summary>
    public virtual void CopyFrom(GatedLayer other) => other.Weights.CopyTo(Weights, 0);

    /// <summary>Reads a layer's weights, checking their count against the layer's shape before allocating.</summary>
    public static float[] ReadWeights(PayloadReader r, string what, int neuronCount, int inputCount, int contextCount)
        => r.ReadSingleArray(what, PayloadReader.CheckedLength((long)neuronCount * contextCount * inputCount));

    /// <summary>Index of the [neuron, context] row among the layer's NeuronCount × ContextCount rows.</summary>
    private protected int RowIndex(int neuron, int context) => neuron * ContextCount + context;

    private protected int RowStart(int neuron, int context) => RowIndex(neuron, context) * InputCount;
}
