using Microsoft.ML.GatedLinear.Data;
using Microsoft.ML.GatedLinear.Gaussian;
using Microsoft.ML.GatedLinear.Numerics;
using Microsoft.ML.GatedLinear.Training;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.GatedLinear.Tests.Gaussian;

[TestClass]
public class HeldOutCalibrationTests
{
    [TestMethod]
    public void TheScaleIsTheMeanSquaredStandardizedErrorAndTheHalfWidthAConformalRank()
    {
        // Nine rows predicted N(0, 4) with errors 1..9: c = mean(e²)/4 = (285/9)/4; scores e/√(4c) sorted.
        double[] means = new double[9], variances = Enumerable.Repeat(4.0, 9).ToArray();
        float[] targets = Enumerable.Range(1, 9).Select(i => (float)(i % 2 == 0 ? -i : i)).ToArray();
        var calibration = HeldOutCalibration.Fit(means, variances, targets, 1);

        double c = 285.0 / 9 / 4;
        Assert.AreEqual(c, calibration.VarianceScale(0), 1e-12);
        // 50 %: rank ⌈10 · 0.5⌉ = 5, the fifth smallest error (5). 90 %: rank 9, the largest (9). 95 %: rank 10 > 9 rows,
        // so the Gaussian quantile.
        Assert.AreEqual(5 / Math.Sqrt(4 * c), calibration.HalfWidthInStandardDeviations(0, 0.5), 1e-6);
        Assert.AreEqual(9 / Math.Sqrt(4 * c), calibration.HalfWidthInStandardDeviations(0, 0.9), 1e-6);
        Assert.AreEqual(1.959964, calibration.HalfWidthInStandardDeviations(0, 0.95), 1e-5);
    }

    [TestMethod]
    public void DefaultTrainingGivesIntervalsThatCoverWhatTheyClaimOnAHeteroskedasticTarget()
    {
        // Split conformal holds on average over training sets. One set's coverage of its 50 % intervals ranged from 38 to
        // 63 % over 24 sets (the held-out rows drawn, and the epoch the noisy learner stops at, which the last bits of its
        // sums move: AVX-512 and AVX2 machines learn different paths), so the coverage is averaged over 16 sets: a spread
        // of about 1.5 points for 50 %, under 1 for 90 %.
        LabeledData<float> test = Synthetic.Heteroskedastic(4000, seed: 12);
        double[] levels = [0.5, 0.9];
        var covered = new double[levels.Length];
        const int trainingSets = 16;
        for (int seed = 11; seed < 11 + trainingSets; seed++)
        {
            LabeledData<float> train = Synthetic.Heteroskedastic(4000, seed);
            GaussianGlnRegressor model = GaussianGlnRegressor.Create(1, 1, GaussianGlnOptions.ForData(train.RowCount));
            TrainingHistory history = model.Fit(train);
            Assert.AreEqual(history.HeldOutRows, model.CalibrationRowCount);
            for (int i = 0; i < test.RowCount; i++)
            {
                GaussianPrediction prediction = model.Predict(test.Row(i));
                for (int l = 0; l < levels.Length; l++)
                {
                    (double lo, double hi) = prediction.Interval(levels[l]);
                    covered[l] += lo <= test.Labels[i] && test.Labels[i] <= hi ? 1 : 0;
                }
            }
        }

        // The bands the calibration promises: 45–55 % for 50 % intervals, 87–93 % for 90 %.
        Assert.AreEqual(0.5, covered[0] / (trainingSets * test.RowCount), 0.05, "50 % intervals");
        Assert.AreEqual(0.9, covered[1] / (trainingSets * test.RowCount), 0.03, "90 % intervals");
    }

    [TestMethod]
    public void CalibrationRaisesTheHeldOutLikelihoodAndSurvivesSaveAndLoad()
    {
        LabeledData<float> train = Synthetic.Heteroskedastic(2000, seed: 13), test = Synthetic.Heteroskedastic(2000, seed: 14);
        GaussianGlnRegressor Trained(double validationFraction)
        {
            GaussianGlnRegressor m = GaussianGlnRegressor.Create(1, 1, GaussianGlnOptions.ForData(train.RowCount));
            m.Fit(train, new OnlineTrainingOptions { Epochs = 20, ValidationFraction = validationFraction });
            return m;
        }

        GaussianGlnRegressor calibrated = Trained(0.1);
        Assert.AreEqual(0, Trained(0).CalibrationRowCount, "with nothing held out the network's own Gaussians are reported");

        using var file = new MemoryStream();
        calibrated.Save(file);
        GaussianGlnRegressor loaded = GaussianGlnRegressor.Load(new MemoryStream(file.ToArray()));
        Assert.AreEqual(calibrated.CalibrationRowCount, loaded.CalibrationRowCount);
        Assert.AreEqual(calibrated.Predict([0.3f]).Interval(0.9), loaded.Predict([0.3f]).Interval(0.9));

        // The network's own variance is the calibrated one divided by the scale.
        double scale = calibrated.Calibration!.VarianceScale(0);
        Assert.AreNotEqual(1, scale);
        double LogLikelihood(double varianceFactor) => Enumerable.Range(0, test.RowCount).Average(i =>
            calibrated.Predict(test.Row(i)) is var p ? NormalDistribution.LogDensity(test.Labels[i], p.Mean, p.Variance * varianceFactor) : 0);
        Assert.IsTrue(LogLikelihood(1) > LogLikelihood(1 / scale), $"scale {scale}: the held-out likelihood's maximizer carries to new rows");
    }
}
