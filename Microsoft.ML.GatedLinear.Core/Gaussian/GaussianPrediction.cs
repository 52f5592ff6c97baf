using Microsoft.ML.GatedLinear.Numerics;

namespace Microsoft.ML.GatedLinear.Gaussian;

/// <summary>A univariate predictive distribution N(Mean, Variance), in the target's original units.</summary>
public readonly struct GaussianPrediction
{
    /// <summary>Creates a prediction.</summary>
    public GaussianPrediction(double mean, double variance)
    {
        Mean = mean;
        Variance = variance;
    }

    /// <summary>The predicted mean.</summary>
    public double Mean { get; }

    /// <summary>The predicted variance.</summary>
    public double Variance { get; }

    /// <summary>√Variance.</summary>
    public double StandardDeviation => Math.Sqrt(Variance);

    /// <summary>log N(y; Mean, Variance).</summary>
    public double LogDensity(double y) => NormalDistribution.LogDensity(y, Mean, Variance);

    /// <summary>The central interval holding probability <paramref name="coverage"/> (e.g. 0.9 for 5 %–95 %).</summary>
    public (double Lower, double Upper) Interval(double coverage)
    {
        if (!(coverage > 0 && coverage < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(coverage), coverage, "Coverage must lie strictly between 0 and 1.");
        }

        double half = NormalDistribution.InverseCdf(0.5 + coverage / 2) * StandardDeviation;
        return (Mean - half, Mean + half);
    }
}
