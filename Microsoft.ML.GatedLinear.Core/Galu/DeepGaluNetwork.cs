using System.Numerics.Tensors;
using Microsoft.ML.GatedLinear.Numerics;
using Microsoft.ML.GatedLinear.Persistence;

namespace Microsoft.ML.GatedLinear.Galu;

/// <summary>
/// A deep GaLU network: hidden layer l computes h_l = σ(U_l·s_l) ⊙ (W_l·[h_{l−1}, 1]) with fixed random filters U_l
/// reading s_l = x₀ (GaLU0) or h_{l−1} (GaLU), and a linear readout A·[h_L, 1]. The trainable parts W_l and A are
/// learned by mini-batch Adam on squared loss (regression) or softmax cross-entropy (classes). For GaLU0 the gates
/// are constants of the input, so the loss is convex in each layer and biconvex jointly.
/// </summary>
public sealed class DeepGaluNetwork : IGaluPredictor
{
    private readonly GaluGates[] _gates;
    private readonly int[] _sizes;     // [d, k1, …, kL, outputs]
    private readonly int[] _offsets;   // parameter offset of W_1 … W_L, A
    private readonly float[] _parameters;
    private readonly double[] _gradient, _m, _v;
    private long _steps;

    private DeepGaluNetwork(GaluOptions options, int[] sizes, GaluGates[] gates, float[] parameters)
    {
        Options = options;
        _sizes = sizes;
        _gates = gates;
        _offsets = new int[sizes.Length];
        for (int l = 1; l < sizes.Length; l++)
        {
            _offsets[l] = _offsets[l - 1] + (l == 1 ? 0 : sizes[l - 1] * (sizes[l - 2] + 1));
        }

        _parameters = parameters;
        _gradient = new double[parameters.Length];
        _m = new double[parameters.Length];
        _v = new double[parameters.Length];
    }

    /// <summary>Creates a network with random filters and small random initial weights (N(0, 1/fan-in)).</summary>
    public static DeepGaluNetwork Create(int inputDimension, int outputs, GaluOptions? options = null)
    {
        options = (options ?? new GaluOptions()).Clone();
        options.Validate();
        int[] sizes = [inputDimension, .. options.HiddenSizes, outputs];
        var random = new SeededRandom(options.Seed);
        var gates = new GaluGates[options.HiddenSizes.Length];
        for (int l = 0; l < gates.Length; l++)
        {
            int reads = options.Variant == GaluVariant.Galu0 || l == 0 ? inputDimension : sizes[l];
            gates[l] = GaluGates.CreateRandom(sizes[l + 1], reads, options.Gate, options.FilterScale, random);
        }

        long count = 0;
        for (int l = 1; l < sizes.Length; l++)
        {
            count += (long)sizes[l] * (sizes[l - 1] + 1);
        }

        var parameters = new float[count];
        int offset = 0;
        for (int l = 1; l < sizes.Length; l++)
        {
            double scale = 1 / Math.Sqrt(sizes[l - 1] + 1);
            for (int i = 0; i < sizes[l] * (sizes[l - 1] + 1); i++)
            {
                parameters[offset++] = (float)(scale * random.NextGaussian());
            }
        }

        return new DeepGaluNetwork(options, sizes, gates, parameters);
    }

    /// <summary>The hyperparameters.</summary>
    public GaluOptions Options { get; }

    /// <summary>Number of outputs.</summary>
    public int Outputs => _sizes[^1];

    /// <summary>Length of an input.</summary>
    public int InputDimension => _sizes[0];

    /// <summary>Mean loss per row of the most recent epoch or batch of training.</summary>
    public double RecentLoss { get; private set; }

    /// <summary>One Adam step on the softmax cross-entropy of a mini-batch (rows in order, gradient averaged).</summary>
    public double LearnClassifierBatch(ReadOnlySpan<float> rows, ReadOnlySpan<int> labels)
    {
        int[] labelArray = labels.ToArray();
        return LearnBatch(rows, labels.Length, (i, logits, gradient) => SoftmaxGradient(logits, labelArray[i], gradient));
    }

