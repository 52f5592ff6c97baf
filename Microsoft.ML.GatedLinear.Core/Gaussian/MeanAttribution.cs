namespace Microsoft.ML.GatedLinear.Gaussian;

/// <summary>
/// An exact decomposition of one predicted mean, in the target's original units:
/// Mean = Σ_j Contributions[j] + Intercept. Given the active weight rows and the example's input precisions,
/// every neuron's mean Σ_j (w_j λ_j / Λ) μ_j is linear in the means below it, so composing the rows from the
/// output down attributes the mean to the base Gaussians (one per feature); the bias Gaussians and the
/// target's centre form the intercept.
/// </summary>
public sealed class MeanAttribution
{
    internal MeanAttribution(double[] contributions, double intercept)
    {
        Contributions = contributions;
        Intercept = intercept;
        Mean = intercept + contributions.Sum();
    }

    /// <summary>Each feature's share of the mean (its base Gaussian's mean times its effective weight).</summary>
    public IReadOnlyList<double> Contributions { get; }

    /// <summary>What the bias Gaussians and the target's centre contribute.</summary>
    public double Intercept { get; }

    /// <summary>The predicted mean the decomposition adds up to.</summary>
    public double Mean { get; }
}
