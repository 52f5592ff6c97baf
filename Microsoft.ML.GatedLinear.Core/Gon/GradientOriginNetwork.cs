using Microsoft.ML.GatedLinear.Data;
using Microsoft.ML.GatedLinear.Gon.Autodiff;
using Microsoft.ML.GatedLinear.Numerics;

namespace Microsoft.ML.GatedLinear.Gon;

/// <summary>
/// A Gradient Origin Network with an MLP decoder F (ELU hidden layers, sigmoid output for data in [0, 1]). There
/// is no encoder: a row's latent is the negative gradient of the reconstruction loss at the origin,
/// z = −∇_{z₀} Σ(x − F(z₀))² at z₀ = 0. Training minimizes Σ(x − F(z))² with respect to F's weights by Adam,
/// differentiating through the inner gradient (second order), unless the ablation flag detaches it.
/// </summary>
public sealed class GradientOriginNetwork
{
    private readonly Variable[] _weights;
    private readonly Variable[] _biases;
    private readonly AdamOptimizer _optimizer;

    private GradientOriginNetwork(GonOptions options, int dataDimension, Variable[] weights, Variable[] biases)
    {
        Options = options;
        DataDimension = dataDimension;
        _weights = weights;
        _biases = biases;
        _optimizer = new AdamOptimizer([.. weights, .. biases], options.LearningRate);
    }

    /// <summary>An untrained network with weights drawn from N(0, 1/fan-in).</summary>
    public static GradientOriginNetwork Create(int dataDimension, GonOptions? options = null)
    {
        options = (options ?? new GonOptions()).Clone();
        options.Validate();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dataDimension);
        int[] sizes = [options.LatentDimension, .. options.HiddenSizes, dataDimension];
        var random = new SeededRandom(options.Seed);
        var weights = new Variable[sizes.Length - 1];
        var biases = new Variable[sizes.Length - 1];
        for (int l = 0; l < weights.Length; l++)
        {
            double scale = 1 / Math.Sqrt(sizes[l]);
            weights[l] = Variable.Leaf(sizes[l], sizes[l + 1], Enumerable.Range(0, sizes[l] * sizes[l + 1]).Select(_ => (float)(scale * random.NextGaussian())).ToArray(), requiresGradient: true);
            biases[l] = Variable.Leaf(1, sizes[l + 1], new float[sizes[l + 1]], requiresGradient: true);
        }

        return new GradientOriginNetwork(options, dataDimension, weights, biases);
    }

    /// <summary>The hyperparameters.</summary>
    public GonOptions Options { get; }

    /// <summary>Length of a data row.</summary>
    public int DataDimension { get; }

    /// <summary>Number of trainable values.</summary>
    public int ParameterCount => _weights.Sum(w => w.Value.Length) + _biases.Sum(b => b.Value.Length);

    /// <summary>The decoder F applied to latents z [rows × latent].</summary>
    public Variable Decode(Variable z)
    {
        Variable h = z;
        for (int l = 0; l < _weights.Length; l++)
        {
            Variable a = Ops.AddRow(Ops.MatMul(h, _weights[l]), _biases[l]);
            h = l + 1 < _weights.Length ? Ops.Elu(a) : Ops.Sigmoid(a);
        }

        return h;
    }

    /// <summary>z = −∇_{z₀} L_in at z₀ = 0 for a batch x [rows × D]; recorded (differentiable) when <paramref name="createGraph"/>.</summary>
    public Variable Latent(Variable x, bool createGraph)
    {
        var origin = Variable.Leaf(x.Rows, Options.LatentDimension, new float[x.Rows * Options.LatentDimension], requiresGradient: true);
        Variable inner = Ops.SquaredError(Decode(origin), x);
        return Ops.Scale(Graph.Gradients(inner, [origin], createGraph)[0], -1);
    }

    /// <summary>One Adam step on a batch (row-major [rows × D], values in [0, 1]); returns the mean outer loss per row.</summary>
    public double TrainBatch(ReadOnlySpan<float> batch)
    {
        int rows = batch.Length / DataDimension;
        var x = Variable.Leaf(rows, DataDimension, Validate(batch, rows));
        Variable z = Latent(x, createGraph: !Options.DetachInnerGradient);
        if (Options.DetachInnerGradient)
        {
            z = z.Detach();
        }

        Variable outer = Ops.Scale(Ops.SquaredError(Decode(z), x), 1f / rows);
        Variable[] gradients = Graph.Gradients(outer, [.. _weights, .. _biases]);
        _optimizer.Step(gradients);
        return outer.Scalar;
    }

    /// <summary>One epoch of mini-batches in a seeded shuffled order; returns the mean outer loss per row.</summary>
    public double TrainEpoch(ReadOnlySpan<float> rows, SeededRandom random, CancellationToken cancellation = default)
    {
        int n = rows.Length / DataDimension;
        InputValidation.ValidateNotEmpty(n);
        int[] order = Enumerable.Range(0, n).ToArray();
        random.Shuffle(order.AsSpan());
        var batch = new float[Options.BatchSize * DataDimension];
        double total = 0;
        for (int first = 0; first < n; first += Options.BatchSize)
        {
            cancellation.ThrowIfCancellationRequested();
            int count = Math.Min(Options.BatchSize, n - first);
            for (int b = 0; b < count; b++)
            {
                rows.Slice(order[first + b] * DataDimension, DataDimension).CopyTo(batch.AsSpan(b * DataDimension));
            }

            total += TrainBatch(batch.AsSpan(0, count * DataDimension)) * count;
        }

        return total / n;
    }

    /// <summary>The latent of each row (the features a GON provides), row-major [rows × latent].</summary>
    public float[] Encode(ReadOnlySpan<float> rows)
    {
        int n = rows.Length / DataDimension;
        return Latent(Variable.Leaf(n, DataDimension, Validate(rows, n)), createGraph: false).Value;
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
