using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.GatedLinear.Numerics;
using Microsoft.ML.Trainers.GatedLinear;

namespace MLGated.Benchmarks.Defaults;

/// <summary>
/// The regression sets' interval table: coverage and mean width of central intervals at <see cref="Levels"/>, Gaussian NLL
/// and CRPS, pooled over the folds. The G-GLN gives its own intervals (<c>Lower</c>/<c>Upper</c>, re-targeted with
/// <c>WithIntervalCoverage</c>); GaLU regression's constant variance gives Score ± z·√Variance; the baseline a user could
/// build is split-conformal around LightGbm: LightGbm fit on 90 % of the training fold, the ⌈(n+1)·c⌉-th smallest
/// absolute residual on the other 10 % as the half-width.
/// </summary>
internal static class DefaultsIntervals
{
    public static readonly double[] Levels = [0.5, 0.9, 0.95];

    public const string ConformalLightGbm = "LightGbm split-conformal";

    /// <summary>Sums over the folds of one trainer on one set.</summary>
    internal sealed class Tally(string set, string trainer)
    {
        public string Set { get; } = set;
        public string Trainer { get; } = trainer;
        public long Rows { get; private set; }
        public double[] Covered { get; } = new double[Levels.Length];
        public double[] Width { get; } = new double[Levels.Length];
        public double NegativeLogLikelihood { get; private set; } = double.NaN;
        public double Crps { get; private set; } = double.NaN;

        public void Add(int level, long rows, double coverage, double meanWidth)
        {
            Covered[level] += coverage * rows;
            Width[level] += meanWidth * rows;
            Rows += level == 0 ? rows : 0;
        }

        public void AddScores(long rows, double nll, double crps)
        {
            NegativeLogLikelihood = (double.IsNaN(NegativeLogLikelihood) ? 0 : NegativeLogLikelihood) + nll * rows;
            Crps = (double.IsNaN(Crps) ? 0 : Crps) + crps * rows;
        }

        public IntervalResult Result() => new(Set, Trainer, Covered.Select(c => c / Rows).ToArray(), Width.Select(w => w / Rows).ToArray(), NegativeLogLikelihood / Rows, Crps / Rows);
    }

    /// <summary>Adds one fold of a fitted model's intervals on <paramref name="test"/>; false when the model predicts no variance.</summary>
    public static bool AddFold(MLContext ml, Tally tally, ITransformer model, IDataView test)
    {
        var chain = (TransformerChain<ITransformer>)model;
        IDataView featurized = chain.Take(chain.Count() - 1).Aggregate(test, (data, step) => step.Transform(data));
        switch (chain.LastTransformer)
        {
            case GatedLinearRegressionTransformer gln:
                for (int level = 0; level < Levels.Length; level++)
                {
                    RegressionIntervalMetrics metrics = ml.Regression.EvaluateIntervals(gln.WithIntervalCoverage(Levels[level]).Transform(featurized));
                    tally.Add(level, metrics.RowCount, metrics.Coverage, metrics.MeanIntervalWidth);
                    if (level == 0)
                    {
                        tally.AddScores(metrics.RowCount, metrics.NegativeLogLikelihood, metrics.ContinuousRankedProbabilityScore);
                    }
                }

                return true;
            case GaluRegressionTransformer galu:
                IDataView scored = galu.Transform(featurized);
                RegressionIntervalMetrics scores = ml.Regression.EvaluateIntervals(scored);
                tally.AddScores(scores.RowCount, scores.NegativeLogLikelihood, scores.ContinuousRankedProbabilityScore);
                float[] y = scored.GetColumn<float>("Label").ToArray(), mean = scored.GetColumn<float>("Score").ToArray(), variance = scored.GetColumn<float>("Variance").ToArray();
                for (int level = 0; level < Levels.Length; level++)
                {
                    double z = NormalDistribution.InverseCdf(0.5 + Levels[level] / 2);
                    double[] halfWidths = variance.Select(v => z * Math.Sqrt(v)).ToArray();
                    AddSymmetric(tally, level, y, mean, halfWidths);
                }

                return true;
            default:
                return false;
        }
    }

    /// <summary>Adds one fold of split-conformal intervals around LightGbm trained on 90 % of <paramref name="train"/>.</summary>
    public static void AddConformalFold(MLContext ml, Tally tally, IEstimator<ITransformer> featurize, IDataView train, IDataView test, int seed)
    {
        DataOperationsCatalog.TrainTestData parts = ml.Data.TrainTestSplit(train, testFraction: 0.1, seed: seed);
        ITransformer model = featurize.Append(ml.Regression.Trainers.LightGbm()).Fit(parts.TrainSet);
        IDataView calibration = model.Transform(parts.TestSet), scored = model.Transform(test);
        double[] residuals = calibration.GetColumn<float>("Label").Zip(calibration.GetColumn<float>("Score"), (y, s) => Math.Abs((double)y - s)).Order().ToArray();
        float[] y = scored.GetColumn<float>("Label").ToArray(), mean = scored.GetColumn<float>("Score").ToArray();
        for (int level = 0; level < Levels.Length; level++)
        {
            int rank = (int)Math.Ceiling((residuals.Length + 1) * Levels[level]);
            double q = rank > residuals.Length ? double.PositiveInfinity : residuals[rank - 1];
            AddSymmetric(tally, level, y, mean, Enumerable.Repeat(q, y.Length).ToArray());
        }
    }

    private static void AddSymmetric(Tally tally, int level, float[] y, float[] mean, double[] halfWidth)
    {
        int covered = Enumerable.Range(0, y.Length).Count(i => Math.Abs((double)y[i] - mean[i]) <= halfWidth[i]);
        tally.Add(level, y.Length, (double)covered / y.Length, 2 * halfWidth.Average());
    }
}

/// <summary>One trainer's intervals on one set, pooled over the folds: coverage and mean width at each level, NLL, CRPS.</summary>
internal sealed record IntervalResult(string Set, string Trainer, double[] Coverage, double[] Width, double NegativeLogLikelihood, double Crps);
