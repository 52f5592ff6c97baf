using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Numerics.Tensors;
using Microsoft.ML.GatedLinear.Numerics;

namespace Microsoft.ML.GatedLinear.Gaussian;

/// <summary>
/// The rules of one Gaussian GLN neuron: a weighted product of its input Gaussians. Weights may be
/// negative (as in DeepMind's reference implementation): the mean can then leave the convex hull of the
/// input means, and the precision constraint alone keeps the product a proper Gaussian.
/// Per target dimension d: precision Λ_d = Σ_j w_j λ_jd, mean μ_d = Σ_j w_j λ_jd μ_jd / Λ_d, σ_d² = 1/Λ_d.
/// Loss ℓ = Σ_d ½ log σ_d² + (y_d − μ_d)² / (2σ_d²), with gradient
/// ∂ℓ/∂w_j = Σ_d (λ_jd / 2)·[(y_d − μ_d)² − σ_d² + 2(y_d − μ_d)(μ_d − μ_jd)].
/// Isotropic precision (λ_jd = λ_j) is the same formula with one precision per input.
/// A step (<see cref="Update"/>) takes the exact gradient at the unclamped mean, caps its norm, and projects the row
/// back into the feasible set; the output passed upwards (<see cref="Output"/>) has σ² and μ clamped.
/// </summary>
internal static partial class GaussianNeuron
{
    /// <summary>The prediction (mean and precision) it reports: the product with Λ clamped to [1/σ²_max, 1/σ²_min] — the mean
    /// is left unclamped for the gradient; <see cref="ClampMean"/> clamps it before it is passed up.</summary>
    public static void Output(ReadOnlySpan<float> weights, in GaussianInputs inputs, in GaussianConstraints constraints, Span<double> mean, Span<double> precision)
    {
        Predict(weights, inputs, mean, precision);
        for (int p = 0; p < precision.Length; p++)
        {
            precision[p] = Math.Clamp(precision[p], constraints.MinPrecision, constraints.MaxPrecision);
        }
    }

    /// <summary>Clamps μ to [−r, r] per axis: with weights of both signs the product's mean can leave the bias span far behind.</summary>
    public static void ClampMean(Span<double> mean, in GaussianConstraints constraints)
    {
        for (int d = 0; d < mean.Length; d++)
        {
            mean[d] = Math.Clamp(mean[d], -constraints.MeanBound, constraints.MeanBound);
        }
    }

    /// <summary>
    /// One step on the active row for target y: the gradient at the neuron's unclamped mean (and clamped precision), its
    /// norm capped at the gradient cap, then <see cref="Project"/> back into the feasible set.
    /// </summary>
    public static void Update(Span<float> weights, in GaussianInputs inputs, ReadOnlySpan<double> mean, ReadOnlySpan<double> precision, ReadOnlySpan<float> target, float learningRate, in GaussianConstraints constraints, Span<float> gradient, Span<float> scratch)
    {
        Gradient(inputs, mean, precision, target, gradient);
        float norm = TensorPrimitives.Norm<float>(gradient);
        float step = norm > constraints.MaxGradientNorm ? learningRate * constraints.MaxGradientNorm / norm : learningRate;
        TensorPrimitives.MultiplyAdd(gradient, -step, weights, weights);
        Project(weights, inputs, constraints.WeightBound, constraints.MinPrecision, constraints.MaxPrecision, scratch);
    }

