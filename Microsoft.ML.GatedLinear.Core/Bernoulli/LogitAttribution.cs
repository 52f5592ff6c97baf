using Microsoft.ML.GatedLinear.Numerics;

namespace Microsoft.ML.GatedLinear.Bernoulli;

/// <summary>
/// An exact decomposition of one prediction: Logit = Σ_j Weights[j]·InputLogits[j] + Intercept, where
/// InputLogits are the base model's logits of the standardized features. Given the active weight rows
/// a GLN is linear in its input logits, so these weights explain the prediction with no approximation.
/// </summary>
public sealed class LogitAttribution
{
    internal LogitAttribution(float[] inputLogits, double[] weights, double intercept)
    {
        InputLogits = inputLogits;
        Weights = weights;
        Intercept = intercept;
        double logit = intercept;
        for (int j = 0; j < weights.Length; j++)
        {
            logit += weights[j] * inputLogits[j];
        }

        Logit = logit;
    }

    /// <summary>The base model's logit for each feature (the clipped standardized value).</summary>
    public IReadOnlyList<float> InputLogits { get; }

    /// <summary>The effective weight of each input logit in the output logit.</summary>
    public IReadOnlyList<double> Weights { get; }

    /// <summary>What the bias inputs and any clipped neurons contribute.</summary>
    public double Intercept { get; }

    /// <summary>The output logit the decomposition adds up to.</summary>
    public double Logit { get; }

    /// <summary>σ(<see cref="Logit"/>).</summary>
    public double Probability => Logistic.Sigmoid(Logit);

    /// <summary>Feature <paramref name="feature"/>'s share of the logit: Weights[j]·InputLogits[j].</summary>
    public double Contribution(int feature) => Weights[feature] * InputLogits[feature];
}
