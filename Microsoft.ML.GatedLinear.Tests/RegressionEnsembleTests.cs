using System.Text.RegularExpressions;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.GatedLinear;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.GatedLinear.Tests;

/// <summary>
/// The regression trainer's <c>EnsembleSize</c>: by default, below 512 learned rows with rows held out, four models
/// (own seed, own share of held-out rows, own choice of network or linear model) averaged into one regressor
/// calibrated on every model's predictions of the rows it held out.
/// </summary>
[TestClass]
public class RegressionEnsembleTests
{
    [TestMethod]
    public void SmallDataTrainsFourModelsOnTheirOwnSharesAndCalibratesTheirAverageOnAllOfThem()
    {
        (var model, List<string> log) = Fit(TestData.Regression(300, seed: 1), new GatedLinearRegressionTrainer.Options { Seed = 7 });
        Assert.AreEqual(GatedLinearTrainerOptions.DefaultEnsembleSize, model.Model.EnsembleSize);
        string lines = string.Join(" | ", log.Where(m => !m.StartsWith("Epoch", StringComparison.Ordinal)));
        Match training = Regex.Match(lines, @"Training 4 models \(seeds 7 to 10, then averaged\) on (\d+) rows of 3 features for at most 50 epochs, each model holding out its own share of the rows \((\d+) for the first\) to choose when to stop\.");
        Assert.IsTrue(training.Success, lines);
        Match[] others = [.. log.Select(m => Regex.Match(m, @"^Model (\d) of 4, seed (\d+), \d+ rows held out\.$")).Where(m => m.Success)];
        CollectionAssert.AreEqual(new[] { "2 8", "3 9", "4 10" }, others.Select(m => $"{m.Groups[1].Value} {m.Groups[2].Value}").ToArray(), lines);
        Assert.AreEqual(4, log.Count(m => m.StartsWith("Held-out loss: network ", StringComparison.Ordinal)), "each model makes its own choice: " + lines);
        // The models train side by side, but their logs come one after another: model k's choice before "Model k + 1".
        int[] choices = [.. log.Select((m, i) => (m, i)).Where(p => p.m.StartsWith("Held-out loss: network ", StringComparison.Ordinal)).Select(p => p.i)];
        int[] starts = [.. log.Select((m, i) => (m, i)).Where(p => p.m.StartsWith("Model ", StringComparison.Ordinal)).Select(p => p.i)];
        for (int k = 0; k < 3; k++)
        {
            Assert.IsTrue(choices[k] < starts[k] && starts[k] < choices[k + 1], lines);
        }

        int first = int.Parse(training.Groups[2].Value), heldOut = EnsembleLog.HeldOutCounts(log).Sum();
        Assert.AreEqual(300, int.Parse(training.Groups[1].Value) + first);
        // Four disjoint fifths: about 240 rows, each held out by one model, calibrate the average.
        Assert.IsTrue(heldOut is > 200 and <= 280, lines);
        Assert.AreEqual(heldOut, model.Model.CalibrationRowCount, "every model's held-out rows calibrate the average");
    }

    [TestMethod]
    public void OnTinyDataAModelWithAnEmptyShareTrainsOnAndTheOthersCalibrateTheAverage()
    {
        // With 12 rows a fifth's share is empty for about one model in four; over 30 fits some are.
        int emptyShares = 0;
        for (int seed = 1; seed <= 30; seed++)
        {
            (var model, List<string> log) = Fit(TestData.Regression(12, seed: 3), new GatedLinearRegressionTrainer.Options { Seed = seed });
            string lines = string.Join(" | ", log.Where(m => !m.StartsWith("Epoch", StringComparison.Ordinal)));
            int[] heldOut = EnsembleLog.HeldOutCounts(log);
            Assert.AreEqual(4, heldOut.Length, lines);
            Assert.AreEqual(heldOut.Sum(), model.Model.CalibrationRowCount, lines);
            Assert.IsTrue(model.Model.Predict([0.5f, 1f, -1f]) is { } p && double.IsFinite(p.Mean) && p.Variance > 0, lines);
            emptyShares += heldOut.Count(n => n == 0);
        }

        Assert.IsTrue(emptyShares > 0);
    }