    /// <summary>
    /// <see cref="Output"/> then <see cref="Update"/> for a scalar target (D = 1), fused into two passes over the row: the
    /// gradient g_j = c·λ_j − e·λ_jμ_j is never stored — its norm comes from the inputs' <paramref name="moments"/>
    /// (‖g‖² = c²Σλ² − 2ce·Σλ·λμ + e²Σ(λμ)²), and the step, the box and the new precision share the second pass.
    /// </summary>
    /// <returns>The neuron's prediction before the step: its unclamped mean and its clamped precision.</returns>
    public static (double Mean, double Precision) OutputAndUpdate(Span<float> weights, in GaussianInputs inputs, in GradientMoments moments, float target, float learningRate, in GaussianConstraints constraints, Span<float> scratch)
    {
        ReadOnlySpan<float> lambda = inputs.PrecisionRow(0), weightedMean = inputs.WeightedMeanRow(0);
        if (lambda.Length != weights.Length)
        {
            throw new ArgumentException($"A row of {weights.Length} weights over {lambda.Length} inputs.", nameof(weights));
        }

        // Refs and unaligned vector loads rather than slices and library calls: these loops run for every neuron of
        // every update. Two accumulators per sum, because one add waits on the last; a row shorter than two vectors is
        // summed in order. (The lanes kernel forms both orders: keep it in step with any change here.) The unchecked loads stay inside the three spans, which have one
        // length (checked above).
        ref float w0 = ref MemoryMarshal.GetReference(weights);
        ref float l0 = ref MemoryMarshal.GetReference(lambda);
        ref float lm0 = ref MemoryMarshal.GetReference(weightedMean);
        int n = Vector<float>.Count, m = weights.Length, vectorEnd = m - m % (2 * n), j;
        Vector<float> precisionSum = Vector<float>.Zero, precisionSum2 = Vector<float>.Zero, meanSum = Vector<float>.Zero, meanSum2 = Vector<float>.Zero;
        for (j = 0; j < vectorEnd; j += 2 * n)
        {
            Vector<float> w = Vector.LoadUnsafe(ref w0, (nuint)j), w2 = Vector.LoadUnsafe(ref w0, (nuint)(j + n));
            precisionSum += w * Vector.LoadUnsafe(ref l0, (nuint)j);
            precisionSum2 += w2 * Vector.LoadUnsafe(ref l0, (nuint)(j + n));
            meanSum += w * Vector.LoadUnsafe(ref lm0, (nuint)j);
            meanSum2 += w2 * Vector.LoadUnsafe(ref lm0, (nuint)(j + n));
        }

        if (vectorEnd > 0 && j <= m - n)
        {
            Vector<float> w = Vector.LoadUnsafe(ref w0, (nuint)j);
            precisionSum += w * Vector.LoadUnsafe(ref l0, (nuint)j);
            meanSum += w * Vector.LoadUnsafe(ref lm0, (nuint)j);
            j += n;
        }

        int tail = j;
        float rawPrecisionSum = Vector.Sum(precisionSum + precisionSum2), weightedMeanSum = Vector.Sum(meanSum + meanSum2);
        for (; j < m; j++)
        {
            rawPrecisionSum += Unsafe.Add(ref w0, j) * Unsafe.Add(ref l0, j);
            weightedMeanSum += Unsafe.Add(ref w0, j) * Unsafe.Add(ref lm0, j);
        }

        double rawPrecision = rawPrecisionSum;
        double mean = rawPrecision > 0 ? weightedMeanSum / rawPrecision : 0;
        double precision = Math.Clamp(rawPrecision, constraints.MinPrecision, constraints.MaxPrecision);
        double e = target - mean, c = (e * e - 1 / precision) / 2 + e * mean;
        float norm = (float)Math.Sqrt(Math.Max(moments.SquaredNorm(c, e), 0));
        float step = norm > constraints.MaxGradientNorm ? learningRate * constraints.MaxGradientNorm / norm : learningRate;
        float stepC = -step * (float)c, stepMinusE = -step * (float)-e, bound = constraints.WeightBound;
        Vector<float> newPrecision = Vector<float>.Zero, newPrecision2 = Vector<float>.Zero, upper = new(bound), lower = -upper;
        for (j = 0; j < vectorEnd; j += 2 * n)
        {
            Vector<float> l = Vector.LoadUnsafe(ref l0, (nuint)j), l2 = Vector.LoadUnsafe(ref l0, (nuint)(j + n));
            Vector<float> w = BoxedStep(Vector.LoadUnsafe(ref w0, (nuint)j), l, Vector.LoadUnsafe(ref lm0, (nuint)j), stepC, stepMinusE, lower, upper);
            Vector<float> w2 = BoxedStep(Vector.LoadUnsafe(ref w0, (nuint)(j + n)), l2, Vector.LoadUnsafe(ref lm0, (nuint)(j + n)), stepC, stepMinusE, lower, upper);
            w.StoreUnsafe(ref w0, (nuint)j);
            w2.StoreUnsafe(ref w0, (nuint)(j + n));
            newPrecision += w * l;
            newPrecision2 += w2 * l2;
        }

        if (j < tail)
        {
            Vector<float> l = Vector.LoadUnsafe(ref l0, (nuint)j);
            Vector<float> w = BoxedStep(Vector.LoadUnsafe(ref w0, (nuint)j), l, Vector.LoadUnsafe(ref lm0, (nuint)j), stepC, stepMinusE, lower, upper);
            w.StoreUnsafe(ref w0, (nuint)j);
            newPrecision += w * l;
            j += n;
        }

        double updated = Vector.Sum(newPrecision + newPrecision2);
        for (; j < m; j++)
        {
            float w = Math.Clamp(Unsafe.Add(ref w0, j) + Unsafe.Add(ref l0, j) * stepC + Unsafe.Add(ref lm0, j) * stepMinusE, -bound, bound);
            Unsafe.Add(ref w0, j) = w;
            updated += w * Unsafe.Add(ref l0, j);
        }

        FinishStep(weights, lambda, updated, constraints, scratch);
        return (mean, precision);
    }

