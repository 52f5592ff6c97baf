using Microsoft.ML.GatedLinear.Gon;
using Microsoft.ML.GatedLinear.Gon.Autodiff;
using Microsoft.ML.GatedLinear.Numerics;
using Microsoft.ML.GatedLinear.Training;

namespace MLGated.Lab;

/// <summary>
/// The baseline a GON is compared with: the same decoder as <see cref="GradientOriginNetwork"/> plus a mirrored
/// encoder (ELU hidden layers, linear latent), trained by the same Adam on the same squared reconstruction loss.
/// </summary>
public sealed class Autoencoder
{
    private readonly Mlp _encoder;
    private readonly Mlp _decoder;
    private readonly AdamOptimizer _optimizer;

    /// <summary>Creates the autoencoder that mirrors a GON with these options.</summary>
    public Autoencoder(int dataDimension, GonOptions options)
    {
        options.Validate();
        var random = new SeededRandom(options.Seed);
        _decoder = new Mlp([options.LatentDimension, .. options.HiddenSizes, dataDimension], sigmoidOutput: true, random);
        _encoder = new Mlp([dataDimension, .. options.HiddenSizes.Reverse(), options.LatentDimension], sigmoidOutput: false, random);
        Options = options;
        DataDimension = dataDimension;
        _optimizer = new AdamOptimizer(Parameters, options.LearningRate);
    }

    /// <summary>The options it mirrors.</summary>
    public GonOptions Options { get; }

    /// <summary>Length of a data row.</summary>
    public int DataDimension { get; }

    /// <summary>Number of trainable values (encoder and decoder).</summary>
    public int ParameterCount => Parameters.Sum(p => p.Value.Length);

    private Variable[] Parameters => [.. _encoder.Parameters, .. _decoder.Parameters];

    /// <summary>Trains encoder and decoder as <see cref="GradientOriginNetwork.Fit"/> trains the GON: same mini-batches, same order for the same seed.</summary>
    /// <returns>Each epoch's mean squared error per row.</returns>
    public TrainingHistory Fit(float[] rows, OnlineTrainingOptions? training = null)
        => EpochDriver.Run(InMemoryRows.Unlabeled(rows, DataDimension), training ?? new OnlineTrainingOptions(), Options.BatchSize, TrainBatch);

    /// <summary>One Adam step on a batch; returns the mean squared error per row.</summary>
    public double TrainBatch(ReadOnlySpan<float> batch, ReadOnlySpan<float> unusedLabels = default)
    {
        var x = Variable.Leaf(batch.Length / DataDimension, DataDimension, batch.ToArray());
        Variable loss = Ops.Scale(Ops.SquaredError(_decoder.Forward(_encoder.Forward(x)), x), 1f / x.Rows);
        _optimizer.Step(Graph.Gradients(loss, Parameters));
        return loss.Scalar;
    }

    /// <summary>Reconstructions of the rows.</summary>
    public float[] Reconstruct(ReadOnlySpan<float> rows)
    {
        using IDisposable pause = Graph.Pause();
        return _decoder.Forward(_encoder.Forward(Variable.Leaf(rows.Length / DataDimension, DataDimension, rows.ToArray()))).Value;
    }
}
