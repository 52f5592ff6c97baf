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
    [DataRow(0.5)]
    [DataRow(0.9)]
    public void DefaultTrainingGivesIntervalsThatCoverWhatTheyClaimOnAHeteroskedasticTarget(double coverage)
    {
        // Split conformal holds on average over training sets; one set's 400 held-out rows move it by a few points,
        // so the coverage is averaged over three training sets.
        LabeledData<float> test = Synthetic.Heteroskedastic(4000, seed: 12);
        double Coverage(int seed)
        {
            LabeledData<float> train = Synthetic.Heteroskedastic(4000, seed);
            GaussianGlnRegressor model = GaussianGlnRegressor.Create(1, 1, GaussianGlnOptions.ForData(train.RowCount));
            TrainingHistory history = model.Fit(train);
            Assert.AreEqual(history.HeldOutRows, model.CalibrationRowCount);
            return (double)Enumerable.Range(0, test.RowCount).Count(i => model.Predict(test.Row(i)).Interval(coverage) is var (lo, hi) && lo <= test.Labels[i] && test.Labels[i] <= hi) / test.RowCount;
        }

        // The bands the calibration promises: 45–55 % for 50 % intervals, 87–93 % for 90 %.
        Assert.AreEqual(coverage, new[] { 11, 13, 15 }.Average(Coverage), coverage == 0.5 ? 0.05 : 0.03, $"{coverage:P0} intervals");
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