    /// <summary>
    /// clamp(w + λ·stepC + λμ·stepMinusE, lower, upper) — with MinNative/MaxNative, one instruction each: Min and Max order
    /// NaNs and signed zeros, which costs ten, and a finite sum against a positive bound needs neither.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<float> BoxedStep(Vector<float> w, Vector<float> lambda, Vector<float> weightedMean, float stepC, float stepMinusE, Vector<float> lower, Vector<float> upper)
        => Vector.MinNative(Vector.MaxNative(w + lambda * stepC + weightedMean * stepMinusE, lower), upper);

    /// <summary>
    /// The end of a fused step, once the row is boxed and its new precision known: the projection onto Λ ≥ 1/σ²_max when
    /// Λ fell to zero or below, then the rescaling into the precision range.
    /// </summary>
    private static void FinishStep(Span<float> weights, ReadOnlySpan<float> lambda, double updated, in GaussianConstraints constraints, Span<float> scratch)
    {
        if (updated <= 0)
        {
            ProjectToMinimumPrecision(weights, lambda, constraints.WeightBound, constraints.MinPrecision, scratch);
            updated = TensorPrimitives.Dot(weights, lambda);
        }

        Rescale(weights, updated, updated, constraints.WeightBound, constraints.MinPrecision, constraints.MaxPrecision);
    }

    /// <summary>Writes the output mean (D values) and precision Λ (one value per precision row).</summary>
    public static void Predict(ReadOnlySpan<float> weights, in GaussianInputs inputs, Span<double> mean, Span<double> precision)
    {
        for (int p = 0; p < inputs.PrecisionRows; p++)
        {
            precision[p] = TensorPrimitives.Dot(weights, inputs.PrecisionRow(p));
        }

        for (int d = 0; d < inputs.Dimension; d++)
        {
            double lambda = precision[inputs.PrecisionRows == 1 ? 0 : d];
            mean[d] = lambda > 0 ? TensorPrimitives.Dot(weights, inputs.WeightedMeanRow(d)) / lambda : 0;
        }
    }

    /// <summary>The loss ℓ of the prediction (mean, precision) for target y; constants dropped.</summary>
    public static double Loss(ReadOnlySpan<double> mean, ReadOnlySpan<double> precision, ReadOnlySpan<float> target)
    {
        double loss = 0;
        for (int d = 0; d < mean.Length; d++)
        {
            double lambda = precision[precision.Length == 1 ? 0 : d], error = target[d] - mean[d];
            loss += -0.5 * Math.Log(lambda) + 0.5 * lambda * error * error;
        }

        return loss;
    }

    /// <summary>Writes ∂ℓ/∂w for target y, given the neuron's (unclamped) prediction.</summary>
    public static void Gradient(in GaussianInputs inputs, ReadOnlySpan<double> mean, ReadOnlySpan<double> precision, ReadOnlySpan<float> target, Span<float> gradient)
    {
        // ∂ℓ/∂w_j = Σ_d (c_d·λ_jd − e_d·λ_jd·μ_jd) with e_d = y_d − μ_d and c_d = (e_d² − σ_d²)/2 + e_d·μ_d: two
        // multiply-adds per dimension over vectors every neuron of the layer shares.
        bool isotropic = inputs.PrecisionRows == 1;
        double cSum = 0;
        gradient.Clear();
        for (int d = 0; d < inputs.Dimension; d++)
        {
            double variance = 1 / precision[isotropic ? 0 : d], e = target[d] - mean[d];
            double c = (e * e - variance) / 2 + e * mean[d];
            TensorPrimitives.MultiplyAdd(inputs.WeightedMeanRow(d), (float)-e, gradient, gradient);
            if (isotropic)
            {
                cSum += c;
            }
            else
            {
                TensorPrimitives.MultiplyAdd(inputs.PrecisionRow(d), (float)c, gradient, gradient);
            }
        }

        if (isotropic)
        {
            TensorPrimitives.MultiplyAdd(inputs.PrecisionRow(0), (float)cSum, gradient, gradient);
        }
    }

