using Microsoft.ML.Data;
using Microsoft.ML.Trainers.GatedLinear;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.GatedLinear.Tests;

[TestClass]
public class IntervalTests
{
    private sealed class IntervalPrediction
    {
        public float Score { get; set; }

        public float Variance { get; set; }

        public float Lower { get; set; }

        public float Upper { get; set; }
    }

    private sealed class ScoredRow
    {
        public float Label { get; set; }

        public float Score { get; set; }

        public float Variance { get; set; }

        public float Lower { get; set; }

        public float Upper { get; set; }
    }

    [TestMethod]
    public void LowerAndUpperColumnsReachPredictionEngineAndSurviveSaveAndLoad()
    {
        var ml = new MLContext(seed: 3);
        IDataView train = ml.Data.LoadFromEnumerable(TestData.Regression(1200, seed: 4));
        var pipeline = ml.Transforms.NormalizeMeanVariance("Features").Append(ml.Regression.Trainers.GatedLinearRegression());
        var model = pipeline.Fit(train);
        Assert.AreEqual(0.9, model.LastTransformer.IntervalCoverage);
        Assert.AreEqual(0.2, new GatedLinearRegressionTrainer.Options().ValidationFraction, "the regression trainer holds out a fifth by default");
        Assert.AreEqual(240, model.LastTransformer.Model.CalibrationRowCount, 45, "about a fifth of the 1200 rows calibrate the intervals");

        RegressionRow row = TestData.Regression(1, seed: 5)[0];
        IntervalPrediction p = ml.Model.CreatePredictionEngine<RegressionRow, IntervalPrediction>(model).Predict(row);
        Assert.IsTrue(p.Lower < p.Score && p.Score < p.Upper, $"{p.Lower} < {p.Score} < {p.Upper}");

        string path = Path.Combine(Path.GetTempPath(), $"mlgated-interval-{Guid.NewGuid():N}.zip");
        try
        {
            GatedLinearModel.Save(ml, model, train.Schema, path);
            ITransformer loaded = GatedLinearModel.Load(ml, path, out _);
            IntervalPrediction q = ml.Model.CreatePredictionEngine<RegressionRow, IntervalPrediction>(loaded).Predict(row);
            Assert.AreEqual((p.Score, p.Variance, p.Lower, p.Upper), (q.Score, q.Variance, q.Lower, q.Upper));
        }
        finally
        {
            File.Delete(path);
        }

        // A wider coverage widens the interval around the same score; 0 removes the columns.
        IntervalPrediction wide = ml.Model.CreatePredictionEngine<RegressionRow, IntervalPrediction>(model.First().Append(model.LastTransformer.WithIntervalCoverage(0.99))).Predict(row);
        Assert.AreEqual(p.Score, wide.Score);
        Assert.IsTrue(wide.Upper - wide.Lower > p.Upper - p.Lower);
        Assert.IsNull(model.LastTransformer.WithIntervalCoverage(0).GetOutputSchema(model.First().GetOutputSchema(train.Schema)).GetColumnOrNull("Lower"));
    }

    [TestMethod]
    public void NinetyPercentIntervalsHoldAboutNinetyPercentOfNewLabels()
    {
        var ml = new MLContext(seed: 4);
        IDataView train = ml.Data.LoadFromEnumerable(TestData.Regression(3000, seed: 6)), test = ml.Data.LoadFromEnumerable(TestData.Regression(3000, seed: 7));
        var model = ml.Transforms.NormalizeMeanVariance("Features").Append(ml.Regression.Trainers.GatedLinearRegression()).Fit(train);
        RegressionIntervalMetrics metrics = ml.Regression.EvaluateIntervals(model.Transform(test));
        Assert.AreEqual(3000, metrics.RowCount);
        Assert.IsTrue(metrics.Coverage is > 0.86 and < 0.95, $"coverage {metrics.Coverage}");
        // The noise is N(0, 0.3²): a 90 % interval of the true model is 2 · 1.645 · 0.3 ≈ 0.99 wide.
        Assert.IsTrue(metrics.MeanIntervalWidth is > 0.8 and < 1.6, $"width {metrics.MeanIntervalWidth}");
    }

    [TestMethod]
    public void TheEvaluatorMatchesHandComputedValues()
    {
        var ml = new MLContext(seed: 5);
        ScoredRow[] rows =
        [
            new() { Label = 1, Score = 1, Variance = 1, Lower = 0, Upper = 2 },
            new() { Label = 3, Score = 1, Variance = 4, Lower = -1, Upper = 2.5f },
        ];
        RegressionIntervalMetrics m = ml.Regression.EvaluateIntervals(ml.Data.LoadFromEnumerable(rows));

        // Row 1: z = 0, NLL = ½ log 2π; CRPS = 2φ(0) − 1/√π = (√2 − 1)/√π. Row 2: σ = 2, z = 1, NLL = ½ log 2π + log 2 + ½;
        // CRPS = 2·[1·(2Φ(1) − 1) + 2φ(1) − 1/√π] with Φ(1) = 0.841344746, φ(1) = 0.241970725.
        double halfLog2Pi = 0.5 * Math.Log(2 * Math.PI);
        double crps1 = (Math.Sqrt(2) - 1) / Math.Sqrt(Math.PI), crps2 = 2 * ((2 * 0.841344746 - 1) + 2 * 0.241970725 - 1 / Math.Sqrt(Math.PI));
        Assert.AreEqual((halfLog2Pi + halfLog2Pi + Math.Log(2) + 0.5) / 2, m.NegativeLogLikelihood, 1e-9);
        Assert.AreEqual((crps1 + crps2) / 2, m.ContinuousRankedProbabilityScore, 1e-6);
        Assert.AreEqual(0.5, m.Coverage);
        Assert.AreEqual((2 + 3.5) / 2, m.MeanIntervalWidth, 1e-9);
    }

    [TestMethod]
    public void TheEvaluatorNamesBadColumnsAndRows()
    {
        var ml = new MLContext(seed: 6);
        IDataView negative = ml.Data.LoadFromEnumerable(new[] { new ScoredRow { Label = 1, Score = 1, Variance = 1 }, new ScoredRow { Label = 1, Score = 1, Variance = -1 } });
        StringAssert.Contains(Assert.ThrowsExactly<InvalidOperationException>(() => ml.Regression.EvaluateIntervals(negative)).Message, "Column 'Variance' has a variance that is not positive and finite (-1) in row 1");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.Regression.EvaluateIntervals(negative, varianceColumnName: "Spread")).Message, "'Spread' is not in the data");
    }
}
