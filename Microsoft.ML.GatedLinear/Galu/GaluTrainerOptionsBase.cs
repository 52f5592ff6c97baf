using Microsoft.ML.GatedLinear.Galu;

namespace Microsoft.ML.Trainers.GatedLinear;

/// <summary>
/// What every GaLU trainer's options hold: the common trainer options, where <see cref="GatedLinearTrainerOptions.BatchSize"/>
/// is the largest mini-batch of an Adam step (default 64; with fewer than 128 × BatchSize rows to learn, batches of
/// rows/128, at least 4, so each epoch still makes about 128 steps: <see cref="DeepGaluNetwork.MiniBatchRows"/>), and the
/// network's hyperparameters.
/// </summary>
public abstract class GaluTrainerOptionsBase : GatedLinearTrainerOptions
{
    private protected GaluTrainerOptionsBase() => BatchSize = 64;

    /// <summary>
    /// The network, defaults as documented on <see cref="GaluOptions"/>. Regression with one hidden layer is solved in
    /// closed form from one pass (epochs are then ignored; its ridge is chosen on the held-out rows:
    /// <see cref="GaluRegressionTrainer"/>); otherwise the linear parts train by Adam. Features are
    /// used as given: normalize them first (e.g. NormalizeMeanVariance). The trainer's Seed overrides Network.Seed.
    /// </summary>
    public GaluOptions Network { get; set; } = new();
}
