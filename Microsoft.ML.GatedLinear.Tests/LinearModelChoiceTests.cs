using System.Globalization;
using Microsoft.ML.GatedLinear.Bernoulli;
using Microsoft.ML.Trainers.GatedLinear;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.GatedLinear.Tests;

/// <summary>
/// With held-out rows the GLN trainers also train the network's linear special case and keep whichever predicts the
/// held-out rows better (<c>TryLinearModel</c>, on by default). The B-GLN tests of one choice train one model
/// (<c>EnsembleSize</c> 1): by default, below 512 rows, each of four models makes its own.
/// </summary>
[TestClass]
public class LinearModelChoiceTests
{
    [TestMethod]
    public void SmallLinearDataKeepsTheLinearClassifier()
    {
        // A network whose neurons split the 200 rows among 16 weight rows each (for this few rows the data-size rule gives 4).
        var options = new GatedLinearBinaryClassificationTrainer.Options { Network = new BernoulliGlnOptions { ContextDimension = 4 }, EnsembleSize = 1 };
        (var model, List<string> log) = FitBinary(LinearBoundary(200, seed: 3), options);
        Assert.AreEqual("linear model", Choice(log).Kept, string.Join(" | ", log.Where(m => !m.StartsWith("Epoch"))));
        CollectionAssert.AreEqual(new[] { 1 }, model.Model.Options.LayerSizes, string.Join(" | ", log));
        Assert.AreEqual(0, model.Model.Options.ContextDimension);
        Assert.AreEqual("linear model", Choice(log).Kept);
    }

    [TestMethod]
    public void AnEnsembleAveragesTheLinearModelsItsMembersKept()
    {
        // The default four models on the data above, with neurons of 64 weight rows: with seeds 1–4 the fourth keeps its
        // linear model, carried into the network's shape to be averaged with the other three's networks.
        var options = new GatedLinearBinaryClassificationTrainer.Options { Network = new BernoulliGlnOptions { ContextDimension = 6 }, Seed = 1 };
        (var model, List<string> log) = FitBinary(LinearBoundary(200, seed: 3), options);
        Assert.AreEqual(1, log.Count(m => m.EndsWith("kept the linear model.", StringComparison.Ordinal)), string.Join(" | ", log.Where(m => !m.StartsWith("Epoch"))));
        Assert.AreEqual(4, model.Model.EnsembleSize);
        CollectionAssert.AreEqual(new[] { 32, 1 }, model.Model.Options.LayerSizes);
        float[] features = [0.1f, 0.2f];
        var engine = new MLContext(seed: 1).Model.CreatePredictionEngine<BinaryRow, BinaryPrediction>(model);
        Assert.AreEqual(engine.Predict(new BinaryRow { Features = features }).Score, model.Explain(features).Logit, 1e-4);
    }

    [TestMethod]
    public void XorKeepsTheNetwork()
    {
        (var model, List<string> log) = FitBinary(TestData.Xor(400, seed: 8), new GatedLinearBinaryClassificationTrainer.Options { EnsembleSize = 1 });
        CollectionAssert.AreEqual(new[] { 32, 1 }, model.Model.Options.LayerSizes);
        (double network, double linear, string kept) = Choice(log);
        Assert.AreEqual("network", kept);
        Assert.IsTrue(network < linear / 2, $"{network} vs {linear}");
    }

    [TestMethod]
    public void TheKeptModelIsTheOneWithTheLowerHeldOutLoss()
    {
        foreach (int seed in new[] { 1, 2, 3, 4, 5, 6 })
        {
            // Half linear, half XOR: which model wins depends on the seed's rows.
            List<BinaryRow> rows = [.. LinearBoundary(60, seed), .. TestData.Xor(60, seed)];
            (var model, List<string> log) = FitBinary(rows, new GatedLinearBinaryClassificationTrainer.Options { Seed = seed, EnsembleSize = 1 });
            (double network, double linear, string kept) = Choice(log);
            Assert.AreEqual(linear < network ? "linear model" : "network", kept);
            Assert.AreEqual(kept == "linear model" ? 1 : 2, model.Model.Options.LayerSizes.Length);
        }
    }

    [TestMethod]
    public void SmallLinearRegressionKeepsTheLinearModel()
    {
        var ml = new MLContext(seed: 5);
        var log = new List<string>();
        ml.Log += (_, e) => log.Add(e.RawMessage);
        var model = ml.Regression.Trainers.GatedLinearRegression(new GatedLinearRegressionTrainer.Options { EnsembleSize = 1 }).Fit(ml.Data.LoadFromEnumerable(NoisyLinearTarget(150, seed: 4)));
        Assert.AreEqual("linear model", Choice(log).Kept, string.Join(" | ", log.Where(m => !m.StartsWith("Epoch"))));
        CollectionAssert.AreEqual(new[] { 1 }, model.Model.Options.LayerSizes);
        Assert.IsTrue(model.Model.CalibrationRowCount > 0, "the kept linear model calibrated its intervals on the held-out rows");
    }

