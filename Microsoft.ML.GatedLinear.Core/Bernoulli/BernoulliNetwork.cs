using Microsoft.ML.GatedLinear.Gating;

namespace Microsoft.ML.GatedLinear.Bernoulli;

/// <summary>
/// Layers of Bernoulli neurons. Every neuron predicts the same binary target from the logits of the layer below plus
/// a constant bias logit; layer 0 reads the base model's logits.
/// </summary>
internal sealed class BernoulliNetwork : GatedNetwork<BernoulliLayer>
{
    public BernoulliNetwork(BernoulliLayer[] layers, float biasLogit, float maxLogit, float weightBound)
        : base(layers, biasInputs: 1)
    {
        BiasLogit = biasLogit;
        MaxLogit = maxLogit;
        WeightBound = weightBound;
    }

    public static BernoulliNetwork Create(int baseInputCount, ReadOnlySpan<int> layerSizes, int contextCount, bool uniformInitialWeights, float biasLogit, float maxLogit, float weightBound)
    {
        int[] inputs = InputCounts(baseInputCount, layerSizes, 1);
        var layers = new BernoulliLayer[layerSizes.Length];
        for (int i = 0; i < layers.Length; i++)
        {
            layers[i] = BernoulliLayer.Create(layerSizes[i], inputs[i], contextCount, uniformInitialWeights ? 1f / inputs[i] : 0f);
        }

        return new BernoulliNetwork(layers, biasLogit, maxLogit, weightBound);
    }

    /// <summary>
    /// Adds <paramref name="inputWeight"/> to base input <paramref name="input"/>'s weight and <paramref name="biasShare"/> /
    /// <see cref="BiasLogit"/> to the bias weight in every weight row of layer 0 (clipped to the weight bound): each of
    /// its neurons then adds inputWeight × that input + biasShare to its logit.
    /// </summary>
    public void AddToLayerZero(int input, float inputWeight, float biasShare)
    {
        BernoulliLayer layer = LayerArray[0];
        for (int neuron = 0; neuron < layer.NeuronCount; neuron++)
        {
            for (int context = 0; context < layer.ContextCount; context++)
            {
                Span<float> row = layer.ActiveRow(neuron, context);
                row[input] = Math.Clamp(row[input] + inputWeight, -WeightBound, WeightBound);
                row[^1] = Math.Clamp(row[^1] + (biasShare / BiasLogit), -WeightBound, WeightBound);
            }
        }
    }

    public float BiasLogit { get; }

    public float MaxLogit { get; }

    public float WeightBound { get; }

    /// <summary>Allocates the per-layer input buffers one example needs.</summary>
    public Activations CreateActivations() => new(this);

    /// <summary>The output logit for base input logits already placed in <paramref name="activations"/>.</summary>
    public float Predict(ReadOnlySpan<int> contexts, Activations activations)
    {
        for (int i = 0; i < LayerArray.Length; i++)
        {
            LayerArray[i].Predict(activations.Inputs[i], LayerContexts(contexts, i), activations.OutputOf(i), MaxLogit);
        }

        return activations.Output;
    }

    /// <summary>One online step: predicts, then updates the active row of every neuron towards <paramref name="target"/>.</summary>
    /// <returns>The output logit predicted before the update.</returns>
    public float Learn(ReadOnlySpan<int> contexts, Activations activations, float target, float learningRate)
    {
        for (int i = 0; i < LayerArray.Length; i++)
        {
            LayerArray[i].PredictAndUpdate(activations.Inputs[i], LayerContexts(contexts, i), activations.OutputOf(i), target, MaxLogit, learningRate, WeightBound);
        }

        return activations.Output;
    }

    /// <summary>
    /// <see cref="Learn"/> on every row of a batch in order, layer by layer and within a layer neuron group by neuron group
    /// (<see cref="BernoulliLayer.LearnRows"/>): the same weights, bit for bit, with each group's table in cache through
    /// the batch. Row r's base logits and bias are baseInputs[r × Layers[0].InputCount …], its contexts (this network's
    /// first) contexts[r × <paramref name="contextStride"/> …].
    /// </summary>
    public void LearnBatch(ReadOnlySpan<float> baseInputs, ReadOnlySpan<int> contexts, int contextStride, BatchActivations activations, ReadOnlySpan<float> targets, ReadOnlySpan<float> learningRates)
    {
        activations.Reserve(targets.Length);
        ReadOnlySpan<float> inputs = baseInputs;
        for (int i = 0; i < LayerArray.Length; i++)
        {
            Span<float> outputs = activations.OutputsOf(i);
            LayerArray[i].LearnRows(inputs, contexts.Slice(FirstNeuron(i)), contextStride, outputs, activations.OutputStride(i), targets, learningRates, MaxLogit, WeightBound);
            inputs = outputs;
        }
    }

    /// <summary>
    /// Per-layer input logits for one example. Layer i writes its outputs straight into layer i+1's
    /// input buffer, whose last slot holds the bias logit, so no copying happens between layers.
    /// </summary>
    internal sealed class Activations
    {
        private readonly float[] _output = new float[1];

        public Activations(BernoulliNetwork network)
        {
            Inputs = new float[network.LayerArray.Length][];
            for (int i = 0; i < Inputs.Length; i++)
            {
                Inputs[i] = new float[network.LayerArray[i].InputCount];
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

    /// <summary>
    /// Every layer's output logits for a batch of rows, row-major: layer i's outputs for row r, then the bias logit, are
    /// layer i + 1's inputs for row r, so no copying happens between layers.
    /// </summary>
    internal sealed class BatchActivations(BernoulliNetwork network)
    {
        private float[][] _outputs = [];
        private int _rows;

        /// <summary>Layer <paramref name="layer"/>'s outputs for the reserved rows.</summary>
        public Span<float> OutputsOf(int layer) => _outputs[layer].AsSpan(0, _rows * OutputStride(layer));

        /// <summary>Values per row in layer <paramref name="layer"/>'s outputs: its neurons, then the bias logit the layer above reads.</summary>
        public int OutputStride(int layer)
            => layer + 1 < network.LayerArray.Length ? network.LayerArray[layer + 1].InputCount : network.LayerArray[layer].NeuronCount;

        /// <summary>Makes room for <paramref name="rows"/> rows (buffers only grow).</summary>
        public void Reserve(int rows)
        {
            _rows = rows;
            if (_outputs.Length > 0 && _outputs[0].Length >= rows * OutputStride(0))
            {
                return;
            }

            _outputs = new float[network.LayerArray.Length][];
            for (int i = 0; i < _outputs.Length; i++)
            {
                int stride = OutputStride(i);
                _outputs[i] = new float[rows * stride];
                if (i + 1 < _outputs.Length)
                {
                    for (int r = 0; r < rows; r++)
                    {
                        _outputs[i][(r * stride) + stride - 1] = network.BiasLogit;
                    }
                }
            }
        }
    }
}
