using Microsoft.ML.GatedLinear.Galu;

namespace Microsoft.ML.Trainers.GatedLinear;

/// <summary>
/// What every GaLU trainer's options hold: the common trainer options (mini-batches of 64 by default: one Adam step per
/// batch) and the network's hyperparameters.
/// </summary>
public abstract class GaluTrainerOptionsBase : GatedLinearTrainerOptions
{
    private protected GaluTrainerOptionsBase() => BatchSize = 64;

    /// <summary>
    /// The network, defaults as documented on <see cref="GaluOptions"/>. Regression with one hidden layer is solved in
    /// closed form from one pass (epochs are then ignored); otherwise the linear parts train by Adam. Features are
    /// used as given: normalize them first (e.g. NormalizeMeanVariance). The trainer's Seed overrides Network.Seed.
    /// </summary>
    public GaluOptions Network { get; set; } = new();
}
