namespace Microsoft.ML.Trainers.GatedLinear;

/// <summary>What every gated linear trainer needs besides the network's own hyperparameters.</summary>
public abstract class GatedLinearTrainerOptions
{
    /// <summary>The label column. Default "Label".</summary>
    public string LabelColumnName { get; set; } = "Label";

    /// <summary>The feature column: Single or a known-size vector of Single, dense or sparse. Default "Features".</summary>
    public string FeatureColumnName { get; set; } = "Features";

    /// <summary>Passes over the training data. GLNs are built to learn in one; regression usually gains from more.</summary>
    public int NumberOfEpochs { get; set; } = 1;

    /// <summary>Visit rows in a new seeded order every epoch. Default true.</summary>
    public bool Shuffle { get; set; } = true;

    /// <summary>Seed of the hyperplanes and shuffles. Default null: drawn from the MLContext's seed.</summary>
    public int? Seed { get; set; }

    /// <summary>
    /// Skip rows whose features or label are missing (NaN, ∞, or a missing key) instead of failing; the number
    /// skipped is written to the MLContext log. Default false: such a row stops training with an exception
    /// naming the column and row.
    /// </summary>
    public bool SkipRowsWithMissingValues { get; set; }

    /// <summary>Rows handed to the core at a time (updates stay per row). Default 256.</summary>
    public int BatchSize { get; set; } = 256;

    /// <summary>Cancels training between batches.</summary>
    public CancellationToken CancellationToken { get; set; }

    internal virtual void Validate()
    {
        ArgumentException.ThrowIfNullOrEmpty(LabelColumnName, nameof(LabelColumnName));
        ArgumentException.ThrowIfNullOrEmpty(FeatureColumnName, nameof(FeatureColumnName));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(NumberOfEpochs, nameof(NumberOfEpochs));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(BatchSize, nameof(BatchSize));
    }
}
