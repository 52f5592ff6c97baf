namespace Microsoft.ML.GatedLinear.Numerics;

/// <summary>
/// Running per-dimension mean and sum of squared deviations M2 (Welford's update, in double precision): the
/// statistics every standardization in the library comes from.
/// </summary>
internal sealed class RunningMoments
{
    private readonly double[] _mean;
    private readonly double[] _m2;

    public RunningMoments(int dimension)
    {
        _mean = new double[dimension];
        _m2 = new double[dimension];
    }

    private RunningMoments(long count, double[] mean, double[] m2)
    {
        Count = count;
        _mean = mean;
        _m2 = m2;
    }

    /// <summary>Moments restored from a count, means and sums of squared deviations (taken, not copied).</summary>
    public static RunningMoments Restore(long count, double[] mean, double[] m2) => new(count, mean, m2);

    public int Dimension => _mean.Length;

    /// <summary>Rows added so far.</summary>
    public long Count { get; private set; }

    public ReadOnlySpan<double> Mean => _mean;

    /// <summary>Σ (x − mean)² per dimension.</summary>
    public ReadOnlySpan<double> SumOfSquaredDeviations => _m2;

    /// <summary>The unbiased variance of dimension <paramref name="j"/> (0 before two rows).</summary>
    public double SampleVariance(int j) => Count > 1 ? _m2[j] / (Count - 1) : 0;

    /// <summary>The population variance of dimension <paramref name="j"/> (0 before the first row).</summary>
    public double PopulationVariance(int j) => Count > 0 ? _m2[j] / Count : 0;

    /// <summary>√(population variance) of every dimension.</summary>
    public double[] PopulationStandardDeviations() => Enumerable.Range(0, Dimension).Select(j => Math.Sqrt(PopulationVariance(j))).ToArray();

    /// <summary>Takes <paramref name="other"/>'s moments (same dimension).</summary>
    public void CopyFrom(RunningMoments other)
    {
        Count = other.Count;
        other._mean.CopyTo(_mean, 0);
        other._m2.CopyTo(_m2, 0);
    }

    public void Add(ReadOnlySpan<float> x)
    {
        Count++;
        double inverseCount = 1.0 / Count;
        for (int j = 0; j < x.Length; j++)
        {
            double delta = x[j] - _mean[j];
            _mean[j] += delta * inverseCount;
            _m2[j] += delta * (x[j] - _mean[j]);
        }
    }
}
