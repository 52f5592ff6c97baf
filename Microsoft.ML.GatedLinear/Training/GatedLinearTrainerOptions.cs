using Microsoft.ML.GatedLinear.Training;

namespace Microsoft.ML.Trainers.GatedLinear;

/// <summary>What every gated linear trainer needs besides the network's own hyperparameters.</summary>
public abstract class GatedLinearTrainerOptions
{
    /// <summary>The label column. Default "Label".</summary>
    public string LabelColumnName { get; set; } = "Label";

    /// <summary>The feature column: Single or a known-size vector of Single, dense or sparse. Default "Features".</summary>
    public string FeatureColumnName { get; set; } = "Features";

    /// <summary>
    /// The most passes over the training data. With more than one, a <see cref="ValidationFraction"/> of the rows is
    /// held out and training stops once their loss has not improved for <see cref="EarlyStoppingPatience"/> epochs,
    /// keeping the best epoch's model. 1 learns every row once in one online pass, holding nothing out (for data that
    /// does not fit a second pass). Default 50.
    /// </summary>
    public int NumberOfEpochs { get; set; } = 50;

    /// <summary>
    /// The share of training rows held out to choose the number of epochs (each row by a coin fixed by the seed and its
    /// row id; each model of an ensemble holds out its own share, disjoint from the others'); 0 trains on every row for
    /// exactly <see cref="NumberOfEpochs"/> epochs. Default 0.1 (0.2 for
    /// <c>GatedLinearRegression</c>, whose held-out rows also calibrate its intervals).
    /// </summary>
    public double ValidationFraction { get; set; } = 0.1;

    /// <summary>Epochs without a lower held-out loss before training stops. Default 5.</summary>
    public int EarlyStoppingPatience { get; set; } = 5;

    /// <summary>
    /// The relative drop in held-out loss that restarts the patience: smaller gains still keep a better model but let a
    /// long plateau end training. 0 counts every gain. Default 0.001.
    /// </summary>
    public double EarlyStoppingTolerance { get; set; } = 0.001;

    /// <summary>After the best epoch's model is restored, learn the held-out rows once more. Default false (it pulls the model towards them).</summary>
    public bool LearnHeldOutRows { get; set; }

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

    /// <summary>The models the GLN trainers' <c>EnsembleSize</c> trains by default on small data: 4.</summary>
    public const int DefaultEnsembleSize = 4;

    /// <summary>
    /// Learned rows below which the GLN trainers' <c>EnsembleSize</c> defaults to <see cref="DefaultEnsembleSize"/>: 512,
    /// the B-GLN data-size rule's small-data boundary (<see cref="Microsoft.ML.GatedLinear.Bernoulli.BernoulliGlnOptions.ForData"/>).
    /// </summary>
    public const int EnsembleRowLimit = 512;

    /// <summary>An <c>EnsembleSize</c> option's models: the option's value, else the default for <paramref name="learnedRows"/> (some held out when <paramref name="holdsOut"/>).</summary>
    internal static int EnsembleSizeFor(int? option, long learnedRows, bool holdsOut)
        => option ?? (holdsOut && learnedRows < EnsembleRowLimit ? DefaultEnsembleSize : 1);

    private protected static void ValidateEnsembleSize(int? size, int max)
    {
        if (size is < 1 || size > max)
        {
            throw new ArgumentOutOfRangeException("EnsembleSize", size, $"The ensemble size must be between 1 and {max}.");
        }
    }

    internal virtual void Validate()
    {
        ArgumentException.ThrowIfNullOrEmpty(LabelColumnName, nameof(LabelColumnName));
        ArgumentException.ThrowIfNullOrEmpty(FeatureColumnName, nameof(FeatureColumnName));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(NumberOfEpochs, nameof(NumberOfEpochs));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(BatchSize, nameof(BatchSize));
        Training(NumberOfEpochs, 0).Validate();
    }

    /// <summary>The core's training options these stand for, for <paramref name="epochs"/> at most.</summary>
    internal OnlineTrainingOptions Training(int epochs, int seed) => new()
    {
        Epochs = epochs,
        ValidationFraction = ValidationFraction,
        EarlyStoppingPatience = EarlyStoppingPatience,
        EarlyStoppingTolerance = EarlyStoppingTolerance,
        LearnHeldOutRows = LearnHeldOutRows,
        Shuffle = Shuffle,
        Seed = seed,
        CancellationToken = CancellationToken,
    };
}
