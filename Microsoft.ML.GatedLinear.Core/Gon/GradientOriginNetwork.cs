using Microsoft.ML.GatedLinear.Data;
using Microsoft.ML.GatedLinear.Gon.Autodiff;
using Microsoft.ML.GatedLinear.Numerics;
using Microsoft.ML.GatedLinear.Persistence;
using Microsoft.ML.GatedLinear.Training;

namespace Microsoft.ML.GatedLinear.Gon;

/// <summary>
/// A Gradient Origin Network with an MLP decoder F (ELU hidden layers, sigmoid output for data in [0, 1]). There
/// is no encoder: a row's latent is the negative gradient of the reconstruction loss at the origin,
/// z = −∇_{z₀} Σ(x − F(z₀))² at z₀ = 0. Training minimizes Σ(x − F(z))² with respect to F's weights by Adam,
/// differentiating through the inner gradient (second order), unless the ablation flag detaches it.
/// </summary>
public sealed class GradientOriginNetwork
{
    private readonly Mlp? _decoder;
    private readonly SirenDecoder? _siren;
    private readonly Variable[] _variational; // [W_μ, b_μ, W_logσ², b_logσ²] for the variational GON, else empty
    private readonly AdamOptimizer _optimizer;
    private readonly SeededRandom _noise;
    private readonly StepMemory _stepMemory = new();
    private double[]? _latentMean, _latentStandardDeviation;

    private GradientOriginNetwork(GonOptions options, int dataDimension, Mlp? decoder, SirenDecoder? siren, Variable[] variational)
    {
        Options = options;
        DataDimension = dataDimension;
        _decoder = decoder;
        _siren = siren;
        _variational = variational;
        _optimizer = new AdamOptimizer(Parameters, options.LearningRate);
        _noise = new SeededRandom(options.Seed + 7919);
    }

    private Variable[] Parameters => [.. _decoder?.Parameters ?? _siren!.Parameters, .. _variational];

    /// <summary>An untrained network with weights drawn from N(0, 1/fan-in).</summary>
    public static GradientOriginNetwork Create(int dataDimension, GonOptions? options = null)
    {
        options = (options ?? new GonOptions()).Clone();
        options.Validate();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dataDimension);
        if (options.Implicit && (long)options.ImageWidth * options.ImageHeight != dataDimension)
        {
            throw new ArgumentException($"An implicit GON of {options.ImageWidth}×{options.ImageHeight} images needs rows of {(long)options.ImageWidth * options.ImageHeight} values, not {dataDimension}.", nameof(dataDimension));
        }

        var random = new SeededRandom(options.Seed);
        Mlp? decoder = options.Implicit ? null : new Mlp([options.LatentDimension, .. options.HiddenSizes, dataDimension], sigmoidOutput: true, random);
        SirenDecoder? siren = options.Implicit ? new SirenDecoder(options.LatentDimension, options.HiddenSizes, random) : null;

        Variable[] variational = [];
        if (options.Variational)
        {
            int l = options.LatentDimension;
            Variable Square() => Variable.Leaf(l, l, Enumerable.Range(0, l * l).Select(_ => (float)(random.NextGaussian() / Math.Sqrt(l))).ToArray(), requiresGradient: true);
            variational = [Square(), Variable.Leaf(1, l, new float[l], true), Square(), Variable.Leaf(1, l, new float[l], true)];
        }

