using Microsoft.ML.GatedLinear.Bernoulli;
using Microsoft.ML.GatedLinear.Data;
using Microsoft.ML.GatedLinear.Training;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.GatedLinear.Tests.Training;

[TestClass]
public class OnlineTrainerTests
{
    [TestMethod]
    public void ReportsProgressOverEveryEpoch()
    {
        LabeledData<int> data = Synthetic.Xor(250, seed: 1);
        var reports = new List<TrainingProgress>();
        var model = BernoulliGlnClassifier.Create(2, 2);
        model.Fit(data, new OnlineTrainingOptions { Epochs = 3, ValidationFraction = 0, BatchSize = 100, Progress = new Recorder(reports) });

        Assert.AreEqual(9, reports.Count);
        Assert.AreEqual(new TrainingProgress(3, 3, 750, 750), reports[^1]);
        Assert.AreEqual(750, model.UpdateCount);
        Assert.IsTrue(reports.Select(r => r.RowsSeen).SequenceEqual(reports.Select(r => r.RowsSeen).Order()));
    }

    [TestMethod]
    public void CancellationStopsTraining()
    {
        using var cancel = new CancellationTokenSource();
        var model = BernoulliGlnClassifier.Create(2, 2);
        var options = new OnlineTrainingOptions { BatchSize = 10, CancellationToken = cancel.Token };
        options.Progress = new Recorder(new List<TrainingProgress>(), onReport: _ => cancel.Cancel());
        Assert.ThrowsExactly<OperationCanceledException>(() => model.Fit(Synthetic.Xor(100, 2), options));
        Assert.AreEqual(10, model.UpdateCount, "only the first batch was learned");
    }

    [TestMethod]
    public void ShufflingDependsOnlyOnTheSeed()
    {
        LabeledData<int> data = Synthetic.TwoMoons(300, 0.1, seed: 3);
        byte[] Train(bool shuffle, int seed)
        {
            var model = BernoulliGlnClassifier.Create(2, 2);
            model.Fit(data, new OnlineTrainingOptions { Shuffle = shuffle, Seed = seed });
            return ModelBytes.Of(model);
        }

        CollectionAssert.AreEqual(Train(true, 5), Train(true, 5));
        CollectionAssert.AreNotEqual(Train(true, 5), Train(true, 6));
        CollectionAssert.AreNotEqual(Train(true, 5), Train(false, 5));
    }

    private sealed class Recorder(List<TrainingProgress> reports, Action<TrainingProgress>? onReport = null) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value)
        {
            reports.Add(value);
            onReport?.Invoke(value);
        }
    }
}
