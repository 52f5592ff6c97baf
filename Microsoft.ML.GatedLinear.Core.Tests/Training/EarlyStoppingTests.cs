using Microsoft.ML.GatedLinear.Bernoulli;
using Microsoft.ML.GatedLinear.Data;
using Microsoft.ML.GatedLinear.Gaussian;
using Microsoft.ML.GatedLinear.Training;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.GatedLinear.Tests.Training;

[TestClass]
public class EarlyStoppingTests
{
    /// <summary>A model whose held-out loss after epoch k is script[k − 1]; its snapshots are the epoch they were taken after.</summary>
    private sealed class Scripted(double[] script) : IEarlyStoppable
    {
        private int _epochs;

        public object? Restored { get; private set; }

        public double HeldOutLoss(IRowSource rows) => script[_epochs++];

        public object Snapshot(object? previous) => _epochs;

        public void Restore(object snapshot) => Restored = snapshot;
    }

    /// <summary>
    /// A calibrating model whose state is the number of epochs it has learned: its loss on a set of rows after epoch e is
    /// the mean over those rows of (e − row/2)², so each set of rows has its own best epoch.
    /// </summary>
    private sealed class Calibrating : IEarlyStoppable, ICalibratedOnHeldOutRows
    {
        public int Epoch { get; set; }

        public List<(int Epoch, float[] Rows)> Predicted { get; } = [];

        public HeldOutPredictions? Calibrated { get; private set; }

        public static double Loss(int epoch, IEnumerable<float> rows) => rows.Average(r => (epoch - r / 2) * (epoch - r / 2));

        public static float[] RowsOf(IRowSource rows)
        {
            var values = new List<float>();
            rows.Stream(null, (x, _) => values.Add(x[0]));
            return [.. values];
        }

        public double HeldOutLoss(IRowSource rows) => Loss(Epoch, RowsOf(rows));

        public object Snapshot(object? previous) => Epoch;

        public void Restore(object snapshot) => Epoch = (int)snapshot;

        public HeldOutPredictions PredictHeldOut(IRowSource rows)
        {
            float[] values = RowsOf(rows);
            Predicted.Add((Epoch, values));
            return new HeldOutPredictions(new double[values.Length], Enumerable.Repeat(1.0, values.Length).ToArray(), values, 1);
        }

        public void Calibrate(HeldOutPredictions predictions) => Calibrated = predictions;
    }

    private static InMemoryRows Rows(int count)
    {
        float[] values = Enumerable.Range(0, count).Select(i => (float)i).ToArray();
        return InMemoryRows.Create(new LabeledData<float>(values, values, 1), 1, 1, (y, _, label) => label[0] = y);
    }

    [TestMethod]
    [DataRow(new[] { 5, 4, 3, 3.5, 3.2, 3.1, 2.0 }, 3, DisplayName = "epochs 4, 5 and 6 do not beat epoch 3")]
    [DataRow(new[] { 3.0, 4, 5, 6, 7, 8, 9 }, 1, DisplayName = "epochs 2, 3 and 4 do not beat epoch 1, whose loss is progress too")]
    public void TrainingStopsOncePatienceRunsOutAndKeepsTheBestEpoch(double[] script, int best)
    {
        var model = new Scripted(script);
        TrainingHistory history = EarlyStopping.Run(model, Rows(20), Rows(4), new OnlineTrainingOptions { Epochs = 7, EarlyStoppingPatience = 3 }, 8, (_, _) => 0);

        Assert.AreEqual(best + 3, history.Epochs, "training stops after three epochs that do not beat the best");
        Assert.AreEqual(best, history.BestEpoch);
        Assert.AreEqual(best, model.Restored, "the model kept is the snapshot taken after the best epoch");
        CollectionAssert.AreEqual(script[..(best + 3)], history.ValidationLoss.ToArray());
        Assert.AreEqual(4, history.HeldOutRows);
    }