    /// <summary>One Adam step on the squared loss of a mini-batch.</summary>
    public double LearnRegressionBatch(ReadOnlySpan<float> rows, ReadOnlySpan<float> targets)
    {
        float[] targetArray = targets.ToArray();
        int outputs = Outputs;
        return LearnBatch(rows, targets.Length / outputs, (i, prediction, gradient) => SquaredGradient(prediction, targetArray.AsSpan(i * outputs, outputs), gradient));
    }

    /// <summary>Trainable parameters (all W_l and A).</summary>
    public int ParameterCount => _parameters.Length;

    /// <summary>Writes the network's outputs (regression values or class logits).</summary>
    public void Predict(ReadOnlySpan<float> x, Span<float> outputs)
    {
        var pass = new Pass(this);
        pass.Forward(x);
        pass.Output.CopyTo(outputs);
    }

    /// <summary>The class with the largest logit.</summary>
    public int PredictClass(ReadOnlySpan<float> x)
    {
        Span<float> logits = stackalloc float[Outputs];
        Predict(x, logits);
        return TensorPrimitives.IndexOfMax<float>(logits);
    }

    /// <summary>One epoch of Adam on softmax cross-entropy over rows with class labels, in a seeded shuffled order.</summary>
    /// <returns>The mean training loss of the epoch.</returns>
    public double TrainClassifierEpoch(ReadOnlySpan<float> rows, ReadOnlySpan<int> labels, SeededRandom random)
    {
        int[] labelArray = labels.ToArray();
        return TrainEpoch(rows, labels.Length, random, (i, logits, gradient) => SoftmaxGradient(logits, labelArray[i], gradient));
    }

    /// <summary>One epoch of Adam on squared loss ½‖ŷ − y‖² (targets row-major [n × Outputs]).</summary>
    public double TrainRegressionEpoch(ReadOnlySpan<float> rows, ReadOnlySpan<float> targets, SeededRandom random)
    {
        float[] targetArray = targets.ToArray();
        int outputs = Outputs;
        return TrainEpoch(rows, targets.Length / outputs, random, (i, prediction, gradient) => SquaredGradient(prediction, targetArray.AsSpan(i * outputs, outputs), gradient));
    }

    // softmax(logits) − onehot(label); returns −log softmax(label).
    private static double SoftmaxGradient(ReadOnlySpan<float> logits, int label, Span<float> gradient)
    {
        float max = TensorPrimitives.Max<float>(logits);
        double total = 0;
        for (int o = 0; o < logits.Length; o++)
        {
            gradient[o] = MathF.Exp(logits[o] - max);
            total += gradient[o];
        }

        for (int o = 0; o < logits.Length; o++)
        {
            gradient[o] = (float)(gradient[o] / total);
        }

        double loss = -Math.Log(Math.Max(gradient[label], 1e-30));
        gradient[label] -= 1;
        return loss;
    }

    // ŷ − y; returns ½‖ŷ − y‖².
    private static double SquaredGradient(ReadOnlySpan<float> prediction, ReadOnlySpan<float> target, Span<float> gradient)
    {
        double loss = 0;
        for (int o = 0; o < prediction.Length; o++)
        {
            gradient[o] = prediction[o] - target[o];
            loss += 0.5 * gradient[o] * gradient[o];
        }

        return loss;
    }

    /// <summary>Writes the network (options, sizes, filters, weights) in the versioned MLGated format. The optimizer's
    /// moments are not saved: a loaded network predicts identically; further training restarts Adam.</summary>
    public void Save(Stream stream)
    {
        var w = new PayloadWriter();
        w.Write(_sizes);
        GaluPersistence.WriteOptions(w, Options);
        foreach (GaluGates gates in _gates)
        {
            GaluPersistence.WriteGates(w, gates);
        }

        w.Write(_parameters);
        ModelFile.Write(stream, ModelKind.DeepGaluNetwork, w.ToArray());
    }