        return new GradientOriginNetwork(options, dataDimension, decoder, siren, variational);
    }

    /// <summary>The hyperparameters.</summary>
    public GonOptions Options { get; }

    /// <summary>Length of a data row.</summary>
    public int DataDimension { get; }

    /// <summary>Number of trainable values.</summary>
    public int ParameterCount => Parameters.Sum(p => p.Value.Length);

    /// <summary>The decoder F applied to latents z [rows × latent].</summary>
    internal Variable Decode(Variable z) => _decoder?.Forward(z) ?? _siren!.Render(z, Options.ImageWidth, Options.ImageHeight);

    /// <summary>Implicit GON: renders each row's latent as a width × height image, at any resolution (super-resolution).</summary>
    public float[] Render(ReadOnlySpan<float> rows, int width, int height)
    {
        if (_siren is null)
        {
            throw new InvalidOperationException("Rendering at another resolution needs an implicit GON (set ImageWidth and ImageHeight).");
        }

        int n = rows.Length / DataDimension;
        float[] latent = Encode(rows);
        using IDisposable pause = Graph.Pause();
        return _siren.Render(Variable.Leaf(n, Options.LatentDimension, latent), width, height).Value;
    }

    /// <summary>z = −∇_{z₀} L_in at z₀ = 0 for a batch x [rows × D]; recorded (differentiable) when <paramref name="createGraph"/>.</summary>
    internal Variable Latent(Variable x, bool createGraph)
    {
        var origin = Variable.Leaf(x.Rows, Options.LatentDimension, StepMemory.Rent(x.Rows * Options.LatentDimension), requiresGradient: true);
        Variable inner = Ops.SquaredError(Decode(origin), x);
        return Ops.Scale(Graph.Gradients(inner, [origin], createGraph)[0], -1);
    }

    /// <summary>
    /// Trains the decoder by Adam, one step per mini-batch of <see cref="GonOptions.BatchSize"/> rows, differentiating
    /// through each row's inner gradient (unless <see cref="GonOptions.DetachInnerGradient"/>).
    /// </summary>
    /// <param name="rows">Row-major [n × DataDimension], values in [0, 1]; validated before any step.</param>
    /// <param name="training">Epochs, shuffling, progress, cancellation (its BatchSize is not used); default one shuffled pass.</param>
    /// <returns>Each epoch's mean outer loss per row.</returns>
    public TrainingHistory Fit(float[] rows, OnlineTrainingOptions? training = null)
        => EpochDriver.Run(InMemoryRows.Unlabeled(rows, DataDimension), training ?? new OnlineTrainingOptions(), Options.BatchSize, TrainBatch);

    /// <summary>One Adam step on a batch (row-major [rows × D], checked by the row source); returns the mean outer loss per row.</summary>
    internal double TrainBatch(ReadOnlySpan<float> batch, ReadOnlySpan<float> unusedLabels)
    {
        using IDisposable step = _stepMemory.Open();
        int rows = batch.Length / DataDimension;
        float[] values = StepMemory.Rent(batch.Length);
        batch.CopyTo(values);
        var x = Variable.Leaf(rows, DataDimension, values);
        Variable z = Latent(x, createGraph: !Options.DetachInnerGradient);
        if (Options.DetachInnerGradient)
        {
            z = z.Detach();
        }

        Variable outer = Options.Variational ? NegativeElbo(z, x) : Ops.SquaredError(Decode(z), x);
        outer = Ops.Scale(outer, 1f / rows);
        Variable[] gradients = Graph.Gradients(outer, Parameters);
        Divergence.Check(outer.Scalar, gradients.Select(g => g.Value), "Gradient origin network");
        _optimizer.Step(gradients);
        return outer.Scalar;
    }

    // −ELBO = BCE(F(μ + σ⊙ε), x) + KL(N(μ, σ²) ‖ N(0, I)), with μ and log σ² linear in the gradient latent.
    private Variable NegativeElbo(Variable z, Variable x)
    {
        Variable mean = Ops.AddRow(Ops.MatMul(z, _variational[0]), _variational[1]);
        Variable logVariance = Ops.AddRow(Ops.MatMul(z, _variational[2]), _variational[3]);
        var epsilon = Variable.Leaf(z.Rows, z.Columns, Enumerable.Range(0, z.Value.Length).Select(_ => (float)_noise.NextGaussian()).ToArray());
        Variable sample = Ops.Add(mean, Ops.Multiply(Ops.Exp(Ops.Scale(logVariance, 0.5f)), epsilon));
        Variable kl = Ops.Scale(Ops.Sum(Ops.Subtract(Ops.AddScalar(logVariance, 1), Ops.Add(Ops.Multiply(mean, mean), Ops.Exp(logVariance)))), -0.5f);
        return Ops.Add(Ops.BinaryCrossEntropy(Decode(sample), x), kl);
    }

    /// <summary>
    /// The latent of each row (the features a GON provides), row-major [rows × latent]: the negative gradient at the
    /// origin, or for the variational GON the posterior mean it maps to.
    /// </summary>
    public float[] Encode(ReadOnlySpan<float> rows)
    {
        int n = rows.Length / DataDimension;
        Variable z = Latent(Variable.Leaf(n, DataDimension, Validate(rows, n)), createGraph: false);
        if (!Options.Variational)
        {
            return EnsureFinite(z.Value);
        }

        using IDisposable pause = Graph.Pause();
        return EnsureFinite(Ops.AddRow(Ops.MatMul(z, _variational[0]), _variational[1]).Value);
    }

    // Finite weights can still overflow float arithmetic (a corrupted or diverged model, or a row far off the training
    // scale): refuse rather than hand out NaN features.
    private float[] EnsureFinite(float[] latents)
    {
        int at = Array.FindIndex(latents, v => !float.IsFinite(v));
        if (at >= 0)
        {
            throw new InvalidOperationException($"The latent of row {at / Options.LatentDimension} is {latents[at]}: the network's weights overflow float arithmetic on it (a corrupted or diverged model, or a row far outside the scale of the training data).");
        }

        return latents;
    }

    /// <summary>Fits the Gaussian (per-dimension mean and standard deviation) of the training latents that <see cref="Sample"/> draws from (not needed for the variational GON).</summary>
    public void FitLatentDistribution(ReadOnlySpan<float> rows)
    {
        float[] latents = Encode(rows);
        int l = Options.LatentDimension, n = latents.Length / l;
        _latentMean = new double[l];
        _latentStandardDeviation = new double[l];
        for (int j = 0; j < l; j++)
        {
            double mean = 0, square = 0;
            for (int i = 0; i < n; i++)
            {
                mean += latents[i * l + j];
                square += (double)latents[i * l + j] * latents[i * l + j];
            }

            mean /= n;
            _latentMean[j] = mean;
            _latentStandardDeviation[j] = Math.Sqrt(Math.Max(square / n - mean * mean, 0));
        }
    }

    /// <summary>
    /// Draws <paramref name="count"/> new rows: decodes latents from N(0, I) for the variational GON, or from the
    /// Gaussian fitted by <see cref="FitLatentDistribution"/>.
    /// </summary>
    /// <param name="count">Rows to draw.</param>
    /// <param name="seed">Seed of the latent draws.</param>
    public float[] Sample(int count, int seed)
    {
        var random = new SeededRandom(seed);
        int l = Options.LatentDimension;
        if (!Options.Variational && _latentMean is null)
        {
            throw new InvalidOperationException("Call FitLatentDistribution on training rows first (or use a variational GON).");
        }

        var z = new float[count * l];
        for (int i = 0; i < z.Length; i++)
        {
            double e = random.NextGaussian();
            z[i] = (float)(Options.Variational ? e : _latentMean![i % l] + _latentStandardDeviation![i % l] * e);
        }

        using IDisposable pause = Graph.Pause();
        return Decode(Variable.Leaf(count, l, z)).Value;
    }

    /// <summary>Spherical interpolation between latents a and b at t ∈ [0, 1] (linear when they are parallel).</summary>
    public static float[] Slerp(ReadOnlySpan<float> a, ReadOnlySpan<float> b, double t)
    {
        double na = System.Numerics.Tensors.TensorPrimitives.Norm(a), nb = System.Numerics.Tensors.TensorPrimitives.Norm(b);
        double dot = System.Numerics.Tensors.TensorPrimitives.Dot(a, b);

        double omega = Math.Acos(Math.Clamp(dot / Math.Max(na * nb, 1e-30), -1, 1));
        double wa = Math.Abs(Math.Sin(omega)) < 1e-6 ? 1 - t : Math.Sin((1 - t) * omega) / Math.Sin(omega);
        double wb = Math.Abs(Math.Sin(omega)) < 1e-6 ? t : Math.Sin(t * omega) / Math.Sin(omega);
        var result = new float[a.Length];
        for (int i = 0; i < a.Length; i++)
        {
            result[i] = (float)(wa * a[i] + wb * b[i]);
        }

        return result;
    }

    /// <summary>F(z) for latents given directly (e.g. interpolated ones), row-major [rows × latent].</summary>
    public float[] DecodeLatents(ReadOnlySpan<float> latents)
    {
        using IDisposable pause = Graph.Pause();
        return Decode(Variable.Leaf(latents.Length / Options.LatentDimension, Options.LatentDimension, latents.ToArray())).Value;
    }

    /// <summary>Writes the network (options, weights, fitted latent distribution) in the MLGated format.</summary>
    public void Save(Stream stream)
    {
        var w = new PayloadWriter();
        w.Write(DataDimension);
        w.Write(Options.LatentDimension);
        w.Write(Options.HiddenSizes);
        w.Write(Options.LearningRate);
        w.Write(Options.BatchSize);
        w.Write(Options.DetachInnerGradient);
        w.Write(Options.Variational);
        w.Write(Options.ImageWidth);
        w.Write(Options.ImageHeight);
        w.Write(Options.Seed);
        foreach (Variable p in Parameters)
        {
            w.Write(p.Value);
        }

        w.Write(_latentMean is not null);
        if (_latentMean is not null)
        {
            w.Write(_latentMean);
            w.Write(_latentStandardDeviation!);
        }

        ModelFile.Write(stream, ModelKind.GradientOriginNetwork, w.ToArray());
    }

    /// <summary>Reads a network written by <see cref="Save"/> (the optimizer restarts if training continues).</summary>
    /// <exception cref="ModelFormatException">The file is not such a network, or is corrupted.</exception>
    public static GradientOriginNetwork Load(Stream stream)
    {
        var r = ModelFile.Open(stream, ModelKind.GradientOriginNetwork);
        int dimension = r.ReadInt32("the data dimension", 1, int.MaxValue);
        var options = new GonOptions
        {
            LatentDimension = r.ReadInt32("the latent dimension", 1, int.MaxValue),
            HiddenSizes = r.ReadInt32Array("the hidden sizes"),
            LearningRate = r.ReadDouble(),
            BatchSize = r.ReadInt32(),
            DetachInnerGradient = r.ReadBoolean(),
            Variational = r.ReadBoolean(),
            ImageWidth = r.ReadInt32(),
            ImageHeight = r.ReadInt32(),
            Seed = r.ReadInt32(),
        };
        PayloadReader.ValidateOptions(options.Validate);
        if (options.Implicit && (long)options.ImageWidth * options.ImageHeight != dimension)
        {
            throw new ModelFormatException($"The model file is corrupted: its {options.ImageWidth}×{options.ImageHeight} images do not have its data dimension {dimension}.");
        }

        // Creating the network allocates and fills every weight: first check the file can hold that many.
        double weights = MinimumWeightCount(dimension, options);
        if (weights * sizeof(float) > r.RemainingBytes)
        {
            throw new ModelFormatException($"The model file is corrupted: its shape (data dimension {dimension}, latent {options.LatentDimension}, hidden [{string.Join(", ", options.HiddenSizes)}]) implies at least {weights:0} weights, but only {r.RemainingBytes} bytes remain.");
        }

        GradientOriginNetwork network = Create(dimension, options);
        foreach (Variable p in network.Parameters)
        {
            r.ReadSingleArray("a weight matrix", p.Value.Length).CopyTo(p.Value, 0);
        }

        if (r.ReadBoolean())
        {
            network._latentMean = r.ReadDoubleArray("the latent means", options.LatentDimension);
            network._latentStandardDeviation = r.ReadDoubleArray("the latent deviations", options.LatentDimension);
        }

        r.EnsureEnd();
        return network;
    }

    /// <summary>
    /// A lower bound on the weights a network of this shape holds: the products of consecutive layer widths from the
    /// latent through the hidden layers to the output (one value per pixel for an implicit decoder), whatever the variant.
    /// </summary>
    private static double MinimumWeightCount(int dimension, GonOptions options)
    {
        double[] widths = [options.LatentDimension, .. options.HiddenSizes.Select(h => (double)h), options.Implicit ? 1 : dimension];
        double count = 0;
        for (int i = 0; i + 1 < widths.Length; i++)
        {
            count += widths[i] * widths[i + 1];
        }

        return count;
    }

    /// <summary>F(z) for each row's latent: its reconstruction.</summary>
    public float[] Reconstruct(ReadOnlySpan<float> rows)
    {
        int n = rows.Length / DataDimension;
        float[] latent = Encode(rows); // needs the graph: the latent is a gradient
        using IDisposable pause = Graph.Pause();
        return Decode(Variable.Leaf(n, Options.LatentDimension, latent)).Value;
    }

    private float[] Validate(ReadOnlySpan<float> rows, int n)
    {
        if (rows.Length != (long)n * DataDimension || n == 0)
        {
            throw new ArgumentException($"{rows.Length} values do not make whole rows of {DataDimension}.");
        }

        for (int i = 0; i < n; i++)
        {
            InputValidation.ValidateRow(rows.Slice(i * DataDimension, DataDimension), DataDimension, i);
        }

        return rows.ToArray();
    }
}
