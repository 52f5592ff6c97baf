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
internal static class GaussianNeuron
{
    /// <summary>The prediction (mean and precision) it reports: the product with Λ clamped to [1/σ²_max, 1/σ²_min] — the mean
    /// is left unclamped for the gradient; <see cref="ClampMean"/> clamps it before it is passed up.</summary>
    public static void Output(ReadOnlySpan<float> weights, in GaussianInputs inputs, in GaussianConstraints constraints, Span<double> mean, Span<double> precision, Span<float> scratch)
    {
        Predict(weights, inputs, mean, precision, scratch);
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
        Gradient(inputs, mean, precision, target, gradient, scratch);
        float norm = TensorPrimitives.Norm<float>(gradient);
        float step = norm > constraints.MaxGradientNorm ? learningRate * constraints.MaxGradientNorm / norm : learningRate;
        TensorPrimitives.MultiplyAdd(gradient, -step, weights, weights);
        Project(weights, inputs, constraints.WeightBound, constraints.MinPrecision, constraints.MaxPrecision, scratch);
    }

    /// <summary>Writes the output mean (D values) and precision Λ (one value per precision row).</summary>
    public static void Predict(ReadOnlySpan<float> weights, in GaussianInputs inputs, Span<double> mean, Span<double> precision, Span<float> scratch)
    {
        Span<float> weighted = scratch[..inputs.Count];
        for (int p = 0; p < inputs.PrecisionRows; p++)
        {
            precision[p] = TensorPrimitives.Dot(weights, inputs.PrecisionRow(p));
        }

        for (int d = 0; d < inputs.Dimension; d++)
        {
            TensorPrimitives.Multiply(weights, inputs.PrecisionRow(d), weighted);
            double lambda = precision[inputs.PrecisionRows == 1 ? 0 : d];
            mean[d] = lambda > 0 ? TensorPrimitives.Dot<float>(weighted, inputs.MeanRow(d)) / lambda : 0;
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

    /// <summary>log N(y; μ, diag(1/Λ)) summed over target dimensions.</summary>
    public static double LogDensity(ReadOnlySpan<double> mean, ReadOnlySpan<double> precision, ReadOnlySpan<float> target)
    {
        double total = 0;
        for (int d = 0; d < mean.Length; d++)
        {
            total += NormalDistribution.LogDensity(target[d], mean[d], 1 / precision[precision.Length == 1 ? 0 : d]);
        }

        return total;
    }

    /// <summary>Writes ∂ℓ/∂w for target y, given the neuron's (unclamped) prediction.</summary>
    public static void Gradient(in GaussianInputs inputs, ReadOnlySpan<double> mean, ReadOnlySpan<double> precision, ReadOnlySpan<float> target, Span<float> gradient, Span<float> scratch)
    {
        // ∂ℓ/∂w_j = Σ_d λ_jd·(c_d − e_d·μ_jd) with e_d = y_d − μ_d and c_d = (e_d² − σ_d²)/2 + e_d·μ_d.
        Span<float> term = scratch[..inputs.Count];
        gradient.Clear();
        bool isotropic = inputs.PrecisionRows == 1;
        for (int d = 0; d < inputs.Dimension; d++)
        {
            double variance = 1 / precision[isotropic ? 0 : d], e = target[d] - mean[d];
            float c = (float)((e * e - variance) / 2 + e * mean[d]);
            if (isotropic)
            {
                // Sum the bracket over dimensions first; multiply by the shared λ_j once at the end.
                TensorPrimitives.MultiplyAdd(inputs.MeanRow(d), (float)-e, gradient, gradient);
                TensorPrimitives.Add(gradient, c, gradient);
            }
            else
            {
                TensorPrimitives.Multiply(inputs.MeanRow(d), (float)-e, term);
                TensorPrimitives.Add(term, c, term);
                TensorPrimitives.MultiplyAdd(term, inputs.PrecisionRow(d), gradient, gradient);
            }
        }

        if (isotropic)
        {
            TensorPrimitives.Multiply(gradient, inputs.PrecisionRow(0), gradient);
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
                ProjectOntoSlab(weights, lambda, weightBound, minPrecision, double.PositiveInfinity, scratch);
                precision = TensorPrimitives.Dot(weights, lambda);
            }

            lowest = Math.Min(lowest, precision);
            highest = Math.Max(highest, precision);
        }

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

    private static void ProjectOntoSlab(Span<float> w, ReadOnlySpan<float> lambda, float bound, double low, double high, Span<float> scratch)
    {
        double value = TensorPrimitives.Dot(w, lambda);
        if (value >= low && value <= high)
        {
            return;
        }

        double target = value > high ? high : low;
        Span<float> trial = scratch[..w.Length];

        // Λ(θ) falls as θ grows. Bracket the root, then bisect.
        double step = Math.Abs(value - target) / Math.Max(TensorPrimitives.Dot(lambda, lambda), 1e-30);
        double lo = value > high ? 0 : -step, hi = value > high ? step : 0;
        for (int i = 0; i < 60 && (value > high ? Shifted(w, lambda, hi, bound, trial) > target : Shifted(w, lambda, lo, bound, trial) < target); i++)
        {
            if (value > high)
            {
                hi *= 2;
            }
            else
            {
                lo *= 2;
            }
        }

        for (int i = 0; i < 50; i++)
        {
            double mid = 0.5 * (lo + hi);
            if (Shifted(w, lambda, mid, bound, trial) > target)
            {
                lo = mid;
            }
            else
            {
                hi = mid;
            }
        }

        // Land on the feasible side of the slab.
        Shifted(w, lambda, value > high ? hi : lo, bound, trial);
        trial.CopyTo(w);
    }

    /// <summary>Writes clip(w − θλ, −β, β) into <paramref name="trial"/> and returns its precision λ·trial.</summary>
    private static double Shifted(ReadOnlySpan<float> w, ReadOnlySpan<float> lambda, double theta, float bound, Span<float> trial)
    {
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
