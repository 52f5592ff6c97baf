using System.Numerics.Tensors;

namespace Microsoft.ML.GatedLinear.Training;

/// <summary>How a model standardizes its inputs before gating and base prediction.</summary>
public enum StandardizationMode
{
    /// <summary>Running mean and variance, updated with every training row (Welford), frozen at prediction.</summary>
    Online = 0,

    /// <summary>Mean and standard deviation supplied by the caller, never updated.</summary>
    Supplied = 1,

    /// <summary>Inputs are used as given (already standardized, e.g. by an ML.NET normalizer).</summary>
    None = 2,
}

/// <summary>Per-feature standardization z = (x − mean) / std, online or with supplied statistics.</summary>
public sealed class FeatureStandardizer
{
    // Below this variance a feature is treated as constant: it is centred but not scaled.
    private const double MinVariance = 1e-12;

    private readonly double[] _mean;
    private readonly double[] _m2;
    private readonly float[] _center;
    private readonly float[] _inverseScale;

    private FeatureStandardizer(StandardizationMode mode, int dimension)
    {
        Mode = mode;
        _mean = new double[dimension];
        _m2 = new double[dimension];
        _center = new float[dimension];
        _inverseScale = new float[dimension];
        _inverseScale.AsSpan().Fill(1f);
    }

    /// <summary>A standardizer that learns running statistics from the training rows.</summary>
    public static FeatureStandardizer CreateOnline(int dimension) => new(StandardizationMode.Online, dimension);

    /// <summary>The identity: inputs are already standardized.</summary>
    public static FeatureStandardizer CreateIdentity(int dimension) => new(StandardizationMode.None, dimension);

    /// <summary>A standardizer with fixed statistics.</summary>
    /// <param name="mean">Per-feature means.</param>
    /// <param name="standardDeviation">Per-feature standard deviations; zero marks a constant feature (centred only).</param>
    public static FeatureStandardizer CreateSupplied(ReadOnlySpan<double> mean, ReadOnlySpan<double> standardDeviation)
    {
        if (mean.Length != standardDeviation.Length)
        {
            throw new ArgumentException($"{mean.Length} means but {standardDeviation.Length} standard deviations were supplied.");
        }

        var s = new FeatureStandardizer(StandardizationMode.Supplied, mean.Length);
        for (int j = 0; j < mean.Length; j++)
        {
            if (!double.IsFinite(mean[j]) || !(standardDeviation[j] >= 0) || double.IsInfinity(standardDeviation[j]))
            {
                throw new ArgumentException($"Supplied statistics for feature {j} are invalid: mean {mean[j]}, standard deviation {standardDeviation[j]}.");
            }

            s._mean[j] = mean[j];
            s._m2[j] = standardDeviation[j] * standardDeviation[j];
        }

        s.Count = 1;
        s.Refresh(0, mean.Length);
        return s;
    }

    /// <summary>Restores a standardizer from its saved state.</summary>
    internal static FeatureStandardizer Restore(StandardizationMode mode, long count, double[] mean, double[] m2)
    {
        var s = new FeatureStandardizer(mode, mean.Length) { Count = count };
        mean.CopyTo(s._mean, 0);
        m2.CopyTo(s._m2, 0);
        s.Refresh(0, mean.Length);
        return s;
    }

    /// <summary>How statistics are obtained.</summary>
    public StandardizationMode Mode { get; }

    /// <summary>Number of features.</summary>
    public int Dimension => _mean.Length;

    /// <summary>Rows observed so far (online mode).</summary>
    public long Count { get; private set; }

    /// <summary>Current per-feature means.</summary>
    public ReadOnlySpan<double> Mean => _mean;

    /// <summary>Current per-feature sums of squared deviations (online) or variances (supplied).</summary>
    internal ReadOnlySpan<double> SecondMoment => _m2;

    /// <summary>The value subtracted from feature <paramref name="j"/>.</summary>
    internal double Center(int j) => _center[j];

    /// <summary>The scale feature <paramref name="j"/> is divided by (1 for a constant feature or the identity).</summary>
    internal double Scale(int j) => 1.0 / _inverseScale[j];

    /// <summary>Writes the mode and statistics.</summary>
    internal void Write(Persistence.PayloadWriter w)
    {
        w.Write((int)Mode);
        w.Write(Count);
        w.Write(Mean);
        w.Write(SecondMoment);
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

        return Restore(mode, count, mean, m2);
    }

    /// <summary>Adds a training row to the running statistics (no effect unless <see cref="StandardizationMode.Online"/>).</summary>
    public void Observe(ReadOnlySpan<float> x)
    {
        if (Mode != StandardizationMode.Online)
        {
            return;
        }

        Count++;
        double inverseCount = 1.0 / Count;
        for (int j = 0; j < x.Length; j++)
        {
            double delta = x[j] - _mean[j];
            _mean[j] += delta * inverseCount;
            _m2[j] += delta * (x[j] - _mean[j]);
        }

        Refresh(0, x.Length);
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

    private void Refresh(int from, int to)
    {
        for (int j = from; j < to; j++)
        {
            double variance = Mode == StandardizationMode.Online
                ? (Count > 1 ? _m2[j] / (Count - 1) : 0)
                : _m2[j];
            _center[j] = (float)_mean[j];
            _inverseScale[j] = variance > MinVariance ? (float)(1.0 / Math.Sqrt(variance)) : 1f;
        }
    }
}
