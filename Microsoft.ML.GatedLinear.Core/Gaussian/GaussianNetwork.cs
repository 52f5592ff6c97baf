using Microsoft.ML.GatedLinear.Gating;

namespace Microsoft.ML.GatedLinear.Gaussian;

/// <summary>
/// Layers of Gaussian neurons. Layer 0 reads the base Gaussians (one per feature); every layer also reads the same
/// constant bias Gaussians, whose means span [−r, r] along each target axis so a product of inputs can reach any
/// standardized target.
/// </summary>
internal sealed class GaussianNetwork : GatedNetwork<GaussianLayer>
{
    private readonly float[] _biasMeans;
    private readonly float[] _biasPrecisions;

    public GaussianNetwork(GaussianLayer[] layers, int dimension, bool diagonal, ReadOnlySpan<float> biasValues, float biasPrecision, GaussianConstraints constraints)
        : base(layers, biasValues.Length * dimension)
    {
        Dimension = dimension;
        PrecisionRows = diagonal ? dimension : 1;

        // Bias input b = v·e_a for every axis a and value v: mean v on axis a, 0 elsewhere.
        _biasMeans = new float[dimension * BiasInputs];
        for (int a = 0; a < dimension; a++)
        {
            for (int v = 0; v < biasValues.Length; v++)
            {
                _biasMeans[a * BiasInputs + a * biasValues.Length + v] = biasValues[v];
            }
        }

        _biasPrecisions = new float[PrecisionRows * BiasInputs];
        _biasPrecisions.AsSpan().Fill(biasPrecision);
        Constraints = constraints;
        PipelineCut = ChoosePipelineCut(layers, dimension);
    }

    public int Dimension { get; }

    public int PrecisionRows { get; }

    /// <summary>
    /// Where a batch learned on two cores cuts the network — layers below the cut on one core, the rest on the other,
    /// an example apart (<see cref="LearnLayers"/>) — or 0 when no cut leaves the smaller side a quarter of the work.
    /// </summary>
    public int PipelineCut { get; }

    /// <summary>The weight box, precision range, mean bound r and gradient cap every neuron keeps.</summary>
    public GaussianConstraints Constraints { get; }

    public Activations CreateActivations() => new(this);

    /// <summary>Every layer's outputs for the base Gaussians already placed in <paramref name="a"/>, from the prediction rows (averaged, if on).</summary>
    public void Predict(ReadOnlySpan<int> contexts, Activations a)
    {
        for (int i = 0; i < LayerArray.Length; i++)
        {
            LayerArray[i].Predict(a.Inputs(i), LayerContexts(contexts, i), a.Outputs(i), Constraints, a.Scratch);
        }
    }

    /// <summary>
    /// One online step: every layer predicts and then updates its neurons' active rows towards the (standardized)
    /// target; with <paramref name="densities"/>, each neuron's log density of the target, before its update, is left in
    /// <see cref="Activations.LogDensities"/>. With <paramref name="splitWideLayers"/>, layers of 256 neurons or more learn
    /// in two halves on two cores.
    /// </summary>
    public void Learn(ReadOnlySpan<int> contexts, Activations a, ReadOnlySpan<float> target, float learningRate, bool densities, bool splitWideLayers)
    {
        for (int i = 0; i < LayerArray.Length; i++)
        {
            GaussianLayer layer = LayerArray[i];
            if (splitWideLayers && layer.NeuronCount >= SplitNeurons)
            {
                LearnSplit(i, contexts, a, target, learningRate, densities);
                continue;
            }

            LearnLayers(i, i + 1, contexts, a, target, learningRate, densities);
        }
    }

    /// <summary>
    /// <see cref="Learn"/> for layers <paramref name="first"/> … <paramref name="end"/> − 1 only, each on one core: the
    /// layers below must have learned this example into <paramref name="a"/> already. Layers touch nothing in common but
    /// the example's activations, so two cores can run the layers on either side of <see cref="PipelineCut"/> for
    /// different examples at once.
    /// </summary>
    public void LearnLayers(int first, int end, ReadOnlySpan<int> contexts, Activations a, ReadOnlySpan<float> target, float learningRate, bool densities)
    {
        for (int i = first; i < end; i++)
        {
            GaussianLayer layer = LayerArray[i];
            Span<double> logDensities = densities ? a.LogDensities.AsSpan(FirstNeuron(i), layer.NeuronCount) : default;
            layer.PredictAndUpdate(a.Inputs(i), LayerContexts(contexts, i), a.Outputs(i), logDensities, target, learningRate, Constraints, a.Scratch);
        }
    }

    // A layer's step per example in units of one weight's: on the power-plant run a neuron's fixed work (its row's
    // address, its output Gaussian, log density and update count) cost about as much as 64 weights of its row.
    private const double NeuronCost = 64;

    private static int ChoosePipelineCut(GaussianLayer[] layers, int dimension)
    {
        double[] below = new double[layers.Length + 1];
        for (int i = 0; i < layers.Length; i++)
        {
            below[i + 1] = below[i] + layers[i].NeuronCount * ((double)layers[i].InputCount * dimension + NeuronCost);
        }

        double total = below[^1];
        int best = 0;
        double bestSlower = total;
        for (int cut = 1; cut < layers.Length; cut++)
        {
            double slower = Math.Max(below[cut], total - below[cut]);
            if (slower < bestSlower)
            {
                (best, bestSlower) = (cut, slower);
            }
        }

        return bestSlower <= 0.75 * total ? best : 0;
    }

