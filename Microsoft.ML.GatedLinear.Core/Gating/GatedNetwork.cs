namespace Microsoft.ML.GatedLinear.Gating;

/// <summary>
/// The skeleton every gated linear network shares: layers of gated neurons ending in a single neuron, each layer
/// reading the outputs of the one below (layer 0: the base predictions) plus constant bias inputs. Contexts come
/// from outside — gating is separate — laid out layer by layer, one per neuron.
/// </summary>
/// <typeparam name="TLayer">The layer type, which applies its neuron's rules.</typeparam>
internal abstract class GatedNetwork<TLayer>
    where TLayer : GatedLayer
{
    private readonly int[] _contextOffsets;

    private protected GatedNetwork(TLayer[] layers, int biasInputs)
    {
        if (layers.Length == 0 || layers[^1].NeuronCount != 1)
        {
            throw new ArgumentException("A network needs at least one layer and must end in a single neuron.");
        }

        _contextOffsets = new int[layers.Length + 1];
        for (int i = 0; i < layers.Length; i++)
        {
            int below = i == 0 ? layers[0].InputCount - biasInputs : layers[i - 1].NeuronCount;
            if (below <= 0 || layers[i].InputCount != below + biasInputs)
            {
                throw new ArgumentException($"Layer {i} has {layers[i].InputCount} inputs; it needs the {below} outputs below it plus {biasInputs} bias inputs.");
            }

            _contextOffsets[i + 1] = _contextOffsets[i] + layers[i].NeuronCount;
        }

        LayerArray = layers;
        BiasInputs = biasInputs;
    }

    /// <summary>Each layer's inputs: the base predictions or the neurons below, plus the bias inputs.</summary>
    public static int[] InputCounts(int baseCount, ReadOnlySpan<int> layerSizes, int biasInputs)
    {
        var inputs = new int[layerSizes.Length];
        for (int i = 0; i < inputs.Length; i++)
        {
            inputs[i] = (i == 0 ? baseCount : layerSizes[i - 1]) + biasInputs;
        }

        return inputs;
    }

    public IReadOnlyList<TLayer> Layers => LayerArray;

    /// <summary>Total neurons, i.e. how many contexts one example needs.</summary>
    public int NeuronCount => _contextOffsets[^1];

    /// <summary>Constant bias inputs every layer reads after the outputs below it.</summary>
    public int BiasInputs { get; }

    /// <summary>Base predictions layer 0 reads.</summary>
    public int BaseCount => LayerArray[0].InputCount - BiasInputs;

    private protected TLayer[] LayerArray { get; }

    /// <summary>The contexts of layer <paramref name="layer"/>'s neurons within an example's contexts.</summary>
    public ReadOnlySpan<int> LayerContexts(ReadOnlySpan<int> contexts, int layer) => contexts.Slice(_contextOffsets[layer], LayerArray[layer].NeuronCount);

    /// <summary>Where layer <paramref name="layer"/>'s neurons start in the network-wide numbering (bottom layer first).</summary>
    public int FirstNeuron(int layer) => _contextOffsets[layer];
}
