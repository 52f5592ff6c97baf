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
    {
        RequireSameLength(weights, inputLogits);
        ref float x = ref MemoryMarshal.GetReference(inputLogits);
        ref float w = ref MemoryMarshal.GetReference(weights);
        Vector<float> sum = default;
        int m = inputLogits.Length, j = 0;
        for (; j <= m - Vector<float>.Count; j += Vector<float>.Count)
        {
            sum = Vector.FusedMultiplyAdd(Vector.LoadUnsafe(ref w, (nuint)j), Vector.LoadUnsafe(ref x, (nuint)j), sum);
        }

        return Clip(Finish(sum, ref w, ref x, j, m), maxLogit);
    }

    /// <summary>
    /// Four neurons' clipped logits w_r·x over one input, each exactly as <see cref="PredictLogit"/> computes it, in one
    /// pass over the four rows. A layer's active rows lie at unrelated places in its weight table, so one row at a time
    /// waits on each row's first cache misses; four rows streamed together keep four fetches in flight.
    /// </summary>
    public static void PredictLogits(ReadOnlySpan<float> w0, ReadOnlySpan<float> w1, ReadOnlySpan<float> w2, ReadOnlySpan<float> w3, ReadOnlySpan<float> inputLogits, float maxLogit, Span<float> logits)
    {
        RequireSameLength(w0, inputLogits);
        RequireSameLength(w1, inputLogits);
        RequireSameLength(w2, inputLogits);
        RequireSameLength(w3, inputLogits);
        ref float x = ref MemoryMarshal.GetReference(inputLogits);
        ref float r0 = ref MemoryMarshal.GetReference(w0), r1 = ref MemoryMarshal.GetReference(w1);
        ref float r2 = ref MemoryMarshal.GetReference(w2), r3 = ref MemoryMarshal.GetReference(w3);
        Vector<float> s0 = default, s1 = default, s2 = default, s3 = default;
        int m = inputLogits.Length, j = 0;
        for (; j <= m - Vector<float>.Count; j += Vector<float>.Count)
        {
            Vector<float> v = Vector.LoadUnsafe(ref x, (nuint)j);
            s0 = Vector.FusedMultiplyAdd(Vector.LoadUnsafe(ref r0, (nuint)j), v, s0);
            s1 = Vector.FusedMultiplyAdd(Vector.LoadUnsafe(ref r1, (nuint)j), v, s1);
            s2 = Vector.FusedMultiplyAdd(Vector.LoadUnsafe(ref r2, (nuint)j), v, s2);
            s3 = Vector.FusedMultiplyAdd(Vector.LoadUnsafe(ref r3, (nuint)j), v, s3);
        }

        logits[0] = Clip(Finish(s0, ref r0, ref x, j, m), maxLogit);
        logits[1] = Clip(Finish(s1, ref r1, ref x, j, m), maxLogit);
        logits[2] = Clip(Finish(s2, ref r2, ref x, j, m), maxLogit);
        logits[3] = Clip(Finish(s3, ref r3, ref x, j, m), maxLogit);
    }

    // The lanes summed, then the tail w_j·x_j fused in from j on.
    private static float Finish(Vector<float> partial, ref float w, ref float x, int j, int m)
    {
        float sum = Vector.Sum(partial);
        for (; j < m; j++)
        {
            sum = MathF.FusedMultiplyAdd(Unsafe.Add(ref w, j), Unsafe.Add(ref x, j), sum);
        }

        return sum;
    }

    private static float Clip(float logit, float maxLogit) => Math.Clamp(logit, -maxLogit, maxLogit);

    private static void RequireSameLength(ReadOnlySpan<float> weights, ReadOnlySpan<float> inputLogits)
    {
        if (inputLogits.Length != weights.Length)
        {
            throw new ArgumentException($"A row of {weights.Length} weights over {inputLogits.Length} inputs.", nameof(weights));
        }
    }

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

        RequireSameLength(weights, inputLogits);

        // One pass over refs (the unchecked loads stay inside the two spans, of one length): w ← clamp(w + step·x, ±β).
        float step = -learningRate * (Logistic.Sigmoid(logit) - target);
        ref float w0 = ref MemoryMarshal.GetReference(weights);
        ref float x0 = ref MemoryMarshal.GetReference(inputLogits);
        int m = weights.Length, j = 0;
        Vector<float> upper = new(weightBound), lower = -upper, stepVector = new(step);
        for (; j <= m - Vector<float>.Count; j += Vector<float>.Count)
        {
            Vector<float> w = Vector.LoadUnsafe(ref x0, (nuint)j) * stepVector + Vector.LoadUnsafe(ref w0, (nuint)j);
            Vector.MaxNative(Vector.MinNative(w, upper), lower).StoreUnsafe(ref w0, (nuint)j);
        }

        for (; j < m; j++)
        {
            Unsafe.Add(ref w0, j) = Math.Max(Math.Min(Unsafe.Add(ref x0, j) * step + Unsafe.Add(ref w0, j), weightBound), -weightBound);
        }

        return true;
    }
}
