namespace Microsoft.ML.GatedLinear.Bernoulli;

/// <summary>
/// A layer of Bernoulli neurons. Each neuron has a table of 2^s weight rows, one per context;
/// only the row its context selects is read or changed for a given example.
/// </summary>
internal sealed class BernoulliLayer
{
    // [neuron][context][input], row-major.
    private readonly float[] _weights;

    public BernoulliLayer(int neuronCount, int inputCount, int contextCount, float[] weights)
    {
        if (weights.LongLength != (long)neuronCount * contextCount * inputCount)
        {
            throw new ArgumentException($"A layer of {neuronCount} neurons with {contextCount} contexts and {inputCount} inputs needs {(long)neuronCount * contextCount * inputCount} weights, got {weights.LongLength}.");
        }

        NeuronCount = neuronCount;
        InputCount = inputCount;
        ContextCount = contextCount;
        _weights = weights;
    }

    public static BernoulliLayer Create(int neuronCount, int inputCount, int contextCount, float initialWeight)
    {
        var weights = new float[(long)neuronCount * contextCount * inputCount];
        weights.AsSpan().Fill(initialWeight);
        return new BernoulliLayer(neuronCount, inputCount, contextCount, weights);
    }

    public int NeuronCount { get; }

    /// <summary>Inputs per neuron, including the bias input.</summary>
    public int InputCount { get; }

    public int ContextCount { get; }

    public float[] Weights => _weights;

    public Span<float> ActiveRow(int neuron, int context)
        => _weights.AsSpan((neuron * ContextCount + context) * InputCount, InputCount);

    /// <summary>Output logits of every neuron for the given input logits and contexts.</summary>
    public void Predict(ReadOnlySpan<float> input, ReadOnlySpan<int> contexts, Span<float> outputLogits, float maxLogit)
    {
        for (int k = 0; k < NeuronCount; k++)
        {
            outputLogits[k] = BernoulliNeuron.PredictLogit(ActiveRow(k, contexts[k]), input, maxLogit);
        }
    }

    /// <summary>
    /// Predicts and then updates each neuron's active row while it is in cache. The logits written are
    /// the pre-update predictions, so this equals a forward pass followed by the local updates.
    /// </summary>
    public void PredictAndUpdate(ReadOnlySpan<float> input, ReadOnlySpan<int> contexts, Span<float> outputLogits, float target, float maxLogit, float learningRate, float weightBound)
    {
        for (int k = 0; k < NeuronCount; k++)
        {
            Span<float> row = ActiveRow(k, contexts[k]);
            float logit = BernoulliNeuron.PredictLogit(row, input, maxLogit);
            outputLogits[k] = logit;
            BernoulliNeuron.Update(row, input, logit, target, learningRate, weightBound);
        }
    }
}
