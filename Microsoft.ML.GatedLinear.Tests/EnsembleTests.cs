using System.Text.RegularExpressions;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.GatedLinear;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.GatedLinear.Tests;

/// <summary>
/// The B-GLN trainers' <c>EnsembleSize</c>: by default, below 512 learned rows with rows held out, four models trained
/// apart (own seed, own share of held-out rows, own choice of network or linear model) and averaged into one classifier.
/// </summary>
[TestClass]
public class EnsembleTests
{
    [TestMethod]
    public void SmallDataTrainsFourModelsAndAveragesThem()
    {
        (var model, List<string> log) = FitBinary(TestData.Xor(300, seed: 1), new GatedLinearBinaryClassificationTrainer.Options { Seed = 7 });
        Assert.AreEqual(GatedLinearClassificationOptions.DefaultEnsembleSize, model.Model.EnsembleSize);
        string lines = string.Join(" | ", log.Where(m => !m.StartsWith("Epoch", StringComparison.Ordinal)));
        Assert.IsTrue(log.Any(m => m.StartsWith("Training 4 models (seeds 7 to 10, then averaged) on ", StringComparison.Ordinal)), lines);
        CollectionAssert.AreEqual(new[] { "Model 2 of 4, seed 8", "Model 3 of 4, seed 9", "Model 4 of 4, seed 10" }, log.Where(m => m.StartsWith("Model ", StringComparison.Ordinal)).Select(m => Regex.Replace(m, @", \d+ rows held out\.$", string.Empty)).ToArray(), lines);
        Assert.AreEqual(4, log.Count(m => m.StartsWith("Held-out loss: network ", StringComparison.Ordinal)), "each model makes its own choice: " + lines);
    }

    [TestMethod]
    public void SkippedRowsAreReportedOnceNotOncePerModel()
    {
        List<BinaryRow> rows = TestData.Xor(300, seed: 3);
        rows[5].Features[0] = float.NaN;
        (var model, List<string> log) = FitBinary(rows, new GatedLinearBinaryClassificationTrainer.Options { SkipRowsWithMissingValues = true });
        Assert.AreEqual(4, model.Model.EnsembleSize);
        Assert.AreEqual(1, log.Count(m => m.StartsWith("Skipped 1 of 300 rows", StringComparison.Ordinal)), string.Join(" | ", log.Where(m => !m.StartsWith("Epoch", StringComparison.Ordinal))));
    }

    [TestMethod]
    public void WithoutHeldOutRowsEachMemberIsTheModelItsSeedTrainsAlone()
    {
        // Alone, seed 7 and seed 8 (row orders and hyperplanes); together, seeds 7 and 8. With rows held out, the second
        // would hold out another share of the rows than seed 8 alone does.
        List<BinaryRow> rows = TestData.Xor(300, seed: 6);
        GatedLinearBinaryClassificationTrainer.Options Options(int seed, int size) => new() { Seed = seed, EnsembleSize = size, ValidationFraction = 0, NumberOfEpochs = 2 };
        var alone = new[] { 7, 8 }.Select(seed => FitBinary(rows, Options(seed, 1)).Model.Model).ToList();
        var together = FitBinary(rows, Options(7, 2)).Model.Model;
        Assert.AreEqual(2, together.EnsembleSize);
        CollectionAssert.AreEqual(ModelBytes.Of(GatedLinear.Bernoulli.BernoulliGlnClassifier.Average(alone)), ModelBytes.Of(together));
        CollectionAssert.AreNotEqual(ModelBytes.Of(alone[0]), ModelBytes.Of(alone[1]));
    }

    [TestMethod]
    public void EachMemberHoldsOutItsOwnShareOfTheRows()
    {
        (var model, List<string> log) = FitBinary(TestData.Xor(1000, seed: 1), new GatedLinearBinaryClassificationTrainer.Options { Seed = 7, EnsembleSize = 4 });
        string lines = string.Join(" | ", log.Where(m => !m.StartsWith("Epoch", StringComparison.Ordinal)));
        Match training = Regex.Match(lines, @"on (\d+) rows of 2 features for at most \d+ epochs, each model holding out its own share of the rows \((\d+) for the first\)");
        Assert.IsTrue(training.Success, lines);
        int[] heldOut = EnsembleLog.HeldOutCounts(log);
        int rows = int.Parse(training.Groups[1].Value) + heldOut[0];
        Assert.AreEqual(4, heldOut.Length, lines);
        // Each about the validation fraction of the rows, as one model's would be; four disjoint shares of it together.
        double fraction = new GatedLinearBinaryClassificationTrainer.Options().ValidationFraction;
        Assert.IsTrue(heldOut.All(n => Math.Abs(n - fraction * rows) < 5 * Math.Sqrt(fraction * rows)), lines);
        Assert.AreEqual(4 * fraction * rows, heldOut.Sum(), 5 * Math.Sqrt(4 * fraction * rows), lines);
        Assert.AreEqual(4, model.Model.EnsembleSize);
    }