    /// <summary>
    /// Returns w to W = {−β ≤ w ≤ β, 1/σ²_max ≤ Λ_p(w) ≤ 1/σ²_min for every precision row p}: first the
    /// box (clip); then, where some Λ_p ≤ 0, the exact Euclidean projection onto Λ_p ≥ 1/σ²_max for that
    /// row (w − θλ, clipped; θ by bisection); finally a rescaling w ← c·w. The mean μ = Σ w λ μ / Σ w λ is
    /// invariant to scaling w while every Λ_p scales by c, so the variance bounds are met without moving
    /// the mean. (The Euclidean projection onto the precision slab, with weights of both signs, moves the
    /// mean arbitrarily and measurably hurt on the UCI benchmark.) The forward pass clamps σ² as a last guard.
    /// </summary>
    public static void Project(Span<float> weights, in GaussianInputs inputs, float weightBound, double minPrecision, double maxPrecision, Span<float> scratch)
    {
        TensorPrimitives.Max(weights, -weightBound, weights);
        TensorPrimitives.Min(weights, weightBound, weights);
        double lowest = double.PositiveInfinity, highest = double.NegativeInfinity;
        for (int p = 0; p < inputs.PrecisionRows; p++)
        {
            ReadOnlySpan<float> lambda = inputs.Precisions.Slice(p * inputs.Count, inputs.Count);
            double precision = TensorPrimitives.Dot(weights, lambda);
            if (precision <= 0)
            {
                ProjectToMinimumPrecision(weights, lambda, weightBound, minPrecision, scratch);
                precision = TensorPrimitives.Dot(weights, lambda);
            }

            lowest = Math.Min(lowest, precision);
            highest = Math.Max(highest, precision);
        }

        Rescale(weights, lowest, highest, weightBound, minPrecision, maxPrecision);
    }

    /// <summary>The rescaling w ← c·w that brings every Λ_p (lowest to highest) into [min, max] without moving the mean.</summary>
    private static void Rescale(Span<float> weights, double lowest, double highest, float weightBound, double minPrecision, double maxPrecision)
    {
        double scale = 1;
        if (highest > maxPrecision)
        {
            scale = maxPrecision / highest;
        }
        else if (lowest < minPrecision && lowest > 0)
        {
            float largest = TensorPrimitives.MaxMagnitude<float>(weights);
            scale = Math.Min(minPrecision / lowest, largest > 0 ? weightBound / Math.Abs(largest) : 1);
        }

        if (scale != 1)
        {
            TensorPrimitives.Multiply(weights, (float)scale, weights);
        }
    }

