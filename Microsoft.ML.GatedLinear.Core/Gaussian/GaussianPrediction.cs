using Microsoft.ML.GatedLinear.Numerics;
using Microsoft.ML.GatedLinear.Training;

namespace Microsoft.ML.GatedLinear.Gaussian;

/// <summary>A univariate predictive distribution N(Mean, Variance), in the target's original units.</summary>
public readonly struct GaussianPrediction
{
    private readonly HeldOutCalibration? _calibration;
    private readonly int _dimension;

    /// <summary>Creates a prediction.</summary>
    public GaussianPrediction(double mean, double variance)
    {
        Mean = mean;
        Variance = variance;
    }

    internal GaussianPrediction(double mean, double variance, HeldOutCalibration? calibration, int dimension = 0)
        : this(mean, variance)
    {
        _calibration = calibration;
        _dimension = dimension;
    }

    /// <summary>The predicted mean.</summary>
    public double Mean { get; }

    /// <summary>The predicted variance.</summary>
    public double Variance { get; }

    /// <summary>√Variance.</summary>
    public double StandardDeviation => Math.Sqrt(Variance);

    /// <summary>log N(y; Mean, Variance).</summary>
    public double LogDensity(double y) => NormalDistribution.LogDensity(y, Mean, Variance);

    /// <summary>
    /// The central interval meant to hold the target with probability <paramref name="coverage"/> (e.g. 0.9).
    /// From a model calibrated on held-out rows, Mean ± q·StandardDeviation with q a split-conformal quantile of the
    /// held-out rows' standardized errors (coverage at least as asked for exchangeable rows); otherwise the
    /// Gaussian's own quantiles.
    /// </summary>
    public (double Lower, double Upper) Interval(double coverage)
    {
        OptionChecks.Coverage(coverage, nameof(coverage));
        double q = _calibration?.HalfWidthInStandardDeviations(_dimension, coverage) ?? NormalDistribution.InverseCdf(0.5 + coverage / 2);
        double half = q * StandardDeviation;
        return (Mean - half, Mean + half);
    }
}
