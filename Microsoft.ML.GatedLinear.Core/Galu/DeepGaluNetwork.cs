using System.Numerics.Tensors;
using Microsoft.ML.GatedLinear.Numerics;
using Microsoft.ML.GatedLinear.Data;
using Microsoft.ML.GatedLinear.Persistence;
using Microsoft.ML.GatedLinear.Training;

namespace Microsoft.ML.GatedLinear.Galu;

/// <summary>
/// A deep GaLU network: hidden layer l computes h_l = σ(U_l·s_l) ⊙ (W_l·[h_{l−1}, 1]) with fixed random filters U_l
/// reading s_l = x₀ (GaLU0) or h_{l−1} (GaLU), and a linear readout A·[h_L, 1]. The trainable parts W_l and A are
/// learned by mini-batch Adam on squared loss (regression) or softmax cross-entropy (classes). For GaLU0 the gates
/// are constants of the input, so the loss is convex in each layer and biconvex jointly.
/// </summary>
public sealed class DeepGaluNetwork : IGaluPredictor, IEarlyStoppable
{
    private readonly GaluGates[] _gates;
    private readonly int[] _sizes;     // [d, k1, …, kL, outputs]
    private readonly int[] _offsets;   // parameter offset of W_1 … W_L, A
    private readonly float[] _parameters;
    private readonly float[] _gradient;
    private readonly float[][] _paddedFilters;
    private readonly DeepGaluPass _trainingPass;
    private readonly Adam _adam;

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
        _gradient = new float[parameters.Length];
        _paddedFilters = DeepGaluPass.PaddedFilters(gates);
        _trainingPass = NewPass();
        _adam = new Adam([parameters.Length], options.LearningRate);
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

    /// <summary>Mean loss per row of the most recent mini-batch.</summary>
    internal double RecentLoss { get; private set; }

    /// <summary>Adam steps taken so far.</summary>
    internal long Steps => _adam.Steps;

