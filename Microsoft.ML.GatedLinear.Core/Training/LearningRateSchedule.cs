using Microsoft.ML.GatedLinear.Persistence;

namespace Microsoft.ML.GatedLinear.Training;

/// <summary>The shape of a learning-rate schedule η_t, t = 1, 2, … counting updates.</summary>
public enum LearningRateScheduleKind
{
    /// <summary>η_t = η0.</summary>
    Constant = 0,

    /// <summary>η_t = η0 / √t.</summary>
    InverseSquareRoot = 1,

    /// <summary>η_t = min(η_max, η0 / (1 + δ·t)).</summary>
    CappedInverse = 2,

    /// <summary>η_t = min(η_max, η0 / t); the GLN paper's MNIST schedule is min(100/t, 0.01).</summary>
    CappedHarmonic = 3,
}

/// <summary>A learning-rate schedule: a kind and its parameters, immutable and serializable.</summary>
/// <param name="Kind">Which formula.</param>
/// <param name="Eta0">η0, the scale.</param>
/// <param name="EtaMax">η_max, the cap (used by the capped kinds).</param>
/// <param name="Decay">δ, the decay rate (used by <see cref="LearningRateScheduleKind.CappedInverse"/>).</param>
public sealed record LearningRateSchedule(LearningRateScheduleKind Kind, double Eta0, double EtaMax = double.PositiveInfinity, double Decay = 0)
{
    /// <summary>η_t = η0.</summary>
    public static LearningRateSchedule Constant(double eta0) => new(LearningRateScheduleKind.Constant, eta0);

    /// <summary>η_t = η0 / √t.</summary>
    public static LearningRateSchedule InverseSquareRoot(double eta0) => new(LearningRateScheduleKind.InverseSquareRoot, eta0);

    /// <summary>η_t = min(η_max, η0 / (1 + δ·t)).</summary>
    public static LearningRateSchedule CappedInverse(double eta0, double decay, double etaMax) => new(LearningRateScheduleKind.CappedInverse, eta0, etaMax, decay);

    /// <summary>η_t = min(η_max, η0 / t); defaults give the GLN paper's min(100/t, 0.01).</summary>
    public static LearningRateSchedule CappedHarmonic(double eta0 = 100, double etaMax = 0.01) => new(LearningRateScheduleKind.CappedHarmonic, eta0, etaMax);

    /// <summary>The rate for update number <paramref name="t"/> (1-based).</summary>
    public double Rate(long t)
    {
        double tt = Math.Max(1, t);
        return Kind switch
        {
            LearningRateScheduleKind.Constant => Eta0,
            LearningRateScheduleKind.InverseSquareRoot => Eta0 / Math.Sqrt(tt),
            LearningRateScheduleKind.CappedInverse => Math.Min(EtaMax, Eta0 / (1 + Decay * tt)),
            LearningRateScheduleKind.CappedHarmonic => Math.Min(EtaMax, Eta0 / tt),
            _ => throw new InvalidOperationException($"Unknown learning-rate schedule kind {Kind}."),
        };
    }

    /// <summary>Writes the kind and parameters.</summary>
    internal void Write(PayloadWriter w)
    {
        w.Write((int)Kind);
        w.Write(Eta0);
        w.Write(EtaMax);
        w.Write(Decay);
    }

    /// <summary>Reads what <see cref="Write"/> wrote (checked by the options' validation).</summary>
    internal static LearningRateSchedule Read(PayloadReader r)
        => new((LearningRateScheduleKind)r.ReadInt32(), r.ReadDouble(), r.ReadDouble(), r.ReadDouble());

    /// <summary>Throws when a parameter makes the schedule meaningless (non-positive or non-finite rates).</summary>
    public void Validate()
    {
        if (!Enum.IsDefined(Kind))
        {
            throw new ArgumentOutOfRangeException(nameof(Kind), Kind, "Unknown learning-rate schedule kind.");
        }

        if (!(Eta0 > 0) || double.IsInfinity(Eta0))
        {
            throw new ArgumentOutOfRangeException(nameof(Eta0), Eta0, "The learning rate η0 must be positive and finite.");
        }

        if (!(EtaMax > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(EtaMax), EtaMax, "The learning-rate cap η_max must be positive.");
        }

        if (!(Decay >= 0) || double.IsInfinity(Decay))
        {
            throw new ArgumentOutOfRangeException(nameof(Decay), Decay, "The decay δ must be finite and non-negative.");
        }
    }
}
