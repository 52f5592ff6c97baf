using Microsoft.ML.Data;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using Microsoft.ML.Trainers.GatedLinear;

namespace Microsoft.ML.GatedLinear.Tests;

[TestClass]
public class TrainingBehaviourTests
{
    private sealed class SparseRow
    {
        public bool Label { get; set; }

        [VectorType(4)]
        public VBuffer<float> Features { get; set; }
    }

    [TestMethod]
    public void SparseAndDenseFeaturesTrainTheSameModel()
    {
        var random = new Random(1);
        var dense = new List<BinaryRowOf4>();
        var sparse = new List<SparseRow>();
        for (int i = 0; i < 500; i++)
        {
            float a = random.Next(3) == 0 ? 0 : (float)random.NextDouble(), b = (float)random.NextDouble();
            bool label = a > 0.5f;
            dense.Add(new BinaryRowOf4 { Label = label, Features = [a, 0, b, 0] });
            sparse.Add(new SparseRow { Label = label, Features = a == 0 ? new VBuffer<float>(4, 1, [b], [2]) : new VBuffer<float>(4, 2, [a, b], [0, 2]) });
        }

        float[] Scores<T>(List<T> rows)
            where T : class
        {
            var ml = new MLContext(seed: 5);
            IDataView data = ml.Data.LoadFromEnumerable(rows);
            var model = ml.BinaryClassification.Trainers.GatedLinearClassification().Fit(data);
            return model.Transform(data).GetColumn<float>("Score").ToArray();
        }

        CollectionAssert.AreEqual(Scores(dense), Scores(sparse));
    }

    [TestMethod]
    public void TheMLContextSeedMakesTrainingReproducible()
    {
        float[] Scores(int contextSeed, int? trainerSeed = null)
        {
            var ml = new MLContext(contextSeed);
            IDataView data = ml.Data.LoadFromEnumerable(TestData.Regression(400, seed: 7));
            var trainer = ml.Regression.Trainers.GatedLinearRegression(new GatedLinearRegressionTrainer.Options { NumberOfEpochs = 2, Seed = trainerSeed });
            return trainer.Fit(data).Transform(data).GetColumn<float>("Score").ToArray();
        }

        CollectionAssert.AreEqual(Scores(1), Scores(1));
        CollectionAssert.AreNotEqual(Scores(1), Scores(2));
        CollectionAssert.AreEqual(Scores(1, trainerSeed: 9), Scores(2, trainerSeed: 9));
    }

    [TestMethod]
    public void ShufflableDataIsVisitedInADifferentOrderEachEpoch()
    {
        var ml = new MLContext(seed: 6);
        IDataView data = ml.Data.Cache(ml.Data.LoadFromEnumerable(TestData.Xor(400, seed: 8)));
        float[] Scores(bool shuffle)
        {
            var options = new GatedLinearBinaryClassificationTrainer.Options { NumberOfEpochs = 2, Shuffle = shuffle, Seed = 3 };
            return ml.BinaryClassification.Trainers.GatedLinearClassification(options).Fit(data).Transform(data).GetColumn<float>("Score").ToArray();
        }

        CollectionAssert.AreNotEqual(Scores(true), Scores(false));
        CollectionAssert.AreEqual(Scores(true), Scores(true));
    }

    [TestMethod]
    public void DataThatCannotShuffleIsShuffledInMemory()
    {
        var ml = new MLContext(seed: 6);
        // Sorted by label, and not cached: the view cannot shuffle, so any shuffling is the trainer's own.
        IDataView data = ml.Data.LoadFromEnumerable(TestData.Xor(400, seed: 8).OrderBy(r => r.Label).ToList());
        Assert.IsFalse(data.CanShuffle);
        float[] Scores(bool shuffle, int seed = 3)
        {
            var options = new GatedLinearBinaryClassificationTrainer.Options { NumberOfEpochs = 2, ValidationFraction = 0, Shuffle = shuffle, Seed = seed };
            return ml.BinaryClassification.Trainers.GatedLinearClassification(options).Fit(data).Transform(data).GetColumn<float>("Score").ToArray();
        }

        CollectionAssert.AreNotEqual(Scores(true), Scores(false));
        CollectionAssert.AreEqual(Scores(true), Scores(true));
        CollectionAssert.AreNotEqual(Scores(true), Scores(true, seed: 4));
    }