    [TestMethod]
    public void OnePassLargeDataAndGivenSizesAreAsTold()
    {
        Assert.AreEqual(1, Fit(TestData.Regression(300, seed: 2), new() { NumberOfEpochs = 1 }).Model.Model.EnsembleSize, "one online pass stays one model");
        Assert.AreEqual(1, Fit(TestData.Regression(300, seed: 2), new() { ValidationFraction = 0, NumberOfEpochs = 2 }).Model.Model.EnsembleSize, "nothing held out: one model");
        Assert.AreEqual(1, Fit(TestData.Regression(800, seed: 2), new()).Model.Model.EnsembleSize, "from 512 learned rows: one model");
        Assert.AreEqual(2, Fit(TestData.Regression(800, seed: 2), new() { EnsembleSize = 2 }).Model.Model.EnsembleSize);
        Assert.AreEqual(1, Fit(TestData.Regression(300, seed: 2), new() { EnsembleSize = 1 }).Model.Model.EnsembleSize);
    }

    [TestMethod]
    public void TheEnsembleIsDeterministicAndSurvivesSaving()
    {
        byte[] FitOnce(out float[] predictions)
        {
            var ml = new MLContext(seed: 3);
            IDataView data = ml.Data.LoadFromEnumerable(TestData.Regression(250, seed: 5));
            var model = ml.Transforms.NormalizeMeanVariance("Features").Append(ml.Regression.Trainers.GatedLinearRegression()).Fit(data);
            Assert.AreEqual(4, model.LastTransformer.Model.EnsembleSize);
            float[] Columns(ITransformer transformer)
            {
                IDataView scored = transformer.Transform(data);
                return [.. new[] { "Score", "Variance", "Lower", "Upper" }.SelectMany(column => scored.GetColumn<float>(column).Take(20))];
            }

            predictions = Columns(model);
            using var stream = new MemoryStream();
            GatedLinearModel.Save(ml, model, data.Schema, stream);
            stream.Position = 0;
            CollectionAssert.AreEqual(predictions, Columns(GatedLinearModel.Load(ml, stream, out _)), "the saved ensemble predicts as before");
            return ModelBytes.Of(model.LastTransformer.Model);
        }

        CollectionAssert.AreEqual(FitOnce(out float[] first), FitOnce(out float[] second), "the same seed gives the same models");
        CollectionAssert.AreEqual(first, second);
    }

    [TestMethod]
    public void TheAveragesIntervalsHoldAboutNinetyPercentOfNewLabels()
    {
        // Over several small training sets (one can miss by a few points either way, as a single model's can).
        var coverages = new List<double>();
        for (int seed = 1; seed <= 4; seed++)
        {
            var ml = new MLContext(seed: seed);
            IDataView train = ml.Data.LoadFromEnumerable(TestData.Regression(300, seed: 10 + seed)), test = ml.Data.LoadFromEnumerable(TestData.Regression(2000, seed: 20 + seed));
            var model = ml.Transforms.NormalizeMeanVariance("Features").Append(ml.Regression.Trainers.GatedLinearRegression()).Fit(train);
            Assert.AreEqual(4, model.LastTransformer.Model.EnsembleSize);
            coverages.Add(ml.Regression.EvaluateIntervals(model.Transform(test)).Coverage);
        }

        Assert.IsTrue(coverages.Average() is > 0.85 and < 0.95, string.Join(", ", coverages));
    }

    [TestMethod]
    public void TheAverageExplainsItsPredictionsExactly()
    {
        (var model, _) = Fit(TestData.Regression(300, seed: 4), new GatedLinearRegressionTrainer.Options());
        float[] features = [0.3f, -2f, 5.5f];
        var ml = new MLContext(seed: 1);
        var engine = ml.Model.CreatePredictionEngine<RegressionRow, RegressionPrediction>(model);
        Assert.AreEqual(engine.Predict(new RegressionRow { Features = features }).Score, model.Explain(features).Mean, 1e-4);
    }

    [TestMethod]
    [DataRow(0)]
    [DataRow(65)]
    public void AnEnsembleSizeOutOfRangeIsRefused(int size)
    {
        var ml = new MLContext(seed: 1);
        var error = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.Regression.Trainers.GatedLinearRegression(new GatedLinearRegressionTrainer.Options { EnsembleSize = size }));
        Assert.AreEqual("EnsembleSize", error.ParamName);
    }

    private static (GatedLinearRegressionTransformer Model, List<string> Log) Fit(List<RegressionRow> rows, GatedLinearRegressionTrainer.Options options)
    {
        var ml = new MLContext(seed: 5);
        var log = new List<string>();
        ml.Log += (_, e) => log.Add(e.RawMessage);
        return (ml.Regression.Trainers.GatedLinearRegression(options).Fit(ml.Data.LoadFromEnumerable(rows)), log);
    }
}
