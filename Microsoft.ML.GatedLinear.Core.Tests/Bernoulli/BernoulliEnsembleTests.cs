using Microsoft.ML.GatedLinear.Bernoulli;
using Microsoft.ML.GatedLinear.Data;
using Microsoft.ML.GatedLinear.Training;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.GatedLinear.Tests.Bernoulli;

/// <summary><see cref="BernoulliGlnClassifier.Average"/>: several classifiers trained apart, their logits averaged in one.</summary>
[TestClass]
public class BernoulliEnsembleTests
{
    [TestMethod]
    [DataRow(2, true)]
    [DataRow(4, true)]
    [DataRow(4, false)]
    public void TheAverageLogitIsTheMeanOfTheMembersLogits(int classes, bool shareHyperplanes)
    {
        LabeledData<int> data = Synthetic.Blobs(300, classes, 3, 1.5, seed: 1);
        BernoulliGlnClassifier[] members = [.. new[] { 1, 2, 3 }.Select(seed => Trained(data, classes, seed, epochs: seed, shareHyperplanes))];
        BernoulliGlnClassifier average = BernoulliGlnClassifier.Average(members);

        Assert.AreEqual(3, average.EnsembleSize);
        Assert.AreEqual(members.Max(m => m.UpdateCount), average.UpdateCount);
        int outputs = classes == 2 ? 1 : classes;
        var logits = new float[outputs];
        var memberLogits = new float[outputs];
        for (int i = 0; i < 40; i++)
        {
            average.PredictLogits(data.Row(i), logits);
            var mean = new double[outputs];
            foreach (BernoulliGlnClassifier member in members)
            {
                member.PredictLogits(data.Row(i), memberLogits);
                for (int c = 0; c < outputs; c++)
                {
                    mean[c] += memberLogits[c] / 3.0;
                }
            }

            for (int c = 0; c < outputs; c++)
            {
                Assert.AreEqual(mean[c], logits[c], 1e-5, $"row {i}, output {c}");
            }
        }

        // The members disagree somewhere, so the average is not just one of them.
        Assert.IsTrue(Enumerable.Range(0, 40).Any(i => Logits(members[0], data.Row(i))[0] != Logits(average, data.Row(i))[0]));
    }

    [TestMethod]
    [DataRow(2)]
    [DataRow(3)]
    public void TheAverageExplainsItselfExactly(int classes)
    {
        LabeledData<int> data = Synthetic.Blobs(300, classes, 3, 1.5, seed: 2);
        BernoulliGlnClassifier[] members = [.. new[] { 4, 5 }.Select(seed => Trained(data, classes, seed, epochs: 2))];
        BernoulliGlnClassifier average = BernoulliGlnClassifier.Average(members);
        for (int i = 0; i < 20; i++)
        {
            for (int c = 0; c < classes; c++)
            {
                LogitAttribution explained = average.Explain(data.Row(i), c);
                LogitAttribution first = members[0].Explain(data.Row(i), c), second = members[1].Explain(data.Row(i), c);
                float[] logits = Logits(average, data.Row(i));
                double logit = classes == 2 ? (c == 1 ? logits[0] : -logits[0]) : logits[c];
                Assert.AreEqual(logit, explained.Logit, 1e-4, $"row {i}, class {c}: the decomposition adds up to the prediction");
                for (int j = 0; j < data.FeatureCount; j++)
                {
                    Assert.AreEqual((first.Weights[j] + second.Weights[j]) / 2, explained.Weights[j], 1e-9);
                }

                Assert.AreEqual((first.Intercept + second.Intercept) / 2, explained.Intercept, 1e-9);
            }
        }
    }

    [TestMethod]
    public void TheAverageIsACopyThatSurvivesSavingAndLearnsOn()
    {
        LabeledData<int> data = Synthetic.Blobs(300, 3, 3, 1.5, seed: 3);
        BernoulliGlnClassifier[] members = [.. new[] { 1, 2 }.Select(seed => Trained(data, 3, seed, epochs: 1))];
        BernoulliGlnClassifier average = BernoulliGlnClassifier.Average(members);
        float[] before = Logits(average, data.Row(0));

        members[0].Fit(data, new OnlineTrainingOptions { Epochs = 1 });
        CollectionAssert.AreEqual(before, Logits(average, data.Row(0)), "training a member afterwards leaves the average alone");

        BernoulliGlnClassifier loaded = ModelBytes.RoundTrip(average);
        Assert.AreEqual(2, loaded.EnsembleSize);
        CollectionAssert.AreEqual(ModelBytes.Of(average), ModelBytes.Of(loaded));
        CollectionAssert.AreEqual(before, Logits(loaded, data.Row(0)));

        loaded.Fit(data, new OnlineTrainingOptions { Epochs = 1 });
        CollectionAssert.AreNotEqual(before, Logits(loaded, data.Row(0)), "the average learns on, every member at once");
    }

