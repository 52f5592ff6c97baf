using Microsoft.ML.GatedLinear.Numerics;
using Microsoft.ML.GatedLinear.Persistence;

namespace Microsoft.ML.GatedLinear.Gaussian;

/// <summary>
/// The predicted variances and intervals recalibrated on held-out rows the network never learned. Per target
/// dimension: the variance scale c = mean of (y − μ)²/σ² (the scale that maximizes the held-out likelihood), and the
/// sorted scores |y − μ| / √(c σ²) that split-conformal intervals read their half-widths from.
/// </summary>
/// <remarks>
/// The interval μ ± q·√(cσ²), with q the ⌈(n + 1)·coverage⌉-th smallest of n held-out scores, holds a new row's target
/// with probability at least the coverage whenever rows are exchangeable and the predictions are those of a model chosen
/// without the held-out rows (split conformal prediction; early stopping supplies such predictions, see
/// <see cref="Training.HeldOutSelection"/>). With too few
/// held-out rows for that rank, q falls back to the Gaussian quantile.
/// </remarks>
internal sealed class HeldOutCalibration
{
    private readonly double[] _varianceScale;
    private readonly float[][] _sortedScores;

    private HeldOutCalibration(double[] varianceScale, float[][] sortedScores)
    {
        _varianceScale = varianceScale;
        _sortedScores = sortedScores;
    }

    /// <summary>Held-out rows the calibration was measured on.</summary>
    public int RowCount => _sortedScores[0].Length;

    // Standardized residuals 10⁶ network deviations wide are no calibration: the network has failed. Capping c keeps
    // calibrated variances in float range (and a corrupted file from loading one that is not).
    private const double MaxVarianceScale = 1e12;

    /// <summary>c of dimension <paramref name="d"/>: reported variances are the network's times c.</summary>
    public double VarianceScale(int d) => _varianceScale[d];

    /// <summary>
    /// Calibrates on held-out rows: <paramref name="means"/>, <paramref name="variances"/> (uncalibrated) and
    /// <paramref name="targets"/> row-major [n × D], n ≥ 1.
    /// </summary>
    public static HeldOutCalibration Fit(ReadOnlySpan<double> means, ReadOnlySpan<double> variances, ReadOnlySpan<float> targets, int dimensions)
    {
        int n = targets.Length / dimensions;
        var scale = new double[dimensions];
        var scores = new float[dimensions][];
        for (int d = 0; d < dimensions; d++)
        {
            double sum = 0;
            for (int i = 0; i < n; i++)
            {
                double r = targets[i * dimensions + d] - means[i * dimensions + d];
                sum += r * r / variances[i * dimensions + d];
            }

            // A perfect fit on the held-out rows leaves the variances as they are rather than collapsing them.
            scale[d] = sum > 0 ? Math.Min(sum / n, MaxVarianceScale) : 1;
            scores[d] = new float[n];
            for (int i = 0; i < n; i++)
            {
                scores[d][i] = (float)(Math.Abs(targets[i * dimensions + d] - means[i * dimensions + d]) / Math.Sqrt(scale[d] * variances[i * dimensions + d]));
            }

            Array.Sort(scores[d]);
        }

        return new HeldOutCalibration(scale, scores);
    }

    /// <summary>q: the central interval holding <paramref name="coverage"/> is mean ± q·(calibrated standard deviation).</summary>
    public double HalfWidthInStandardDeviations(int d, double coverage)
    {
        float[] scores = _sortedScores[d];
        long rank = (long)Math.Ceiling((scores.Length + 1) * coverage);
        return rank <= scores.Length ? scores[rank - 1] : NormalDistribution.InverseCdf(0.5 + coverage / 2);
    }

    public void Write(PayloadWriter w)
    {
        w.Write(_varianceScale);
        foreach (float[] scores in _sortedScores)
        {
            w.Write(scores);
        }
    }

    public static HeldOutCalibration Read(PayloadReader r, int dimensions)
    {
        double[] scale = r.ReadDoubleArray("the variance calibration", dimensions);
        var scores = new float[dimensions][];
        for (int d = 0; d < dimensions; d++)
        {
            scores[d] = r.ReadSingleArray($"the calibration scores of dimension {d}", d == 0 ? -1 : scores[0].Length);
            if (!(scale[d] > 0 && scale[d] <= MaxVarianceScale) || scores[d].Length == 0 || scores[d].Any(s => !(s >= 0 && float.IsFinite(s))) || !IsSorted(scores[d]))
            {
                throw new ModelFormatException($"The model file is corrupted: the variance calibration of dimension {d} is invalid.");
            }
        }

        return new HeldOutCalibration(scale, scores);
    }

    private static bool IsSorted(float[] values)
    {
        for (int i = 1; i < values.Length; i++)
        {
            if (values[i] < values[i - 1])
            {
                return false;
            }
        }

        return true;
    }
}