    /// <summary>
    /// Rows per Adam step for <paramref name="learnedRows"/> rows an epoch learns: <paramref name="largestBatch"/> on
    /// large data, rows/128 (at least 4, or <paramref name="largestBatch"/> if smaller) below 128 × that, so an epoch
    /// still makes about 128 steps. With batches of 64 throughout, iris's 108 learned rows made two steps an epoch and
    /// at most 100 before the epochs ran out; the default classifier's error was 0.194 there, 0.042 with the rule
    /// (`defaults --candidates`, three cross-validation seeds: benchmarks/RESULTS.md, session 21).
    /// </summary>
    public static int MiniBatchRows(long learnedRows, int largestBatch)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(largestBatch);
        return (int)Math.Clamp(learnedRows / StepsPerEpoch, Math.Min(SmallestBatch, largestBatch), largestBatch);
    }

    private const int StepsPerEpoch = 128;
    private const int SmallestBatch = 4;

    /// <summary>Trains on class labels (0 … Outputs − 1) by Adam on softmax cross-entropy, one step per mini-batch (<see cref="GaluOptions.BatchSize"/>).</summary>
    /// <param name="data">Rows and class labels; validated before any step.</param>
    /// <param name="training">Epochs, shuffling, progress, cancellation (its BatchSize is not used); default one shuffled pass.</param>
    public TrainingHistory Fit(LabeledData<int> data, OnlineTrainingOptions? training = null)
        => Fit(InMemoryRows.Create(data, InputDimension, 1, (label, row, values) =>
        {
            InputValidation.ValidateClassLabel(label, Outputs, row);
            values[0] = label;
        }), training, LearnClassifierBatch);

    /// <summary>Trains on a scalar target (Outputs must be 1) by Adam on squared loss ½(ŷ − y)².</summary>
    public TrainingHistory Fit(LabeledData<float> data, OnlineTrainingOptions? training = null)
    {
        if (Outputs != 1)
        {
            throw new InvalidOperationException($"This network has {Outputs} outputs; train it on vector targets of that length.");
        }

        return Fit(InMemoryRows.Create(data, InputDimension, 1, (y, row, values) => values[0] = RequireFinite(y, row)), training, LearnRegressionBatch);
    }

    /// <summary>Trains on vector targets of length Outputs by Adam on squared loss ½‖ŷ − y‖².</summary>
    public TrainingHistory Fit(LabeledData<float[]> data, OnlineTrainingOptions? training = null)
        => Fit(InMemoryRows.Create(data, InputDimension, Outputs, (y, row, values) =>
        {
            if (y?.Length != Outputs)
            {
                throw new ArgumentException($"Row {row} has a target of {y?.Length ?? 0} values; the network has {Outputs} outputs.");
            }

            for (int o = 0; o < Outputs; o++)
            {
                values[o] = RequireFinite(y[o], row);
            }
        }), training, LearnRegressionBatch);

    private TrainingHistory Fit(InMemoryRows rows, OnlineTrainingOptions? training, BatchLearner learn)
        => EarlyStopping.Fit(this, rows, training ?? new OnlineTrainingOptions(), learned => MiniBatchRows(learned, Options.BatchSize), learn);

    /// <summary>
    /// Mean training loss of the rows: cross-entropy when they hold class indices (one label per row for several
    /// outputs), else ½‖ŷ − y‖².
    /// </summary>
    double IEarlyStoppable.HeldOutLoss(IRowSource rows)
    {
        DeepGaluPass pass = NewPass();
        var gradient = new float[Outputs];
        OutputGradient loss = rows.LabelWidth == 1 && Outputs > 1 ? CrossEntropy : SquaredGradient;
        double total = 0;
        rows.Stream(null, (features, label) =>
        {
            pass.Forward(_parameters, features, 1);
            total += loss(label, pass.Output, gradient);
        });
        return total / rows.RowCount;
    }

    object IEarlyStoppable.Snapshot(object? previous)
        => IEarlyStoppable.Reuse(this, previous, model => ModelFile.Copy(model, (m, s) => m.Save(s), Load), (copy, model) => model._parameters.CopyTo(copy._parameters, 0));

    void IEarlyStoppable.Restore(object snapshot) => ((DeepGaluNetwork)snapshot)._parameters.CopyTo(_parameters, 0);

    private static float RequireFinite(float target, long row)
        => float.IsFinite(target) ? target : throw new ArgumentException($"Row {row} has a non-finite target ({target}).");

    /// <summary>One Adam step on the softmax cross-entropy of a mini-batch (labels: class indices as floats); returns its mean loss.</summary>
    internal double LearnClassifierBatch(ReadOnlySpan<float> rows, ReadOnlySpan<float> labels)
        => Step(rows, labels, 1, CrossEntropy);

    /// <summary>One Adam step on the squared loss of a mini-batch (targets row-major [n × Outputs]); returns its mean loss.</summary>
    internal double LearnRegressionBatch(ReadOnlySpan<float> rows, ReadOnlySpan<float> targets)
        => Step(rows, targets, Outputs, SquaredGradient);

    /// <summary>Trainable parameters (all W_l and A).</summary>
    public int ParameterCount => _parameters.Length;

    /// <summary>Writes the network's outputs (regression values or class logits).</summary>
    /// <exception cref="ArgumentException">The row has the wrong length or a non-finite value (the message names the feature), or <paramref name="outputs"/> is not <see cref="Outputs"/> long.</exception>
    /// <exception cref="InvalidOperationException">The weights overflow float arithmetic on this row (a corrupted or diverged model).</exception>
    public void Predict(ReadOnlySpan<float> x, Span<float> outputs)
    {
        InputValidation.ValidateRow(x, InputDimension);
        if (outputs.Length != Outputs)
        {
            throw new ArgumentException($"The output buffer holds {outputs.Length} values; the network has {Outputs} outputs.", nameof(outputs));
        }

        DeepGaluPass pass = NewPass();
        pass.Forward(_parameters, x, 1);
        pass.Output.CopyTo(outputs);
        FiniteOutputs.Ensure(outputs);
    }

    /// <summary>The class with the largest logit.</summary>
    public int PredictClass(ReadOnlySpan<float> x)
    {
        Span<float> logits = stackalloc float[Outputs];
        Predict(x, logits);
        return TensorPrimitives.IndexOfMax<float>(logits);
    }

    private static double CrossEntropy(ReadOnlySpan<float> label, ReadOnlySpan<float> logits, Span<float> gradient) => SoftmaxGradient(logits, (int)label[0], gradient);

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
    private static double SquaredGradient(ReadOnlySpan<float> target, ReadOnlySpan<float> prediction, Span<float> gradient)
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
        var r = ModelFile.Open(stream, ModelKind.DeepGaluNetwork);
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

        InputValidation.ValidateNotEmpty(n);
        var losses = new List<double>();
        DeepGaluPass pass = NewPass();
        var unit = new float[outputs];
        var full = new float[_parameters.Length];
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
                    InputValidation.ValidateRow(x, d, i);
                    pass.Forward(_parameters, x, 1);
                    float[] predicted = pass.Output.ToArray();
                    for (int o = 0; o < outputs; o++)
                    {
                        Array.Clear(unit);
                        unit[o] = 1;
                        pass.Backward(_parameters, unit, full);
                        full.AsSpan(offset, size).CopyTo(design);

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
        int n = targets.Length / Outputs;
        DeepGaluPass pass = NewPass();
        pass.Forward(_parameters, rows, n);
        Span<float> outputGradient = pass.OutputGradient;
        TensorPrimitives.Subtract(pass.Output, targets, outputGradient);
        var gradient = new float[_parameters.Length];
        pass.Backward(_parameters, outputGradient, gradient);
        return [.. gradient.Select(g => (double)g / n)];
    }

    /// <summary>∂loss/∂output for one row's label and output; returns the row's loss.</summary>
    private delegate double OutputGradient(ReadOnlySpan<float> label, ReadOnlySpan<float> output, Span<float> gradient);

    private DeepGaluPass NewPass() => new(_sizes, _offsets, _gates, _paddedFilters, Options.Variant);

    /// <summary>One Adam step on the mean loss of the rows of a batch (checked by the row source); returns that mean loss.</summary>
    private double Step(ReadOnlySpan<float> rows, ReadOnlySpan<float> labels, int labelWidth, OutputGradient lossGradient)
    {
        int d = _sizes[0], n = rows.Length / d;
        if (rows.Length != (long)n * d || labels.Length != (long)n * labelWidth)
        {
            throw new ArgumentException($"{rows.Length} input values and {labels.Length} labels do not make whole rows of {d} inputs and {labelWidth} labels.", nameof(rows));
        }

        if (n == 0)
        {
            return 0;
        }

        _trainingPass.Forward(_parameters, rows, n);
        Span<float> outputGradient = _trainingPass.OutputGradient;
        ReadOnlySpan<float> output = _trainingPass.Output;
        double total = 0;
        for (int i = 0; i < n; i++)
        {
            total += lossGradient(labels.Slice(i * labelWidth, labelWidth), output.Slice(i * Outputs, Outputs), outputGradient.Slice(i * Outputs, Outputs));
        }

        _trainingPass.Backward(_parameters, outputGradient, _gradient);
        Divergence.Check(total, [_gradient], "GaLU");
        _adam.BeginStep();
        _adam.Move(0, _parameters, _gradient, 1.0 / n);
        return RecentLoss = total / n;
    }
}