    /// <summary>Reads a network written by <see cref="Save"/>.</summary>
    /// <exception cref="ModelFormatException">The file is not such a network, or is corrupted.</exception>
    public static DeepGaluNetwork Load(Stream stream)
    {
        var r = new PayloadReader(ModelFile.Read(stream, ModelKind.DeepGaluNetwork));
        int[] sizes = r.ReadInt32Array("the layer sizes");
        GaluOptions options = GaluPersistence.ReadOptions(r);
        if (sizes.Length != options.HiddenSizes.Length + 2 || sizes.Any(s => s < 1) || !sizes[1..^1].SequenceEqual(options.HiddenSizes))
        {
            throw new ModelFormatException("The model file is corrupted: its layer sizes do not match its options.");
        }

        var gates = new GaluGates[options.HiddenSizes.Length];
        for (int l = 0; l < gates.Length; l++)
        {
            gates[l] = GaluPersistence.ReadGates(r, options.Gate, sizes[l + 1], options.Variant == GaluVariant.Galu0 || l == 0 ? sizes[0] : sizes[l]);
        }

        long count = 0;
        for (int l = 1; l < sizes.Length; l++)
        {
            count += (long)sizes[l] * (sizes[l - 1] + 1);
        }

        float[] parameters = r.ReadSingleArray("the weights", PayloadReader.CheckedLength(count));
        r.EnsureEnd();
        return new DeepGaluNetwork(options, sizes, gates, parameters);
    }

    /// <summary>
    /// Alternating convex search on squared loss (GaLU0 only): with the gates fixed by x₀, the outputs are linear in
    /// any one layer's weights, y = c + Dw, so each layer in turn — the readout included — is solved exactly by ridge
    /// least squares with the others held. D is the gradient of the outputs with respect to that layer; c = y − Dw.
    /// Every solve minimizes the regularized loss over its layer, so the loss never rises from one solve to the next.
    /// Cost per layer: one normal-equation system of size (layer weights)², fed outputs rows per example.
    /// </summary>
    /// <returns>The mean squared training residual after each layer solve (sweeps × (hidden layers + 1) values).</returns>
    public double[] FitAlternating(ReadOnlySpan<float> rows, ReadOnlySpan<float> targets, int sweeps, double ridge)
    {
        if (Options.Variant != GaluVariant.Galu0)
        {
            throw new InvalidOperationException("Alternating convex search needs GaLU0: with gates reading x₀ the outputs are linear in each layer.");
        }

        int d = _sizes[0], outputs = Outputs, n = targets.Length / outputs;
        if (targets.Length % outputs != 0 || rows.Length != (long)n * d)
        {
            throw new ArgumentException($"{rows.Length} input values and {targets.Length} targets do not make whole rows.");
        }

        Data.InputValidation.ValidateNotEmpty(n);
        var losses = new List<double>();
        var pass = new Pass(this);
        var unit = new float[outputs];
        var full = new double[_parameters.Length];
        for (int sweep = 0; sweep < sweeps; sweep++)
        {
            for (int layer = 0; layer < _sizes.Length - 1; layer++)
            {
                int offset = _offsets[layer + 1], size = _sizes[layer + 1] * (_sizes[layer] + 1);
                var equations = new NormalEquations(size, 1);
                var design = new float[size];
                ReadOnlySpan<float> current = _parameters.AsSpan(offset, size);
                for (int i = 0; i < n; i++)
                {
                    ReadOnlySpan<float> x = rows.Slice(i * d, d);
                    Data.InputValidation.ValidateRow(x, d, i);
                    pass.Forward(x);
                    float[] predicted = pass.Output.ToArray();
                    for (int o = 0; o < outputs; o++)
                    {
                        Array.Clear(full);
                        Array.Clear(unit);
                        unit[o] = 1;
                        pass.Backward(x, unit, full);
                        for (int j = 0; j < size; j++)
                        {
                            design[j] = (float)full[offset + j];
                        }

                        // y_o − c_o with c_o = ŷ_o − D_o·w: the part of the target this layer must explain.
                        float target = targets[i * outputs + o] - (predicted[o] - TensorPrimitives.Dot<float>(design, current));
                        equations.Add(design, [target]);
                    }
                }

                LeastSquaresSolution solution = equations.Solve(ridge);
                for (int j = 0; j < size; j++)
                {
                    _parameters[offset + j] = (float)solution.Weights[j];
                }

                losses.Add(solution.TrainingLoss);
            }
        }

        return losses.ToArray();
    }