    [TestMethod]
    public void AverageRefusesModelsThatDoNotFit()
    {
        LabeledData<int> data = Synthetic.Blobs(100, 2, 3, 1.5, seed: 4);
        BernoulliGlnClassifier model = Trained(data, 2, seed: 1, epochs: 1);
        BernoulliGlnClassifier Other(Action<BernoulliGlnOptions> change) => BernoulliGlnClassifier.Create(3, 2, Change(Options(seed: 2), change));

        Assert.ThrowsExactly<ArgumentException>(() => BernoulliGlnClassifier.Average([]));
        Assert.ThrowsExactly<ArgumentException>(() => BernoulliGlnClassifier.Average(Enumerable.Repeat(model, BernoulliGlnClassifier.MaxEnsembleSize + 1).ToList()));
        Assert.ThrowsExactly<ArgumentException>(() => BernoulliGlnClassifier.Average([model, Other(o => o.LayerSizes = [5, 1])]));
        Assert.ThrowsExactly<ArgumentException>(() => BernoulliGlnClassifier.Average([model, Other(o => o.ContextDimension = 3)]));
        Assert.ThrowsExactly<ArgumentException>(() => BernoulliGlnClassifier.Average([model, Other(o => o.SuppliedMean = [1, 0, 0])]));
        Assert.ThrowsExactly<ArgumentException>(() => BernoulliGlnClassifier.Average([model, BernoulliGlnClassifier.Create(3, 3, Options(seed: 2))]));
        var nested = Assert.ThrowsExactly<ArgumentException>(() => BernoulliGlnClassifier.Average([model, BernoulliGlnClassifier.Average([model, model])]));
        StringAssert.Contains(nested.Message, "already averages");
        Assert.AreEqual(BernoulliGlnClassifier.MaxEnsembleSize, BernoulliGlnClassifier.Average(Enumerable.Repeat(model, BernoulliGlnClassifier.MaxEnsembleSize).ToList()).EnsembleSize);
    }

    [TestMethod]
    [DataRow(2)]
    [DataRow(4)]
    public void ANetworkCarryingItsLinearModelPredictsAsTheLinearModel(int classes)
    {
        LabeledData<int> data = Synthetic.Blobs(300, classes, 3, 1.5, seed: 5);
        BernoulliGlnOptions options = Options(seed: 3);
        options.LayerSizes = [4, 3, 1];
        BernoulliGlnClassifier network = BernoulliGlnClassifier.Create(3, classes, options);
        BernoulliGlnClassifier linear = BernoulliGlnClassifier.Create(3, classes, options.AsLinearModel());
        linear.Fit(data, new OnlineTrainingOptions { Epochs = 3 });

        BernoulliGlnClassifier carried = network.WithWeightsOf(linear);
        for (int i = 0; i < 50; i++)
        {
            CollectionAssert.AreEqual(Logits(linear, data.Row(i)), Logits(carried, data.Row(i)), $"row {i}");
        }

        Assert.AreEqual(linear.UpdateCount, carried.UpdateCount);
        CollectionAssert.AreNotEqual(Logits(linear, data.Row(0)), Logits(network, data.Row(0)), "the network itself is untouched");
        Assert.ThrowsExactly<ArgumentException>(() => network.WithWeightsOf(network), "only an ungated one-neuron classifier is carried");
    }

    private static BernoulliGlnClassifier Trained(LabeledData<int> data, int classes, int seed, int epochs, bool shareHyperplanes = true)
    {
        BernoulliGlnOptions options = Options(seed);
        options.ShareHyperplanesAcrossClasses = shareHyperplanes;
        BernoulliGlnClassifier model = BernoulliGlnClassifier.Create(data.FeatureCount, classes, options);
        model.Fit(data, new OnlineTrainingOptions { Epochs = epochs, Seed = seed });
        return model;
    }

    // Supplied statistics, so that models trained apart standardize alike (as the trainer's members do).
    private static BernoulliGlnOptions Options(int seed) => new()
    {
        LayerSizes = [6, 1],
        ContextDimension = 2,
        Standardization = StandardizationMode.Supplied,
        SuppliedMean = [0, 0, 0],
        SuppliedStandardDeviation = [2, 2, 1],
        Seed = seed,
    };

    private static BernoulliGlnOptions Change(BernoulliGlnOptions options, Action<BernoulliGlnOptions> change)
    {
        change(options);
        return options;
    }

    private static float[] Logits(BernoulliGlnClassifier model, ReadOnlySpan<float> row)
    {
        var logits = new float[model.ClassCount == 2 ? 1 : model.ClassCount];
        model.PredictLogits(row, logits);
        return logits;
    }
}
