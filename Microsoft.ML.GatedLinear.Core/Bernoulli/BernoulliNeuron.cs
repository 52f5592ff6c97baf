using System.Numerics.Tensors;
using Microsoft.ML.GatedLinear.Numerics;

namespace Microsoft.ML.GatedLinear.Bernoulli;

/// <summary>
/// The update rules of one Bernoulli GLN neuron, given its active weight row w and its input logits x:
/// prediction p̂ = σ(clamp(w·x, −L, L)) (geometric mixing, clipped to [ε, 1 − ε]); local log loss
/// ℓ = −log p̂(y); gradient (p̂ − y)·x; step w ← clamp(w − η·(p̂ − y)·x, −β, β).
/// </summary>
internal static class BernoulliNeuron
{
    /// <summary>The clipped output logit w·x.</summary>
    public static float PredictLogit(ReadOnlySpan<float> weights, ReadOnlySpan<float> inputLogits, float maxLogit)
        => Math.Clamp(TensorPrimitives.Dot(weights, inputLogits), -maxLogit, maxLogit);

    /// <summary>Log loss of predicting logit <paramref name="logit"/> for target <paramref name="target"/> ∈ {0, 1}.</summary>
    public static double LogLoss(double logit, float target)
    {
        double p = Logistic.Sigmoid(logit);
        return -(target * Math.Log(p) + (1 - target) * Math.Log(1 - p));
    }

    /// <summary>Writes ∂ℓ/∂w = (p̂ − y)·x.</summary>
    public static void Gradient(ReadOnlySpan<float> inputLogits, float logit, float target, Span<float> gradient)
        => TensorPrimitives.Multiply(inputLogits, Logistic.Sigmoid(logit) - target, gradient);

    /// <summary>One projected gradient step on the active row, in place.</summary>
    public static void Update(Span<float> weights, ReadOnlySpan<float> inputLogits, float logit, float target, float learningRate, float weightBound)
    {
        float step = -learningRate * (Logistic.Sigmoid(logit) - target);
        TensorPrimitives.MultiplyAdd(inputLogits, step, weights, weights);
        TensorPrimitives.Min(weights, weightBound, weights);
        TensorPrimitives.Max(weights, -weightBound, weights);
    }
}