    [TestMethod]
    public void CalibrationPredictsEachHalfOfTheHeldOutRowsWithTheModelBestOnTheOtherHalf()
    {
        var model = new Calibrating();
        int learned = 0;
        InMemoryRows heldOut = Rows(24);
        TrainingHistory history = EarlyStopping.Run(model, Rows(10), heldOut, new OnlineTrainingOptions { Epochs = 14, EarlyStoppingPatience = 14 }, 5, (x, _) =>
        {
            learned += x.Length;
            model.Epoch = learned / 10;
            return 0;
        });

        static int BestEpoch(float[] rows) => Enumerable.Range(1, 14).MinBy(e => Calibrating.Loss(e, rows));
        Assert.AreEqual(2, model.Predicted.Count, "one prediction pass per half");
        (int Epoch, float[] Rows) first = model.Predicted[0], second = model.Predicted[1];
        Assert.AreNotEqual(BestEpoch(first.Rows), BestEpoch(second.Rows), "the halves must disagree for this test to tell them apart");
        Assert.AreEqual(BestEpoch(second.Rows), first.Epoch, "the first half is predicted by the model best on the second");
        Assert.AreEqual(BestEpoch(first.Rows), second.Epoch, "and the second by the model best on the first");
        CollectionAssert.AreEquivalent(Calibrating.RowsOf(heldOut), model.Calibrated!.Targets, "every held-out row calibrates, once");
        Assert.AreEqual(BestEpoch(Calibrating.RowsOf(heldOut)), history.BestEpoch);
        Assert.AreEqual(history.BestEpoch, model.Epoch, "the model kept is the best on all held-out rows");
    }

    [TestMethod]
    public void FromEnoughHeldOutRowsTheKeptModelCalibratesOnAllOfThem()
    {
        var model = new Calibrating();
        int learned = 0;
        InMemoryRows heldOut = Rows(EarlyStopping.KeptModelCalibrationRows);
        TrainingHistory history = EarlyStopping.Run(model, Rows(10), heldOut, new OnlineTrainingOptions { Epochs = 14, EarlyStoppingPatience = 14 }, 5, (x, _) =>
        {
            learned += x.Length;
            model.Epoch = learned / 10;
            return 0;
        });

        Assert.AreEqual(1, model.Predicted.Count, "one prediction pass over every held-out row");
        Assert.AreEqual(history.BestEpoch, model.Predicted[0].Epoch, "by the model kept");
        CollectionAssert.AreEquivalent(Calibrating.RowsOf(heldOut), model.Calibrated!.Targets);
    }

    [TestMethod]
    public void GainsBelowTheToleranceKeepTheBetterModelButDoNotRestartThePatience()
    {
        double[] script = [10, 5, 4.999, 4.998, 4.9985, 4.996, 1];
        var model = new Scripted(script);
        TrainingHistory history = EarlyStopping.Run(model, Rows(20), Rows(4), new OnlineTrainingOptions { Epochs = 7, EarlyStoppingPatience = 3, EarlyStoppingTolerance = 0.001 }, 8, (_, _) => 0);
        Assert.AreEqual(5, history.Epochs, "epochs 3 to 5 each gained less than 0.1 % on the best");
        Assert.AreEqual(4, history.BestEpoch, "the best of them is still the one kept");
        Assert.AreEqual(4, model.Restored);

        var strict = new Scripted(script);
        Assert.AreEqual(7, EarlyStopping.Run(strict, Rows(20), Rows(4), new OnlineTrainingOptions { Epochs = 7, EarlyStoppingPatience = 3, EarlyStoppingTolerance = 0 }, 8, (_, _) => 0).Epochs, "with no tolerance every gain restarts the patience");
    }

    [TestMethod]
    public void TheModelKeptHasTheBestEpochsHeldOutLoss()
    {
        LabeledData<float> data = Synthetic.Heteroskedastic(600, seed: 3);
        var options = new OnlineTrainingOptions { Epochs = 40, EarlyStoppingPatience = 3, Seed = 5 };
        var model = GaussianGlnRegressor.Create(1, 1, new GaussianGlnOptions { LayerSizes = [16, 8, 1], ContextDimension = 4, LearningRate = LearningRateSchedule.Constant(0.05) });
        TrainingHistory history = model.Fit(data, options);

        Assert.IsTrue(history.Epochs < 40 && history.BestEpoch < history.Epochs, $"stopped after {history.Epochs} epochs, best {history.BestEpoch}");
        (_, InMemoryRows heldOut) = InMemoryRows.Create(data, 1, 1, (y, _, label) => label[0] = y).Split(new ValidationSplit(options.ValidationFraction, options.Seed));
        Assert.AreEqual(history.HeldOutRows, heldOut.RowCount);
        double kept = ((IEarlyStoppable)model).HeldOutLoss(heldOut);
        Assert.AreEqual(history.ValidationLoss[history.BestEpoch - 1], kept, 1e-9, "the weights kept are those of the best epoch");
        Assert.IsTrue(kept < history.ValidationLoss[^1], "and they beat the last epoch's");
    }

