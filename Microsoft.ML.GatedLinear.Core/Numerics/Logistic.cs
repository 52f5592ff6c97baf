namespace Microsoft.ML.GatedLinear.Numerics;

/// <summary>The logistic function and its inverse, the pieces of geometric mixing.</summary>
internal static class Logistic
{
    /// <summary>σ(x) = 1 / (1 + e^−x).</summary>
    public static float Sigmoid(float x) => 1f / (1f + MathF.Exp(-x));

    /// <summary>σ(x) in double precision.</summary>
    public static double Sigmoid(double x) => 1.0 / (1.0 + Math.Exp(-x));

    /// <summary>logit(p) = log(p / (1 − p)), the inverse of <see cref="Sigmoid(double)"/>.</summary>
    public static double Logit(double p) => Math.Log(p / (1.0 - p));

    /// <summary>
    /// The logit bound that clipping a probability to [ε, 1 − ε] implies: clip(σ(x)) in logit space is
    /// clamp(x, −L, L) with L = logit(1 − ε), which is how the engine applies it (exact, and cheaper).
    /// </summary>
    /// <param name="epsilon">The clipping margin, in (0, 0.5).</param>
    public static float ClippingBound(double epsilon)
    {
        if (!(epsilon > 0 && epsilon < 0.5))
        {
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "A probability clipping margin must lie in (0, 0.5).");
        }

        return (float)Logit(1.0 - epsilon);
    }
}