    /// <summary>The trainable parameters, for gradient checks.</summary>
    internal Span<float> Parameters => _parameters;

    /// <summary>∂/∂parameters of the mean squared loss ½‖ŷ − y‖² over the rows (for gradient checks).</summary>
    internal double[] RegressionGradient(ReadOnlySpan<float> rows, ReadOnlySpan<float> targets)
    {
        int d = _sizes[0], n = targets.Length / Outputs;
        var pass = new Pass(this);
        var gradient = new double[_parameters.Length];
        var outputGradient = new float[Outputs];
        for (int i = 0; i < n; i++)
        {
            pass.Forward(rows.Slice(i * d, d));
            for (int o = 0; o < Outputs; o++)
            {
                outputGradient[o] = pass.Output[o] - targets[i * Outputs + o];
            }

            pass.Backward(rows.Slice(i * d, d), outputGradient, gradient);
        }

        for (int j = 0; j < gradient.Length; j++)
        {
            gradient[j] /= n;
        }

        return gradient;
    }

    private delegate double OutputGradient(int row, ReadOnlySpan<float> output, Span<float> gradient);

    private double TrainEpoch(ReadOnlySpan<float> rows, int n, SeededRandom random, OutputGradient lossGradient)
    {
        int d = _sizes[0];
        if (rows.Length != (long)n * d)
        {
            throw new ArgumentException($"{rows.Length} input values do not make {n} rows of {d}.", nameof(rows));
        }

        int[] order = Enumerable.Range(0, n).ToArray();
        random.Shuffle(order.AsSpan());
        double total = 0;
        for (int first = 0; first < n; first += Options.BatchSize)
        {
            int count = Math.Min(Options.BatchSize, n - first);
            total += Step(rows, order.AsSpan(first, count), lossGradient) * count;
        }

        return RecentLoss = total / n;
    }

    private double LearnBatch(ReadOnlySpan<float> rows, int n, OutputGradient lossGradient)
    {
        if (rows.Length != (long)n * _sizes[0])
        {
            throw new ArgumentException($"{rows.Length} input values do not make {n} rows of {_sizes[0]}.", nameof(rows));
        }

        if (n == 0)
        {
            return 0;
        }

        int[] order = Enumerable.Range(0, n).ToArray();
        return RecentLoss = Step(rows, order, lossGradient);
    }

    /// <summary>One Adam step over the rows in <paramref name="batch"/>; returns their mean loss.</summary>
    private double Step(ReadOnlySpan<float> rows, ReadOnlySpan<int> batch, OutputGradient lossGradient)
    {
        int d = _sizes[0];
        var pass = new Pass(this);
        var outputGradient = new float[Outputs];
        double total = 0;
        Array.Clear(_gradient);
        foreach (int i in batch)
        {
            ReadOnlySpan<float> x = rows.Slice(i * d, d);
            Data.InputValidation.ValidateRow(x, d, i);
            pass.Forward(x);
            total += lossGradient(i, pass.Output, outputGradient);
            pass.Backward(x, outputGradient, _gradient);
        }

        AdamStep(1.0 / batch.Length);
        return total / batch.Length;
    }

    private void AdamStep(double scale)
    {
        const double beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8;
        _steps++;
        double correction1 = 1 - Math.Pow(beta1, _steps), correction2 = 1 - Math.Pow(beta2, _steps);
        double rate = Options.LearningRate;
        for (int i = 0; i < _parameters.Length; i++)
        {
            double g = _gradient[i] * scale;
            _m[i] = beta1 * _m[i] + (1 - beta1) * g;
            _v[i] = beta2 * _v[i] + (1 - beta2) * g * g;
            _parameters[i] -= (float)(rate * (_m[i] / correction1) / (Math.Sqrt(_v[i] / correction2) + epsilon));
        }
    }

    /// <summary>The activations of one example, and backpropagation through them.</summary>
    private sealed class Pass
    {
        private readonly DeepGaluNetwork _net;
        private readonly float[][] _inputs;  // [h_{l−1}, 1] for layer l (l = 1 … L + 1)
        private readonly float[][] _gates;   // σ(U_l s_l)
        private readonly float[][] _linear;  // W_l [h_{l−1}, 1]
        private readonly float[][] _delta;
        private readonly float[][] _dz;

