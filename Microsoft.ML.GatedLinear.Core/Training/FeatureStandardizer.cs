using System.Numerics.Tensors;
using Microsoft.ML.GatedLinear.Numerics;

namespace Microsoft.ML.GatedLinear.Training;

/// <summary>
/// Per-feature standardization z = (x − mean) / std: online (running statistics of the training rows), with
/// supplied statistics, or the identity.
/// </summary>
/// <remarks>
/// Online statistics are winsorized so that one extreme row cannot ruin them for good: after n rows a value enters
/// the running mean and variance clipped to mean ± √max(n, 400)·σ (σ from the n rows before it; no clipping while σ
/// is 0). A row after the first 400 can then raise a variance at most about twofold and move a mean by at most σ/√n,
/// and both effects fade as rows accrue, where an unclipped 10³⁰ would dominate the variance for ever. Ordinary rows
/// are not clipped: no value of a sample lies farther than σ·√(n − 1) from the sample's mean (Samuelson's
/// inequality). The learners learn the row as winsorized.
/// </remarks>
internal sealed class FeatureStandardizer
{
    // Below this variance a feature is treated as constant: it is centred but not scaled.
    private const double MinVariance = 1e-12;

    // While σ rests on few rows the clip stays at least √400 = 20σ away (8σ clipped early rows of heavy-tailed targets).
    private const int MinWinsorizingRows = 400;

    // Online: the running moments. Supplied and identity: Count = 1 and the variances stand where M2 does.
    private readonly RunningMoments _moments;
    private readonly float[] _center;
    private readonly float[] _inverseScale;
    private readonly float[] _winsorized;

    private FeatureStandardizer(StandardizationMode mode, RunningMoments moments)
    {
        Mode = mode;
        _moments = moments;
        _center = new float[moments.Dimension];
        _inverseScale = new float[moments.Dimension];
        _winsorized = new float[moments.Dimension];
        Refresh();
    }

    /// <summary>A standardizer that learns running statistics from the training rows.</summary>
    public static FeatureStandardizer CreateOnline(int dimension) => new(StandardizationMode.Online, new RunningMoments(dimension));

    /// <summary>The identity: inputs are already standardized.</summary>
    public static FeatureStandardizer CreateIdentity(int dimension) => new(StandardizationMode.None, new RunningMoments(dimension));

    /// <summary>A standardizer with fixed statistics.</summary>
    /// <param name="mean">Per-feature means.</param>
    /// <param name="standardDeviation">Per-feature standard deviations; zero marks a constant feature (centred only).</param>
    public static FeatureStandardizer CreateSupplied(ReadOnlySpan<double> mean, ReadOnlySpan<double> standardDeviation)
    {
        if (mean.Length != standardDeviation.Length)
        {
            throw new ArgumentException($"{mean.Length} means but {standardDeviation.Length} standard deviations were supplied.");
        }

        var variance = new double[mean.Length];
        for (int j = 0; j < mean.Length; j++)
        {
            if (!double.IsFinite(mean[j]) || !(standardDeviation[j] >= 0) || double.IsInfinity(standardDeviation[j]))
            {
                throw new ArgumentException($"Supplied statistics for feature {j} are invalid: mean {mean[j]}, standard deviation {standardDeviation[j]}.");
            }

            variance[j] = standardDeviation[j] * standardDeviation[j];
        }

        return new(StandardizationMode.Supplied, RunningMoments.Restore(1, mean.ToArray(), variance));
    }

    /// <summary>How statistics are obtained.</summary>
    public StandardizationMode Mode { get; }

    /// <summary>Number of features.</summary>
    public int Dimension => _moments.Dimension;

    /// <summary>Rows observed so far (online mode).</summary>
    public long Count => _moments.Count;

    /// <summary>Current per-feature means.</summary>
    public ReadOnlySpan<double> Mean => _moments.Mean;

    /// <summary>The value subtracted from feature <paramref name="j"/>.</summary>
    internal double Center(int j) => _center[j];

    /// <summary>The scale feature <paramref name="j"/> is divided by (1 for a constant feature or the identity).</summary>
    internal double Scale(int j) => 1.0 / _inverseScale[j];

