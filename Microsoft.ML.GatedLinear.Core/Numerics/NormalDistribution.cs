namespace Microsoft.ML.GatedLinear.Numerics;

/// <summary>The univariate normal distribution's log density and quantiles.</summary>
internal static class NormalDistribution
{
    /// <summary>½ log 2π.</summary>
    public const double HalfLogTwoPi = 0.91893853320467274178;

    /// <summary>log N(y; mean, variance).</summary>
    public static double LogDensity(double y, double mean, double variance)
        => -HalfLogTwoPi - 0.5 * Math.Log(variance) - (y - mean) * (y - mean) / (2 * variance);

    /// <summary>φ(z), the standard normal density.</summary>
    public static double Density(double z) => Math.Exp(-0.5 * z * z - HalfLogTwoPi);

    /// <summary>Φ(z), the standard normal distribution function, via erfc (absolute error below 1.2·10⁻⁷).</summary>
    public static double Cdf(double z) => 0.5 * ComplementaryErrorFunction(-z / Math.Sqrt(2));

    /// <summary>
    /// CRPS of N(mean, variance) at y: σ·[z(2Φ(z) − 1) + 2φ(z) − 1/√π] with z = (y − mean)/σ, the closed form of
    /// ∫ (F(t) − 1{t ≥ y})² dt (Gneiting and Raftery, 2007); in the units of y, and the mean absolute error for a
    /// point forecast.
    /// </summary>
    public static double ContinuousRankedProbabilityScore(double y, double mean, double variance)
    {
        double sigma = Math.Sqrt(variance), z = (y - mean) / sigma;
        return sigma * (z * (2 * Cdf(z) - 1) + 2 * Density(z) - 1 / Math.Sqrt(Math.PI));
    }

    // Numerical Recipes' erfcc: a Chebyshev fit with fractional error below 1.2·10⁻⁷ everywhere.
    private static double ComplementaryErrorFunction(double x)
    {
        double z = Math.Abs(x), t = 1 / (1 + 0.5 * z);
        double r = t * Math.Exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806
            + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? r : 2 - r;
    }

    /// <summary>
    /// Φ⁻¹(p), the standard normal quantile, by Acklam's rational approximation (relative error below
    /// 1.2·10⁻⁹ over (0, 1)).
    /// </summary>
    public static double InverseCdf(double p)
    {
        if (!(p > 0 && p < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(p), p, "A probability strictly between 0 and 1 is required.");
        }

        const double low = 0.02425, high = 1 - low;
        if (p < low)
        {
            double q = Math.Sqrt(-2 * Math.Log(p));
            return Tail(q);
        }

        if (p > high)
        {
            double q = Math.Sqrt(-2 * Math.Log(1 - p));
            return -Tail(q);
        }

        double r = p - 0.5, s = r * r;
        return (((((-3.969683028665376e+01 * s + 2.209460984245205e+02) * s - 2.759285104469687e+02) * s + 1.383577518672690e+02) * s - 3.066479806614716e+01) * s + 2.506628277459239e+00) * r
             / (((((-5.447609879822406e+01 * s + 1.615858368580409e+02) * s - 1.556989798598866e+02) * s + 6.680131188771972e+01) * s - 1.328068155288572e+01) * s + 1);
    }

    private static double Tail(double q)
        => (((((-7.784894002430293e-03 * q - 3.223964580411365e-01) * q - 2.400758277161838e+00) * q - 2.549671010248222e+00) * q + 4.374664141464968e+00) * q + 2.938163982698783e+00)
         / ((((7.784695709041462e-03 * q + 3.224671290700398e-01) * q + 2.445134137142996e+00) * q + 3.754408661907416e+00) * q + 1);
}