    [TestMethod]
    public void TheRegressionNetworkStartsFromTheTrainedLinearModel()
    {
        List<string> Log(GatedLinearRegressionTrainer.Options options)
        {
            var ml = new MLContext(seed: 5);
            var log = new List<string>();
            ml.Log += (_, e) => log.Add(e.RawMessage);
            ml.Regression.Trainers.GatedLinearRegression(options).Fit(ml.Data.LoadFromEnumerable(NoisyLinearTarget(300, seed: 6)));
            return log;
        }

        // The linear model trains first (its epochs are the first "Epoch 1 …" run), then the network from where it ended:
        // after one epoch the network is about as good as the linear model's best.
        List<string> log = Log(new GatedLinearRegressionTrainer.Options { EnsembleSize = 1 });
        Assert.AreEqual(1, log.Count(m => m.StartsWith("The network's first layer starts from the linear model", StringComparison.Ordinal)), string.Join(" | ", log.Where(m => !m.StartsWith("Epoch"))));
        double linearBest = Choice(log).Linear, networkFirst = HeldOutLosses(log, epoch: 1)[1];
        Assert.IsTrue(networkFirst < 1.1 * linearBest, $"the network's first held-out loss {networkFirst} against the linear model's best {linearBest}");

        List<string> alone = Log(new GatedLinearRegressionTrainer.Options { TryLinearModel = false, EnsembleSize = 1 });
        Assert.IsFalse(alone.Any(m => m.Contains("linear", StringComparison.Ordinal)), string.Join(" | ", alone));
        Assert.IsTrue(HeldOutLosses(alone, epoch: 1)[0] > 1.1 * linearBest, "from its usual start the network's first epoch is worse");
    }

    [TestMethod]
    public void TheEpochLinesReadTheSameInEveryCulture()
    {
        CultureInfo previous = CultureInfo.CurrentCulture;
        try
        {
            // A culture that writes 0,85 where the invariant culture writes 0.85 (made here: a machine may have no cultures installed).
            var comma = (CultureInfo)CultureInfo.InvariantCulture.Clone();
            comma.NumberFormat.NumberDecimalSeparator = ",";
            CultureInfo.CurrentCulture = comma;
            var ml = new MLContext(seed: 5);
            var log = new List<string>();
            ml.Log += (_, e) => log.Add(e.RawMessage);
            ml.Regression.Trainers.GatedLinearRegression().Fit(ml.Data.LoadFromEnumerable(NoisyLinearTarget(150, seed: 4)));
            string line = log.First(m => m.StartsWith("Epoch 1 of at most ", StringComparison.Ordinal));
            StringAssert.Matches(line, new System.Text.RegularExpressions.Regex(@"held-out loss \d+(\.\d+)? \(best: epoch 1\)"), line);
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    [TestMethod]
    public void NoLinearModelWhenTurnedOffOrNothingIsHeldOut()
    {
        foreach (var options in new[]
        {
            new GatedLinearBinaryClassificationTrainer.Options { TryLinearModel = false },
            new GatedLinearBinaryClassificationTrainer.Options { NumberOfEpochs = 1 },
            new GatedLinearBinaryClassificationTrainer.Options { ValidationFraction = 0, NumberOfEpochs = 3 },
        })
        {
            (var model, List<string> log) = FitBinary(LinearBoundary(200, seed: 3), options);
            CollectionAssert.AreEqual(new[] { 32, 1 }, model.Model.Options.LayerSizes);
            Assert.IsFalse(log.Any(m => m.Contains("linear", StringComparison.Ordinal)), string.Join(" | ", log));
        }
    }

    [TestMethod]
    public void TheChoiceIsDeterministic()
    {
        byte[] Bytes() => ModelBytes.Of(FitBinary([.. LinearBoundary(60, seed: 2), .. TestData.Xor(60, seed: 2)], new GatedLinearBinaryClassificationTrainer.Options { Seed = 2 }).Model.Model);

        CollectionAssert.AreEqual(Bytes(), Bytes());
    }

    /// <summary>A binary B-GLN fitted in a seeded MLContext, with the log it wrote.</summary>
    internal static (GatedLinearBinaryClassificationTransformer Model, List<string> Log) FitBinary(List<BinaryRow> rows, GatedLinearBinaryClassificationTrainer.Options options)
    {
        var ml = new MLContext(seed: 5);
        var log = new List<string>();
        ml.Log += (_, e) => log.Add(e.RawMessage);
        var model = ml.BinaryClassification.Trainers.GatedLinearClassification(options).Fit(ml.Data.LoadFromEnumerable(rows));
        return (model, log);
    }

    // "Held-out loss: network A, linear model B; kept the …."
    private static (double Network, double Linear, string Kept) Choice(List<string> log)
    {
        string line = log.Single(m => m.StartsWith("Held-out loss: network ", StringComparison.Ordinal));
        string[] parts = line["Held-out loss: network ".Length..].Split(", linear model ");
        string[] rest = parts[1].Split("; kept the ");
        return (double.Parse(parts[0], CultureInfo.InvariantCulture), double.Parse(rest[0], CultureInfo.InvariantCulture), rest[1].TrimEnd('.'));
    }

    // The held-out losses of every run's given epoch, in the order the runs logged them ("Epoch 1 of at most 50: … held-out loss X (best: …").
    private static double[] HeldOutLosses(List<string> log, int epoch)
        => log.Where(m => m.StartsWith($"Epoch {epoch} of at most ", StringComparison.Ordinal))
            .Select(m => double.Parse(m.Split("held-out loss ")[1].Split(' ')[0], CultureInfo.InvariantCulture))
            .ToArray();

    // Label a + b + noise > 0: a linear boundary the rows blur.
    private static List<BinaryRow> LinearBoundary(int rows, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, rows).Select(_ =>
        {
            float a = TestData.Gaussian(random), b = TestData.Gaussian(random);
            return new BinaryRow { Features = [a, b], Label = a + b + 1.5f * TestData.Gaussian(random) > 0 };
        }).ToList();
    }

    // y = a − b + N(0, 1), c pure noise.
    private static List<RegressionRow> NoisyLinearTarget(int rows, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, rows).Select(_ =>
        {
            float a = TestData.Gaussian(random), b = TestData.Gaussian(random), c = TestData.Gaussian(random);
            return new RegressionRow { Features = [a, b, c], Label = a - b + TestData.Gaussian(random) };
        }).ToList();
    }
}
