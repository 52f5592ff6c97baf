namespace Microsoft.ML.GatedLinear.Bernoulli;

/// <summary>
/// A stack of Bernoulli layers ending in one neuron. Every neuron predicts the same binary target from
/// the logits of the layer below plus a constant bias logit; layer 0 reads the base model's logits.
/// Contexts come from outside (gating is separate), laid out layer by layer.
/// </summary>
internal sealed class BernoulliNetwork
{
    private readonly BernoulliLayer[] _layers;
    private readonly int[] _contextOffsets;

    public BernoulliNetwork(BernoulliLayer[] layers, float biasLogit, float maxLogit, float weightBound)
    {
        if (layers.Length == 0 || layers[^1].NeuronCount != 1)
        {
            throw new ArgumentException("A network needs at least one layer and must end in a single neuron.");
        }

        for (int i = 1; i < layers.Length; i++)
        {
            if (layers[i].InputCount != layers[i - 1].NeuronCount + 1)
            {
                throw new ArgumentException($"Layer {i} has {layers[i].InputCount} inputs; the {layers[i - 1].NeuronCount} neurons below it plus the bias make {layers[i - 1].NeuronCount + 1}.");
            }
        }

        _layers = layers;
        _contextOffsets = new int[layers.Length + 1];
        for (int i = 0; i < layers.Length; i++)
        {
            _contextOffsets[i + 1] = _contextOffsets[i] + layers[i].NeuronCount;
        }

        BiasLogit = biasLogit;
        MaxLogit = maxLogit;
        WeightBound = weightBound;
    }

    public static BernoulliNetwork Create(int baseInputCount, ReadOnlySpan<int> layerSizes, int contextCount, bool uniformInitialWeights, float biasLogit, float maxLogit, float weightBound)
    {
        var layers = new BernoulliLayer[layerSizes.Length];
        int inputs = baseInputCount + 1;
        for (int i = 0; i < layers.Length; i++)
        {
            layers[i] = BernoulliLayer.Create(layerSizes[i], inputs, contextCount, uniformInitialWeights ? 1f / inputs : 0f);
            inputs = layerSizes[i] + 1;
        }

        return new BernoulliNetwork(layers, biasLogit, maxLogit, weightBound);
    }

    public IReadOnlyList<BernoulliLayer> Layers => _layers;

    /// <summary>Total neurons, i.e. how many contexts one example needs.</summary>
    public int NeuronCount => _contextOffsets[^1];

    /// <summary>Number of base input logits (features), excluding the bias.</summary>
    public int BaseInputCount => _layers[0].InputCount - 1;

    public float BiasLogit { get; }

    public float MaxLogit { get; }

    public float WeightBound { get; }

    /// <summary>Allocates the per-layer input buffers one example needs.</summary>
    public Activations CreateActivations() => new(this);

    /// <summary>The output logit for base input logits already placed in <paramref name="activations"/>.</summary>
    public float Predict(ReadOnlySpan<int> contexts, Activations activations)
    {
        for (int i = 0; i < _layers.Length; i++)
        {
            _layers[i].Predict(activations.Inputs[i], LayerContexts(contexts, i), activations.OutputOf(i), MaxLogit);
        }

        return activations.Output;
    }

    /// <summary>One online step: predicts, then updates the active row of every neuron towards <paramref name="target"/>.</summary>
    /// <returns>The output logit predicted before the update.</returns>
    public float Learn(ReadOnlySpan<int> contexts, Activations activations, float target, float learningRate)
    {
        for (int i = 0; i < _layers.Length; i++)
        {
            _layers[i].PredictAndUpdate(activations.Inputs[i], LayerContexts(contexts, i), activations.OutputOf(i), target, MaxLogit, learningRate, WeightBound);
        }

        return activations.Output;
    }

    public ReadOnlySpan<int> LayerContexts(ReadOnlySpan<int> contexts, int layer)
        => contexts.Slice(_contextOffsets[layer], _layers[layer].NeuronCount);

    /// <summary>
    /// Per-layer input logits for one example. Layer i writes its outputs straight into layer i+1's
    /// input buffer, whose last slot holds the bias logit, so no copying happens between layers.
    /// </summary>
    internal sealed class Activations
    {
        private readonly float[] _output = new float[1];

        public Activations(BernoulliNetwork network)
        {
            Inputs = new float[network._layers.Length][];
            for (int i = 0; i < Inputs.Length; i++)
            {
                Inputs[i] = new float[network._layers[i].InputCount];
                Inputs[i][^1] = network.BiasLogit;
            }
        }

        /// <summary>Inputs[i] is layer i's input: the logits below it, then the bias logit.</summary>
        public float[][] Inputs { get; }

        /// <summary>The base input logits (layer 0's inputs without the bias), to be filled by the caller.</summary>
        public Span<float> BaseInputs => Inputs[0].AsSpan(0, Inputs[0].Length - 1);

        /// <summary>The network's output logit after the last <see cref="Predict"/> or <see cref="Learn"/>.</summary>
        public float Output => _output[0];

        public Span<float> OutputOf(int layer)
            => layer + 1 < Inputs.Length ? Inputs[layer + 1].AsSpan(0, Inputs[layer + 1].Length - 1) : _output;
    }
}
