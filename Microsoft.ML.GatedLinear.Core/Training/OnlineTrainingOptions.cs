namespace Microsoft.ML.GatedLinear.Training;

/// <summary>How a model's <c>Fit</c> streams a data set through it: epochs, order, progress and cancellation.</summary>
public sealed class OnlineTrainingOptions
{
    /// <summary>Passes over the data. Default 1 (GLNs are built to learn in one pass).</summary>
    public int Epochs { get; set; } = 1;

    /// <summary>Visit rows in a new seeded random order each epoch. Default true.</summary>
    public bool Shuffle { get; set; } = true;

    /// <summary>Seed of the shuffles. Default 1.</summary>
    public int Seed { get; set; } = 1;

    /// <summary>
    /// Rows handed to a gated linear network at a time. Its updates stay per row; a batch only lets gating run as one
    /// matrix product, so results do not depend on it. (GaLU and GON networks take one optimizer step per mini-batch
    /// of their own options' BatchSize.) Default 256.
    /// </summary>
    public int BatchSize { get; set; } = 256;

    /// <summary>Receives a report after every batch, if set.</summary>
    public IProgress<TrainingProgress>? Progress { get; set; }

    /// <summary>Stops training between batches when cancelled (throws <see cref="OperationCanceledException"/>).</summary>
    public CancellationToken CancellationToken { get; set; }

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Epochs, nameof(Epochs));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(BatchSize, nameof(BatchSize));
    }
}