    [TestMethod]
    public void HoldingRowsOutIsDeterministicAndDependsOnTheSeed()
    {
        LabeledData<int> data = Synthetic.TwoMoons(400, 0.2, seed: 2);
        byte[] Trained(int seed)
        {
            var model = BernoulliGlnClassifier.Create(2, 2);
            model.Fit(data, new OnlineTrainingOptions { Epochs = 20, Seed = seed });
            return ModelBytes.Of(model);
        }

        CollectionAssert.AreEqual(Trained(4), Trained(4));
        CollectionAssert.AreNotEqual(Trained(4), Trained(5));
    }

    [TestMethod]
    public void OnePassLearnsEveryRowOnceWhateverTheValidationFraction()
    {
        LabeledData<int> data = Synthetic.Xor(300, seed: 6);
        byte[] OnePass(double fraction, out TrainingHistory history)
        {
            var model = BernoulliGlnClassifier.Create(2, 2);
            history = model.Fit(data, new OnlineTrainingOptions { Epochs = 1, ValidationFraction = fraction });
            Assert.AreEqual(300, model.UpdateCount);
            return ModelBytes.Of(model);
        }

        CollectionAssert.AreEqual(OnePass(0, out _), OnePass(0.3, out TrainingHistory held));
        Assert.AreEqual(0, held.HeldOutRows);
        Assert.AreEqual(0, held.ValidationLoss.Count);
    }

    [TestMethod]
    public void TheSplitHoldsOutAboutTheFractionAskedAndFixesEachRowsSide()
    {
        var split = new ValidationSplit(0.2, Seed: 9);
        int heldOut = Enumerable.Range(0, 10_000).Count(i => split.IsHeldOut(i));
        Assert.AreEqual(2000, heldOut, 120);
        Assert.IsTrue(Enumerable.Range(0, 100).All(i => split.IsHeldOut(i) == new ValidationSplit(0.2, 9).IsHeldOut(i)));
        Assert.IsFalse(Enumerable.Range(0, 1000).Any(i => new ValidationSplit(0, 9).IsHeldOut(i)));
    }

    [TestMethod]
    [DataRow(0.2, 5)]
    [DataRow(0.25, 4)]
    [DataRow(0.3, 3)]
    public void SplitsOfOneSeedAtSuccessiveOffsetsHoldOutDisjointShares(double fraction, int shares)
    {
        // An ensemble's models hold out the shares at offsets 0, fraction, 2·fraction, …: no row is held out twice, and
        // (with 1/fraction of them) at most a fraction's worth of rows is held out by none.
        ValidationSplit[] splits = [.. Enumerable.Range(0, shares).Select(k => new ValidationSplit(fraction, 9, k * fraction % 1))];
        int[] counts = [.. Enumerable.Range(0, 10_000).Select(i => splits.Count(s => s.IsHeldOut(i)))];
        Assert.IsTrue(counts.All(c => c <= 1));
        Assert.AreEqual(10_000 * Math.Min(1, shares * fraction), counts.Sum(), 150);
        foreach (ValidationSplit split in splits)
        {
            Assert.AreEqual(10_000 * fraction, Enumerable.Range(0, 10_000).Count(i => split.IsHeldOut(i)), 150);
        }

        Assert.IsTrue(Enumerable.Range(0, 1000).All(i => splits[0].IsHeldOut(i) == new ValidationSplit(fraction, 9).IsHeldOut(i)), "offset 0 is the plain split");
        // A share past 1 wraps round: coins in [1 − f/2, 1) and in [0, f/2).
        var wrapping = new ValidationSplit(fraction, 9, 1 - fraction / 2);
        Assert.IsTrue(Enumerable.Range(0, 1000).All(i => wrapping.IsHeldOut(i) == (new ValidationSplit(fraction / 2, 9).IsHeldOut(i) || new ValidationSplit(fraction / 2, 9, 1 - fraction / 2).IsHeldOut(i))));
    }
}
