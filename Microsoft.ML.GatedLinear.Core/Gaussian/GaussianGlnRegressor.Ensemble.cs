using System.Buffers;
using Microsoft.ML.GatedLinear.Training;

namespace Microsoft.ML.GatedLinear.Gaussian;

public sealed partial class GaussianGlnRegressor
{
    /// <summary>The most regressors <see cref="Average"/> takes.</summary>
    public const int MaxEnsembleSize = 64;

    // The models averaged with this one, which is the first (none for a single model). Each keeps its own shape,
    // hyperplanes, standardization and weights, and learns and predicts as it would alone.
    private GaussianGlnRegressor[] _others = [];

    // The held-out predictions the last calibration was fitted on (not saved): an average is calibrated on its models'
    // (their mixture for the same rows, pooled for different ones; see Average).
    private HeldOutPredictions? _calibrationPredictions;

    /// <summary>How many models this regressor averages (<see cref="Average"/>); 1 for a single model.</summary>
    public int EnsembleSize => 1 + _others.Length;

    /// <summary>
    /// One regressor predicting the equal mixture of <paramref name="models"/>' Gaussians: the mean of their means, and
    /// the mixture's variance (the mean of their variances plus the spread of their means). Trained apart (other
    /// hyperplanes, other row orders, each stopped at its own best epoch, each with its own choice of network or linear
    /// model), such models err differently on a small data set, and their mean less. <see cref="Explain"/> stays exact:
    /// the mean of the models' decompositions. The result is a copy; it learns on (every model) if trained further.
    /// </summary>
    /// <remarks>
    /// When every model was calibrated by its last <c>Fit</c> on held-out rows, so is the average (<see cref="CalibrationRowCount"/>):
    /// on the same rows in the same order, on the mixture of the models' predictions of them; on rows that differ (models
    /// each holding out their own share of one training set, as the trainer's ensembles do), on every model's own
    /// predictions of its rows pooled — each row predicted by a model that never learned it (models without held-out
    /// rows, as one whose share of a tiny training set was empty, add none). Those describe one model alone: the
    /// mixture's error is at most the mean of the models' errors on every row, so intervals calibrated so err wide
    /// rather than narrow. When no model was calibrated, neither is the average (the mixture's own Gaussian).
    /// </remarks>
    /// <param name="models">1 to <see cref="MaxEnsembleSize"/> regressors (not averages) with the same feature count and target
    /// dimension; shapes, options and seeds may differ.</param>
    /// <exception cref="ArgumentException">The models differ in features or targets, or one is itself an average.</exception>
    public static GaussianGlnRegressor Average(IReadOnlyList<GaussianGlnRegressor> models)
    {
        ArgumentNullException.ThrowIfNull(models);
        if (models.Count is < 1 or > MaxEnsembleSize)
        {
            throw new ArgumentException($"Average takes 1 to {MaxEnsembleSize} regressors; got {models.Count}.", nameof(models));
        }

        foreach (GaussianGlnRegressor model in models)
        {
            ArgumentNullException.ThrowIfNull(model, nameof(models));
            if (model._others.Length > 0)
            {
                throw new ArgumentException("Average takes single regressors; this one already averages several.", nameof(models));
            }

            if (!models[0].AveragesWith(model))
            {
                throw new ArgumentException("Average takes regressors of the same feature count and target dimension.", nameof(models));
            }
        }

        HeldOutPredictions? calibration = CalibrationPredictions(models);
        GaussianGlnRegressor average = models[0].Copy();
        average._others = models.Skip(1).Select(model => model.Copy()).ToArray();
        // The models' own calibrations describe each alone; the average's describes the mixture.
        average._calibration = null;
        foreach (GaussianGlnRegressor other in average._others)
        {
            other._calibration = null;
        }

        if (calibration is not null)
        {
            ((ICalibratedOnHeldOutRows)average).Calibrate(calibration);
        }

        return average;
    }

    private bool AveragesWith(GaussianGlnRegressor other) => other.FeatureCount == FeatureCount && other.TargetDimension == TargetDimension;

    // The average's calibration rows (see Average): null when no model has any.
    private static HeldOutPredictions? CalibrationPredictions(IReadOnlyList<GaussianGlnRegressor> models)
    {
        HeldOutPredictions[] own = [.. models.Select(m => m._calibrationPredictions).OfType<HeldOutPredictions>()];
        if (own.Length == 0)
        {
            return null;
        }

        return own.Length == models.Count && own.All(p => p.Targets.AsSpan().SequenceEqual(own[0].Targets))
            ? MixedPredictions(models, own[0])
            : HeldOutPredictions.Concat(own);
    }

    // The mixture of every model's predictions of the same rows.
    private static HeldOutPredictions MixedPredictions(IReadOnlyList<GaussianGlnRegressor> models, HeldOutPredictions first)
    {
        int values = first.Means.Length, count = models.Count;
        var means = new double[values];
        var variances = new double[values];
        var memberMeans = new double[count];
        var memberVariances = new double[count];
        for (int i = 0; i < values; i++)
        {
            for (int j = 0; j < count; j++)
            {
                memberMeans[j] = models[j]._calibrationPredictions!.Means[i];
                memberVariances[j] = models[j]._calibrationPredictions!.Variances[i];
            }

            (means[i], variances[i]) = Mixture(memberMeans, memberVariances);
        }

        return new HeldOutPredictions(means, variances, first.Targets.ToArray(), first.Dimensions);
    }

    // The average's prediction: the mixture of its models' uncalibrated Gaussians, then its own calibration.
    private void PredictAverage(ReadOnlySpan<float> features, Span<double> mean, Span<double> variance)
    {
        int count = EnsembleSize, dimensions = TargetDimension;
        double[] buffer = ArrayPool<double>.Shared.Rent(2 * count * dimensions);
        try
        {
            Span<double> means = buffer.AsSpan(0, count * dimensions), variances = buffer.AsSpan(count * dimensions, count * dimensions);
            PredictOwn(features, means[..dimensions], variances[..dimensions], null);
            for (int j = 1; j < count; j++)
            {
                _others[j - 1].PredictOwn(features, means.Slice(j * dimensions, dimensions), variances.Slice(j * dimensions, dimensions), null);
            }

            Span<double> dimensionMeans = stackalloc double[count], dimensionVariances = stackalloc double[count];
            for (int d = 0; d < dimensions; d++)
            {
                for (int j = 0; j < count; j++)
                {
                    dimensionMeans[j] = means[j * dimensions + d];
                    dimensionVariances[j] = variances[j * dimensions + d];
                }

                (mean[d], variance[d]) = Mixture(dimensionMeans, dimensionVariances);
                variance[d] *= _calibration?.VarianceScale(d) ?? 1;
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(buffer);
        }
    }

    // The equal mixture's mean and variance, the spread of the means taken about their mean (no cancellation).
    private static (double Mean, double Variance) Mixture(ReadOnlySpan<double> means, ReadOnlySpan<double> variances)
    {
        double mean = 0;
        foreach (double m in means)
        {
            mean += m;
        }

        mean /= means.Length;
        double variance = 0;
        for (int j = 0; j < means.Length; j++)
        {
            variance += variances[j] + (means[j] - mean) * (means[j] - mean);
        }

        return (mean, variance / means.Length);
    }
}
