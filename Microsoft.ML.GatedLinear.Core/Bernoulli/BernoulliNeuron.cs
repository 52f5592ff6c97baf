using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
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

    /// <summary>
    /// One projected gradient step on the active row, in place, in one pass. A prediction on the clip that is right
    /// (logit at +L for y = 1, at −L for y = 0) is left alone: the clipped output does not depend on w there, so the
    /// gradient is zero (as in DeepMind's reference), and the row is not written at all. Returns whether it was written.
    /// </summary>
    public static bool Update(Span<float> weights, ReadOnlySpan<float> inputLogits, float logit, float target, float maxLogit, float learningRate, float weightBound)
    {
        if ((logit >= maxLogit && target == 1) || (logit <= -maxLogit && target == 0))
        {
            return false;
        }

        if (inputLogits.Length != weights.Length)
        {
            throw new ArgumentException($"A row of {weights.Length} weights over {inputLogits.Length} inputs.", nameof(weights));
        }

        // One pass over refs (the unchecked loads stay inside the two spans, of one length): w ← clamp(w + step·x, ±β).
        float step = -learningRate * (Logistic.Sigmoid(logit) - target);
        ref float w0 = ref MemoryMarshal.GetReference(weights);
        ref float x0 = ref MemoryMarshal.GetReference(inputLogits);
        int m = weights.Length, j = 0;
        Vector<float> upper = new(weightBound), lower = -upper, stepVector = new(step);
        for (; j <= m - Vector<float>.Count; j += Vector<float>.Count)
        {
            Vector<float> w = Vector.LoadUnsafe(ref x0, (nuint)j) * stepVector + Vector.LoadUnsafe(ref w0, (nuint)j);
            Vector.Max(Vector.Min(w, upper), lower).StoreUnsafe(ref w0, (nuint)j);
        }

        for (; j < m; j++)
        {
            Unsafe.Add(ref w0, j) = Math.Max(Math.Min(Unsafe.Add(ref x0, j) * step + Unsafe.Add(ref w0, j), weightBound), -weightBound);
        }

        return true;
    }
}
