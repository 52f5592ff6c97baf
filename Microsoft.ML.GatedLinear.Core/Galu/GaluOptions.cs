using Microsoft.ML.GatedLinear.Training;

namespace Microsoft.ML.GatedLinear.Galu;

/// <summary>The gate function σ of a GaLU neuron.</summary>
public enum GateKind
{
    /// <summary>σ(t) = 1 if t ≥ 0, else 0.</summary>
    Step = 0,

    /// <summary>σ(t) = 1 / (1 + e^−t).</summary>
    Sigmoid = 1,
}

/// <summary>Which input each layer's gates read.</summary>
public enum GaluVariant
{
    /// <summary>GaLU0: every layer's gates read the original input x₀, so gates never change during training.</summary>
    Galu0 = 0,

    /// <summary>GaLU: a layer's gates read the previous layer's output.</summary>
    Galu = 1,
}

/// <summary>Hyperparameters of GaLU networks.</summary>
public sealed class GaluOptions
{
    /// <summary>Neurons per hidden layer. Default [64].</summary>
    public int[] HiddenSizes { get; set; } = [64];

    /// <summary>The gate function. Default <see cref="GateKind.Sigmoid"/> (the GaLU paper found it better on test data).</summary>
    public GateKind Gate { get; set; } = GateKind.Sigmoid;

    /// <summary>Which input the gates read (deep networks). Default <see cref="GaluVariant.Galu0"/>.</summary>
    public GaluVariant Variant { get; set; } = GaluVariant.Galu0;

    /// <summary>α: filters are drawn from N(0, I)/(α√d). Default 1.</summary>
    public double FilterScale { get; set; } = 1;

    /// <summary>One hidden layer only: exactly one gate per input, the filter with the largest u·x (a partition of input space). Default false.</summary>
    public bool ExclusiveGates { get; set; }

    /// <summary>
    /// Ridge λ of the closed-form solution (<see cref="ClosedFormGalu.Solve"/>). Default 1e-3.
    /// <see cref="ClosedFormGalu.SolveChoosingRidge"/> — what the GaluRegression trainer does when it holds rows out, as
    /// it does by default — chooses it on held-out rows instead and records its choice here.
    /// </summary>
    public double Ridge { get; set; } = 1e-3;

    /// <summary>Adam step size for deep networks. Default 1e-3.</summary>
    public double LearningRate { get; set; } = 1e-3;

    /// <summary>
    /// The largest mini-batch of a deep network's Adam steps: with fewer than 128 × BatchSize rows to learn, batches of
    /// rows/128 (at least 4), so every epoch makes about 128 steps (<see cref="DeepGaluNetwork.MiniBatchRows"/>). Default 64.
    /// </summary>
    public int BatchSize { get; set; } = 64;

    /// <summary>Seed of the filters, initial weights and shuffles. Default 1.</summary>
    public int Seed { get; set; } = 1;

    /// <summary>Throws naming the first invalid option.</summary>
    public void Validate()
    {
        if (HiddenSizes is null || HiddenSizes.Length == 0 || HiddenSizes.Any(k => k < 1))
        {
            throw new ArgumentException("HiddenSizes needs at least one layer of at least one neuron.", nameof(HiddenSizes));
        }

        OptionChecks.Defined(Gate, nameof(Gate));
        OptionChecks.Defined(Variant, nameof(Variant));
        OptionChecks.FinitePositive(FilterScale, nameof(FilterScale));
        OptionChecks.FiniteNonNegative(Ridge, nameof(Ridge));
        OptionChecks.FinitePositive(LearningRate, nameof(LearningRate));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(BatchSize, nameof(BatchSize));
        if (ExclusiveGates && HiddenSizes.Length != 1)
        {
            throw new ArgumentException("Exclusive gates are defined for one hidden layer.", nameof(ExclusiveGates));
        }
    }

    /// <summary>A copy.</summary>
    public GaluOptions Clone()
    {
        var copy = (GaluOptions)MemberwiseClone();
        copy.HiddenSizes = (int[])HiddenSizes.Clone();
        return copy;
    }
}