    /// <summary>
    /// The Euclidean projection of w onto {Λ = λ·w ≥ low} within the box: w ← clip(w − θλ, −β, β) for the θ at which Λ
    /// reaches low. Λ(θ) is decreasing and piecewise linear, with a kink where each weight meets the box, so θ is found
    /// exactly: a search over the sorted kinks, then the linear piece between them.
    /// </summary>
    private static void ProjectToMinimumPrecision(Span<float> w, ReadOnlySpan<float> lambda, float bound, double low, Span<float> scratch)
    {
        int m = w.Length;
        Span<double> kinks = m <= 64 ? stackalloc double[2 * m] : new double[2 * m];
        int count = 0;
        for (int j = 0; j < m; j++)
        {
            if (lambda[j] > 0)
            {
                kinks[count++] = (w[j] - bound) / (double)lambda[j];
                kinks[count++] = (w[j] + bound) / (double)lambda[j];
            }
        }

        kinks = kinks[..count];
        kinks.Sort();
        // Kinks at or below θ leave Λ(θ) at its most: the box's own ceiling Σλβ when every weight is at β.
        int lo = 0, hi = count - 1;
        if (count == 0)
        {
            return;
        }

        if (ShiftedPrecision(w, lambda, kinks[0], bound) < low)
        {
            Shift(w, lambda, kinks[0], bound, scratch);
            scratch[..m].CopyTo(w);
            return;
        }

        while (hi - lo > 1)
        {
            int mid = (lo + hi) / 2;
            if (ShiftedPrecision(w, lambda, kinks[mid], bound) >= low)
            {
                lo = mid;
            }
            else
            {
                hi = mid;
            }
        }

        double a = kinks[lo], fa = ShiftedPrecision(w, lambda, a, bound), b = kinks[hi], fb = ShiftedPrecision(w, lambda, b, bound);
        double theta = fa == fb ? a : a + (fa - low) * (b - a) / (fa - fb);
        for (int attempt = 0; attempt < 8 && Shift(w, lambda, theta, bound, scratch) < low; attempt++)
        {
            // Float rounding left Λ a hair short: move towards the feasible side.
            theta -= 1e-6 * Math.Max(Math.Abs(theta), 1e-12);
        }

        scratch[..m].CopyTo(w);
    }

    /// <summary>λ·clip(w − θλ, −β, β) in double precision.</summary>
    private static double ShiftedPrecision(ReadOnlySpan<float> w, ReadOnlySpan<float> lambda, double theta, float bound)
    {
        double total = 0;
        for (int j = 0; j < w.Length; j++)
        {
            total += lambda[j] * Math.Clamp(w[j] - theta * lambda[j], -bound, bound);
        }

        return total;
    }

    /// <summary>Writes clip(w − θλ, −β, β) into <paramref name="trial"/> and returns its precision λ·trial.</summary>
    private static double Shift(ReadOnlySpan<float> w, ReadOnlySpan<float> lambda, double theta, float bound, Span<float> trial)
    {
        trial = trial[..w.Length];
        TensorPrimitives.MultiplyAdd(lambda, (float)-theta, w, trial);
        TensorPrimitives.Max(trial, -bound, trial);
        TensorPrimitives.Min(trial, bound, trial);
        return TensorPrimitives.Dot(trial, lambda);
    }
}

/// <summary>
/// What keeps a Gaussian neuron proper and its steps bounded: the weight box [−β, β], the precision range
/// [1/σ²_max, 1/σ²_min], the mean bound r (means are clamped to [−r, r]: unclamped, a [256, 32, 1] network's test RMSE on
/// the protein set reached 318, clamped 5.19), and the gradient-norm cap.
/// </summary>
internal readonly record struct GaussianConstraints(float WeightBound, double MinPrecision, double MaxPrecision, double MeanBound, float MaxGradientNorm);

/// <summary>
/// The sums over a layer's inputs that give a scalar-target neuron's gradient norm without forming its gradient:
/// for g_j = c·λ_j − e·λ_jμ_j, ‖g‖² = c²·Σλ² − 2ce·Σλ·λμ + e²·Σ(λμ)². Formed once per example for every neuron of the
/// layer. Cancellation near a zero gradient only blurs norms far below any cap.
/// </summary>
internal readonly record struct GradientMoments(double PrecisionSquares, double Cross, double WeightedMeanSquares)
{
    /// <summary>
    /// The moments of inputs whose products λ·μ are formed (<see cref="GaussianInputs.Weigh"/>); none (zeros) for D &gt; 1,
    /// whose step forms its gradient.
    /// </summary>
    public static GradientMoments Of(in GaussianInputs inputs)
    {
        if (inputs.Dimension != 1)
        {
            return default;
        }

        ReadOnlySpan<float> lambda = inputs.PrecisionRow(0), weightedMean = inputs.WeightedMeanRow(0);
        return new(TensorPrimitives.Dot(lambda, lambda), TensorPrimitives.Dot(lambda, weightedMean), TensorPrimitives.Dot(weightedMean, weightedMean));
    }

    /// <summary>‖g‖² for the neuron's c and e.</summary>
    public double SquaredNorm(double c, double e) => c * c * PrecisionSquares - 2 * c * e * Cross + e * e * WeightedMeanSquares;
}