    [TestMethod]
    public void EarlyStoppingIsLoggedWithTotalsAndKeepsTheBestEpoch()
    {
        var ml = new MLContext(seed: 7);
        var messages = new List<string>();
        ml.Log += (_, e) => messages.Add(e.RawMessage);
        var options = new GatedLinearRegressionTrainer.Options { NumberOfEpochs = 30, EarlyStoppingPatience = 2, TryLinearModel = false, EnsembleSize = 1 };
        var model = ml.Regression.Trainers.GatedLinearRegression(options).Fit(ml.Data.LoadFromEnumerable(TestData.Regression(500, seed: 9)));

        string[] epochs = messages.Where(m => m.StartsWith("Epoch ") && m.Contains("of at most 30")).ToArray();
        Assert.IsTrue(epochs.Length is > 0 and < 30, string.Join(" | ", messages));
        Assert.IsTrue(epochs.All(m => m.Contains("held-out loss")), epochs[0]);
        string kept = messages.Single(m => m.StartsWith("Kept the model of epoch "));
        int best = int.Parse(kept.Split(' ')[5]);
        Assert.IsTrue(best <= epochs.Length - 2, kept);
        Assert.IsTrue(kept.Contains($"of {epochs.Length}"), kept);
        Assert.IsTrue(model.Model.UpdateCount < 500L * best, "the held-out rows are not learned by default");
    }

    [TestMethod]
    public void ProgressAndSkippedRowsReachTheMLContextLog()
    {
        var ml = new MLContext(seed: 7);
        var messages = new List<string>();
        ml.Log += (_, e) => messages.Add(e.RawMessage);
        List<RegressionRow> rows = TestData.Regression(100, seed: 9);
        rows[10].Features[1] = float.NaN;
        rows[20].Label = float.NaN;
        var options = new GatedLinearRegressionTrainer.Options { NumberOfEpochs = 3, ValidationFraction = 0, SkipRowsWithMissingValues = true };
        var model = ml.Regression.Trainers.GatedLinearRegression(options).Fit(ml.Data.LoadFromEnumerable(rows));

        Assert.AreEqual(3 * 98, model.Model.UpdateCount);
        Assert.IsTrue(messages.Any(m => m.Contains("Skipped 2 of 100 rows")), string.Join(" | ", messages));
        Assert.IsTrue(messages.Any(m => m.Contains("Epoch 3 of at most 3: learned 98 rows")), string.Join(" | ", messages));
    }

    [TestMethod]
    public void CancellationStopsTraining()
    {
        var ml = new MLContext(seed: 8);
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        var options = new GatedLinearBinaryClassificationTrainer.Options { CancellationToken = cancel.Token, BatchSize = 10 };
        Assert.ThrowsExactly<OperationCanceledException>(() => ml.BinaryClassification.Trainers.GatedLinearClassification(options).Fit(ml.Data.LoadFromEnumerable(TestData.Xor(100, seed: 1))));
    }

    [TestMethod]
    public void AContextCancelledBeforeFitStopsEveryTrainer()
    {
        var ml = new MLContext(seed: 8);
        IDataView binary = ml.Data.LoadFromEnumerable(TestData.Xor(100, seed: 1));
        IDataView regression = ml.Data.LoadFromEnumerable(TestData.Regression(100, seed: 1));
        IEstimator<ITransformer>[] trainers =
        [
            ml.BinaryClassification.Trainers.GatedLinearClassification(),
            ml.Regression.Trainers.GatedLinearRegression(),
            ml.BinaryClassification.Trainers.GaluClassification(hiddenSizes: [8, 8]),
        ];
        CancelExecution(ml);
        foreach (IEstimator<ITransformer> trainer in trainers)
        {
            IDataView data = trainer is GatedLinearRegressionTrainer ? regression : binary;
            Assert.ThrowsExactly<OperationCanceledException>(() => trainer.Fit(data), trainer.GetType().Name);
        }
    }

    [TestMethod]
    [Timeout(120_000)]
    public void CancelExecutionOnTheContextStopsALongFit()
    {
        var ml = new MLContext(seed: 8);
        using var firstEpoch = new ManualResetEventSlim();
        ml.Log += (_, e) =>
        {
            if (e.Message.Contains("Epoch 1 of", StringComparison.Ordinal))
            {
                firstEpoch.Set();
            }
        };
        IDataView data = ml.Data.LoadFromEnumerable(TestData.Xor(20_000, seed: 1));
        // Ten thousand full epochs with no early stopping: minutes of work unless the cancellation reaches the loop.
        var options = new GatedLinearBinaryClassificationTrainer.Options { NumberOfEpochs = 10_000, ValidationFraction = 0 };
        Task fit = Task.Run(() => ml.BinaryClassification.Trainers.GatedLinearClassification(options).Fit(data));
        Assert.IsTrue(firstEpoch.Wait(TimeSpan.FromSeconds(60)), "no epoch finished");
        CancelExecution(ml);
        var error = Assert.ThrowsExactly<AggregateException>(() => fit.Wait(TimeSpan.FromSeconds(60)));
        Assert.IsInstanceOfType<OperationCanceledException>(error.InnerException);
    }

    /// <summary>What AutoML calls to end a trial; internal to ML.NET, so a test reaches it by reflection.</summary>
    private static void CancelExecution(MLContext ml)
        => typeof(MLContext).GetMethod("CancelExecution", System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic)!.Invoke(ml, null);

    private sealed class BinaryRowOf4
    {
        public bool Label { get; set; }

        [VectorType(4)]
        public float[] Features { get; set; } = [];
    }
}