    /// <summary>Whether both standardize every row alike now: the same mode, centres and scales (online statistics differ once either has learned).</summary>
    internal bool SameAs(FeatureStandardizer other)
        => Mode == other.Mode && _center.AsSpan().SequenceEqual(other._center) && _inverseScale.AsSpan().SequenceEqual(other._inverseScale);

    /// <summary>Writes the mode and statistics.</summary>
    internal void Write(Persistence.PayloadWriter w)
    {
        w.Write((int)Mode);
        w.Write(_moments.Count);
        w.Write(_moments.Mean);
        w.Write(_moments.SumOfSquaredDeviations);
    }

    /// <summary>Reads what <see cref="Write"/> wrote, for <paramref name="dimension"/> features.</summary>
    internal static FeatureStandardizer Read(Persistence.PayloadReader r, int dimension, StandardizationMode expectedMode, string what)
    {
        var mode = (StandardizationMode)r.ReadInt32($"the {what} standardization mode", 0, 2);
        long count = r.ReadInt64();
        double[] mean = r.ReadDoubleArray($"the {what} means", dimension);
        double[] m2 = r.ReadDoubleArray($"the {what} variances", dimension);
        if (count < 0 || mode != expectedMode || mean.Any(v => !double.IsFinite(v)) || m2.Any(v => !(v >= 0) || double.IsInfinity(v)))
        {
            throw new Persistence.ModelFormatException($"The model file is corrupted: the {what} statistics are inconsistent.");
        }

        var standardizer = new FeatureStandardizer(mode, RunningMoments.Restore(count, mean, m2));
        // Statistics that are finite as doubles can still overflow the float centre or scale the transform uses.
        int overflow = Enumerable.Range(0, dimension).FirstOrDefault(j => !float.IsFinite(standardizer._center[j]) || !(standardizer._inverseScale[j] > 0) || !float.IsFinite(standardizer._inverseScale[j]), -1);
        if (overflow >= 0)
        {
            throw new Persistence.ModelFormatException($"The model file is corrupted: the {what} statistics of index {overflow} (mean {mean[overflow]}, count {count}) overflow float.");
        }

        return standardizer;
    }

    /// <summary>
    /// Adds a training row to the running statistics (no effect unless <see cref="StandardizationMode.Online"/>) and
    /// returns the row as they took it, winsorized (see the remarks): what the learner should learn from. The span is
    /// this standardizer's buffer, valid until the next call.
    /// </summary>
    public ReadOnlySpan<float> Observe(ReadOnlySpan<float> x)
    {
        if (Mode != StandardizationMode.Online)
        {
            return x;
        }

        double reach = Math.Sqrt(Math.Max(_moments.Count, MinWinsorizingRows));
        for (int j = 0; j < x.Length; j++)
        {
            double mean = _moments.Mean[j], bound = reach * Math.Sqrt(_moments.SampleVariance(j));
            _winsorized[j] = bound > 0 ? (float)Math.Clamp(x[j], mean - bound, mean + bound) : x[j];
        }

        _moments.Add(_winsorized);
        Refresh();
        return _winsorized;
    }

    /// <summary>A copy with its own statistics.</summary>
    internal FeatureStandardizer Clone()
    {
        var copy = new FeatureStandardizer(Mode, new RunningMoments(_moments.Dimension));
        copy.CopyFrom(this);
        return copy;
    }

    /// <summary>Takes <paramref name="other"/>'s statistics (a copy of this standardizer).</summary>
    internal void CopyFrom(FeatureStandardizer other)
    {
        _moments.CopyFrom(other._moments);
        Refresh();
    }

    /// <summary>Writes z = (x − mean) / std.</summary>
    public void Transform(ReadOnlySpan<float> x, Span<float> z)
    {
        if (Mode == StandardizationMode.None)
        {
            x.CopyTo(z);
            return;
        }

        TensorPrimitives.Subtract(x, _center, z);
        TensorPrimitives.Multiply(z, _inverseScale, z);
    }

    private void Refresh()
    {
        for (int j = 0; j < Dimension; j++)
        {
            double variance = Mode switch
            {
                StandardizationMode.Online => _moments.SampleVariance(j),
                StandardizationMode.Supplied => _moments.SumOfSquaredDeviations[j],
                _ => 0,
            };
            _center[j] = (float)_moments.Mean[j];
            _inverseScale[j] = variance > MinVariance ? (float)(1.0 / Math.Sqrt(variance)) : 1f;
        }
    }
}
