using Microsoft.ML.GatedLinear.Data;
using Microsoft.ML.GatedLinear.Training;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.GatedLinear.Tests.Training;

[TestClass]
public class EpochDriverTests
{
    /// <summary>Ten rows whose single feature and label are the row's index.</summary>
    private static InMemoryRows Indexed(int rows = 10)
    {
        float[] values = Enumerable.Range(0, rows).Select(i => (float)i).ToArray();
        return InMemoryRows.Create(new LabeledData<float>(values, values, 1), 1, 1, (y, _, label) => label[0] = y);
    }

    /// <summary>Runs the driver and records every row each epoch learned, in order.</summary>
    private static (List<List<float>> Epochs, TrainingHistory History) Record(IRowSource rows, OnlineTrainingOptions options, int batchSize, Func<EpochSummary, bool>? afterEpoch = null)
    {
        var epochs = new List<List<float>> { new() };
        TrainingHistory history = EpochDriver.Run(rows, options, batchSize, (features, labels) =>
        {
            CollectionAssert.AreEqual(features.ToArray(), labels.ToArray(), "features and labels of a row stay together");
            epochs[^1].AddRange(features.ToArray());
            return features.Length;
        }, summary =>
        {
            epochs.Add([]);
            return afterEpoch?.Invoke(summary) ?? true;
        });
        epochs.RemoveAt(epochs.Count - 1);
        return (epochs, history);
    }

    [TestMethod]
    public void EveryEpochVisitsEveryRowOnceAndAPartialLastBatchIsLearned()
    {
        (List<List<float>> epochs, TrainingHistory history) = Record(Indexed(), new OnlineTrainingOptions { Epochs = 3, Seed = 4 }, batchSize: 4);

        Assert.AreEqual(3, history.Epochs);
        foreach (List<float> epoch in epochs)
        {
            CollectionAssert.AreEquivalent(Enumerable.Range(0, 10).Select(i => (float)i).ToArray(), epoch);
        }

        CollectionAssert.AreNotEqual(epochs[0], epochs[1], "a new order each epoch");
    }

    [TestMethod]
    public void TheOrderDependsOnlyOnTheSeedAndStoredOrderWithoutShuffling()
    {
        List<List<float>> Orders(int seed, bool shuffle) => Record(Indexed(), new OnlineTrainingOptions { Epochs = 2, Seed = seed, Shuffle = shuffle }, batchSize: 3).Epochs;

        CollectionAssert.AreEqual(Orders(5, true)[1], Orders(5, true)[1]);
        CollectionAssert.AreNotEqual(Orders(5, true)[0], Orders(6, true)[0]);
        CollectionAssert.AreEqual(Enumerable.Range(0, 10).Select(i => (float)i).ToArray(), Orders(5, false)[1]);
    }

    [TestMethod]
    public void ARunOverRowsAnotherRunShuffledSeesTheOrdersItWouldSeeAlone()
    {
        // The trainers run the network and its linear special case one after the other over the same rows.
        InMemoryRows shared = Indexed(20);
        var options = new OnlineTrainingOptions { Epochs = 3, Seed = 7 };
        List<List<float>> first = Record(shared, options, batchSize: 4).Epochs;
        Record(shared, new OnlineTrainingOptions { Epochs = 5, Seed = 9 }, batchSize: 4);
        List<List<float>> again = Record(shared, options, batchSize: 4).Epochs;
        List<List<float>> alone = Record(Indexed(20), options, batchSize: 4).Epochs;
        for (int epoch = 0; epoch < 3; epoch++)
        {
            CollectionAssert.AreEqual(alone[epoch], first[epoch]);
            CollectionAssert.AreEqual(alone[epoch], again[epoch], $"epoch {epoch + 1}");
        }
    }

    [TestMethod]
    public void ASubsetCopiesItsRowsOutInStoredOrder()
    {
        (_, InMemoryRows heldOut) = Indexed(40).Split(new ValidationSplit(0.3, Seed: 2));
        (float[] features, float[] labels) = heldOut.ToArrays();
        var streamed = new List<float>();
        heldOut.Stream(null, (x, _) => streamed.Add(x[0]));
        CollectionAssert.AreEqual(streamed, features);
        CollectionAssert.AreEqual(features, labels, "each row's label is its index, as its feature");
        Assert.AreEqual(heldOut.RowCount, features.Length);
    }

    [TestMethod]
    public void TheHookAfterAnEpochCanEndTraining()
    {
        var summaries = new List<EpochSummary>();
        (List<List<float>> epochs, TrainingHistory history) = Record(Indexed(), new OnlineTrainingOptions { Epochs = 10 }, batchSize: 4, summary =>
        {
            summaries.Add(summary);
            return summary.Epoch < 2;
        });

        Assert.AreEqual(2, history.Epochs);
        Assert.AreEqual(2, epochs.Count);
        CollectionAssert.AreEqual(new[] { 1, 2 }, summaries.Select(s => s.Epoch).ToArray());
        Assert.IsTrue(summaries.All(s => s.Rows == 10));
    }

    [TestMethod]
    public void TheTrainingLossIsTheRowWeightedMeanOfTheBatchLosses()
    {
        // The learner reports each batch's mean feature value as its loss: the epoch's loss is then the mean of 0 … 9.
        TrainingHistory history = EpochDriver.Run(Indexed(), new OnlineTrainingOptions(), 4, (features, _) => features.ToArray().Average());
        Assert.AreEqual(4.5, history.TrainingLoss[0], 1e-12);
    }
}