        public Pass(DeepGaluNetwork net)
        {
            _net = net;
            int layers = net._sizes.Length - 1;
            _inputs = new float[layers][];
            _gates = new float[layers][];
            _linear = new float[layers][];
            _delta = new float[layers + 1][];
            _dz = new float[layers][];
            for (int l = 0; l < layers; l++)
            {
                _inputs[l] = new float[net._sizes[l] + 1];
                _inputs[l][^1] = 1;
                _gates[l] = new float[net._sizes[l + 1]];
                _linear[l] = new float[net._sizes[l + 1]];
                _delta[l] = new float[net._sizes[l] + 1];
                _dz[l] = new float[net._sizes[l + 1]];
            }

            _delta[layers] = new float[net._sizes[^1]];
            Output = new float[net._sizes[^1]];
        }

        public float[] Output { get; }

        private Span<float> Weights(int layer) => _net._parameters.AsSpan(_net._offsets[layer + 1], _net._sizes[layer + 1] * (_net._sizes[layer] + 1));

        public void Forward(ReadOnlySpan<float> x)
        {
            x.CopyTo(_inputs[0]);
            int layers = _inputs.Length;
            for (int l = 0; l < layers; l++)
            {
                int rows = _net._sizes[l + 1], columns = _net._sizes[l] + 1;
                Span<float> w = Weights(l);
                Span<float> target = l + 1 < layers ? _inputs[l + 1].AsSpan(0, rows) : Output;
                for (int j = 0; j < rows; j++)
                {
                    _linear[l][j] = TensorPrimitives.Dot(w.Slice(j * columns, columns), _inputs[l]);
                }

                if (l + 1 == layers)
                {
                    _linear[l].CopyTo(target);
                    break;
                }

                _net._gates[l].Evaluate(_net.Options.Variant == GaluVariant.Galu0 ? x : _inputs[l].AsSpan(0, _net._sizes[l]), _gates[l]);
                TensorPrimitives.Multiply(_linear[l], _gates[l], target);
            }
        }

        /// <summary>Adds ∂loss/∂parameters for this example to <paramref name="gradient"/>, given ∂loss/∂output.</summary>
        public void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> outputGradient, double[] gradient)
        {
            int layers = _inputs.Length;
            for (int l = layers - 1; l >= 0; l--)
            {
                int rows = _net._sizes[l + 1], columns = _net._sizes[l] + 1, offset = _net._offsets[l + 1];
                float[] dz = _dz[l];
                if (l + 1 < layers)
                {
                    // h = g ⊙ z: ∂/∂z = ∂/∂h ⊙ g.
                    TensorPrimitives.Multiply(_delta[l + 1].AsSpan(0, rows), _gates[l], dz);
                }
                else
                {
                    outputGradient.CopyTo(dz);
                }

                Span<float> w = Weights(l);
                Array.Clear(_delta[l]);
                for (int j = 0; j < rows; j++)
                {
                    if (dz[j] == 0)
                    {
                        continue;
                    }

                    for (int c = 0; c < columns; c++)
                    {
                        gradient[offset + j * columns + c] += dz[j] * _inputs[l][c];
                    }

                    TensorPrimitives.MultiplyAdd(w.Slice(j * columns, columns), dz[j], _delta[l], _delta[l]);
                }

                // Plain GaLU with sigmoid gates: the gate reads h_{l−1} too, adding Σ_j ∂/∂h_j · z_j · σ'_j · u_j.
                if (l > 0 && l + 1 < layers && _net.Options.Variant == GaluVariant.Galu && _net.Options.Gate == GateKind.Sigmoid)
                {
                    int reads = _net._sizes[l];
                    for (int j = 0; j < rows; j++)
                    {
                        float g = _gates[l][j], factor = _delta[l + 1][j] * _linear[l][j] * g * (1 - g);
                        TensorPrimitives.MultiplyAdd(_net._gates[l].Filters.Slice(j * reads, reads), factor, _delta[l].AsSpan(0, reads), _delta[l].AsSpan(0, reads));
                    }
                }
            }
        }
    }
}