    [TestMethod]
    public void OnePassLargeDataAndGivenSizesAreAsTold()
    {
        Assert.AreEqual(1, FitBinary(TestData.Xor(300, seed: 2), new GatedLinearBinaryClassificationTrainer.Options { NumberOfEpochs = 1 }).Model.Model.EnsembleSize, "one online pass stays one model");
        Assert.AreEqual(1, FitBinary(TestData.Xor(300, seed: 2), new GatedLinearBinaryClassificationTrainer.Options { ValidationFraction = 0, NumberOfEpochs = 2 }).Model.Model.EnsembleSize, "nothing held out: one model");
        Assert.AreEqual(1, FitBinary(TestData.Xor(600, seed: 2), new GatedLinearBinaryClassificationTrainer.Options()).Model.Model.EnsembleSize, "from 512 learned rows: one model");
        Assert.AreEqual(2, FitBinary(TestData.Xor(600, seed: 2), new GatedLinearBinaryClassificationTrainer.Options { EnsembleSize = 2 }).Model.Model.EnsembleSize);
        Assert.AreEqual(1, FitBinary(TestData.Xor(300, seed: 2), new GatedLinearBinaryClassificationTrainer.Options { EnsembleSize = 1 }).Model.Model.EnsembleSize);
    }

    [TestMethod]
    public void AMulticlassEnsembleIsDeterministicAndSurvivesSaving()
    {
        byte[] Fit(out float[] scores)
        {
            var ml = new MLContext(seed: 3);
            IDataView data = ml.Data.LoadFromEnumerable(TestData.Blobs(200, seed: 5));
            var pipeline = ml.Transforms.Conversion.MapValueToKey("Label").Append(ml.MulticlassClassification.Trainers.GatedLinearClassification());
            var model = pipeline.Fit(data);
            Assert.AreEqual(4, model.LastTransformer.Model.EnsembleSize);
            scores = [.. model.Transform(data).GetColumn<float[]>("Score").Take(20).SelectMany(s => s)];
            using var stream = new MemoryStream();
            GatedLinearModel.Save(ml, model, data.Schema, stream);
            stream.Position = 0;
            float[] reloaded = [.. GatedLinearModel.Load(ml, stream, out _).Transform(data).GetColumn<float[]>("Score").Take(20).SelectMany(s => s)];
            CollectionAssert.AreEqual(scores, reloaded, "the saved ensemble predicts as before");
            return ModelBytes.Of(model.LastTransformer.Model);
        }

        CollectionAssert.AreEqual(Fit(out float[] first), Fit(out float[] second), "the same seed gives the same models");
        CollectionAssert.AreEqual(first, second);
    }

    [TestMethod]
    public void TheAverageExplainsItsPredictionsExactly()
    {
        (var model, _) = FitBinary(TestData.Xor(300, seed: 4), new GatedLinearBinaryClassificationTrainer.Options());
        float[] features = [0.3f, -0.2f];
        var ml = new MLContext(seed: 1);
        var engine = ml.Model.CreatePredictionEngine<BinaryRow, BinaryPrediction>(model);
        Assert.AreEqual(engine.Predict(new BinaryRow { Features = features }).Score, model.Explain(features).Logit, 1e-4);
    }

    [TestMethod]
    [DataRow(0)]
    [DataRow(65)]
    public void AnEnsembleSizeOutOfRangeIsRefused(int size)
    {
        var ml = new MLContext(seed: 1);
        var error = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.BinaryClassification.Trainers.GatedLinearClassification(new GatedLinearBinaryClassificationTrainer.Options { EnsembleSize = size }));
        Assert.AreEqual("EnsembleSize", error.ParamName);
    }

    private static (GatedLinearBinaryClassificationTransformer Model, List<string> Log) FitBinary(List<BinaryRow> rows, GatedLinearBinaryClassificationTrainer.Options options)
        => LinearModelChoiceTests.FitBinary(rows, options);
}