    // A layer this wide takes tens of µs a row on one core; handing half of it to the other core costs a few µs. (Splitting
    // a [.., 64] layer over 512 inputs as well, or a spinning thread of our own instead of Parallel.Invoke, measured no
    // faster on the power-plant run.)
    private const int SplitNeurons = 256;

    /// <summary>Layer <paramref name="i"/>'s step with its neurons in two halves on two cores (the same bits as one loop).</summary>
    private void LearnSplit(int i, ReadOnlySpan<int> contexts, Activations a, ReadOnlySpan<float> target, float learningRate, bool densities)
    {
        GaussianLayer layer = LayerArray[i];
        int count = layer.NeuronCount, half = count / 2, first = FirstNeuron(i);
        a.Inputs(i).Weigh();
        GradientMoments moments = GradientMoments.Of(a.Inputs(i));
        int[] layerContexts = a.SplitContexts!;
        LayerContexts(contexts, i).CopyTo(layerContexts);
        float[] targetCopy = a.SplitTarget!;
        target.CopyTo(targetCopy);
        GaussianConstraints constraints = Constraints;
        void Half(int from, int to, GaussianLayer.NeuronScratch scratch)
            => layer.PredictAndUpdate(from, to, a.Inputs(i), moments, layerContexts.AsSpan(0, count), a.Outputs(i), densities ? a.LogDensities.AsSpan(first, count) : default, targetCopy, learningRate, constraints, scratch);
        Parallel.Invoke(() => Half(0, half, a.Scratch), () => Half(half, count, a.SecondScratch!));
    }

    /// <summary>Buffers for one example: each layer's input Gaussians (outputs below, then biases) and the top outputs.</summary>
    internal sealed class Activations
    {
        private readonly GaussianNetwork _network;
        private readonly float[][] _means;
        private readonly float[][] _precisions;
        private readonly float[][] _weightedMeans;

        public Activations(GaussianNetwork network)
        {
            _network = network;
            int layers = network.LayerArray.Length, widest = 0;
            _means = new float[layers + 1][];
            _precisions = new float[layers + 1][];
            _weightedMeans = new float[layers + 1][];
            for (int i = 0; i <= layers; i++)
            {
                int count = Count(i);
                widest = Math.Max(widest, count);
                _means[i] = new float[network.Dimension * count];
                _precisions[i] = new float[network.PrecisionRows * count];
                _weightedMeans[i] = new float[network.Dimension * count];
                if (i < layers)
                {
                    PlaceBiases(i, count);
                }
            }

            Scratch = new GaussianLayer.NeuronScratch(network.Dimension, network.PrecisionRows, widest);
            if (network.LayerArray.Any(l => l.NeuronCount >= SplitNeurons))
            {
                SecondScratch = new GaussianLayer.NeuronScratch(network.Dimension, network.PrecisionRows, widest);
                SplitContexts = new int[network.LayerArray.Max(l => l.NeuronCount)];
                SplitTarget = new float[network.Dimension];
            }
            LogDensities = new double[network.NeuronCount];
        }

        public GaussianLayer.NeuronScratch Scratch { get; }

        /// <summary>The scratch of the second core when a wide layer learns in two halves (null without a wide layer).</summary>
        public GaussianLayer.NeuronScratch? SecondScratch { get; }

        /// <summary>A wide layer's contexts and the target, copied where both cores' closures can reach them (null without one).</summary>
        public int[]? SplitContexts { get; }

        public float[]? SplitTarget { get; }

        /// <summary>Each neuron's log density of the target (filled while learning), bottom layer first.</summary>
        public double[] LogDensities { get; }

        public GaussianInputs Inputs(int layer) => new(_means[layer], _precisions[layer], _weightedMeans[layer], Count(layer), _network.Dimension);

        /// <summary>Where layer <paramref name="layer"/> writes: the first columns of the next layer's inputs, or the top outputs.</summary>
        public GaussianInputs Outputs(int layer) => Inputs(layer + 1);

        /// <summary>Sets base Gaussian <paramref name="feature"/> of layer 0 to mean m (per dimension) and precision λ (per precision row).</summary>
        public void SetBase(int feature, ReadOnlySpan<float> mean, ReadOnlySpan<float> precision)
        {
            int count = Count(0);
            for (int d = 0; d < mean.Length; d++)
            {
                _means[0][d * count + feature] = mean[d];
            }

            for (int p = 0; p < precision.Length; p++)
            {
                _precisions[0][p * count + feature] = precision[p];
            }
        }

        /// <summary>The mean on axis d and precision row p of neuron k of layer i (its pre-update prediction).</summary>
        public (float Mean, float Precision) NeuronOutput(int layer, int k, int d)
        {
            GaussianInputs o = Outputs(layer);
            return (o.Means[d * o.Count + k], o.Precisions[(o.PrecisionRows == 1 ? 0 : d) * o.Count + k]);
        }

        // Layer i's inputs (i < layers), or the top layer's outputs (i = layers).
        private int Count(int i) => i < _network.LayerArray.Length ? _network.LayerArray[i].InputCount : _network.LayerArray[^1].NeuronCount;

        private void PlaceBiases(int layer, int count)
        {
            int first = count - _network.BiasInputs;
            for (int d = 0; d < _network.Dimension; d++)
            {
                _network._biasMeans.AsSpan(d * _network.BiasInputs, _network.BiasInputs).CopyTo(_means[layer].AsSpan(d * count + first));
            }

            for (int p = 0; p < _network.PrecisionRows; p++)
            {
                _network._biasPrecisions.AsSpan(p * _network.BiasInputs, _network.BiasInputs).CopyTo(_precisions[layer].AsSpan(p * count + first));
            }
        }
    }
}
