using Microsoft.ML.GatedLinear.Bernoulli;
using Microsoft.ML.GatedLinear.Data;
using Microsoft.ML.GatedLinear.Gating;
using Microsoft.ML.GatedLinear.Training;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.GatedLinear.Tests.Bernoulli;

[TestClass]
public class BernoulliGlnClassifierTests
{
    [TestMethod]
    public void LearnsXorWhichNoLinearModelCan()
    {
        LabeledData<int> train = Synthetic.Xor(4000, seed: 1), test = Synthetic.Xor(1000, seed: 2);
        var model = BernoulliGlnClassifier.Create(2, 2);
        model.Fit(train, new OnlineTrainingOptions { Epochs = 2 });

        double gln = Synthetic.Accuracy(x => model.PredictClass(x.Span), test);
        double linear = LogisticRegressionAccuracy(train, test);
        Assert.IsTrue(gln >= 0.95, $"GLN accuracy on XOR: {gln}");
        Assert.IsTrue(linear < 0.7, $"logistic regression should fail on XOR, got {linear}");
    }

    [TestMethod]
    [DataRow(1L, 2)]
    [DataRow(120L, 2)]
    [DataRow(255L, 2)]
    [DataRow(256L, 3)]
    [DataRow(455L, 3)]
    [DataRow(511L, 3)]
    [DataRow(512L, 4)]
    [DataRow(26_048L, 4)]
    public void ForDataGivesSmallDataAboutThirtyTwoRowsPerWeightRow(long rows, int contextDimension)
    {
        BernoulliGlnOptions options = BernoulliGlnOptions.ForData(rows);
        Assert.AreEqual(contextDimension, options.ContextDimension);
        options.Validate();
        CollectionAssert.AreEqual(rows >= 512 ? new[] { 128, 1 } : new BernoulliGlnOptions().LayerSizes, options.LayerSizes, "from 512 rows a wider first layer, else the constructor's");
        Assert.AreEqual(rows >= 512 ? HyperplaneDirection.FeatureAxis : HyperplaneDirection.Random, options.HyperplaneDirection);
        Assert.IsTrue(options.ContextDimension <= new BernoulliGlnOptions().ContextDimension);
    }

    [TestMethod]
    public void FeatureAxisGatingFindsAnXorOfTwoFeaturesAmongTwenty()
    {
        // The label is an XOR of thresholds on features 0 and 1; the other 18 are noise. A hyperplane along one feature
        // can split exactly where the label changes; an oblique one mixes all twenty.
        LabeledData<int> train = Synthetic.XorOfTwoAmongTwenty(10_000, seed: 1), test = Synthetic.XorOfTwoAmongTwenty(1000, seed: 2);
        double Accuracy(HyperplaneDirection direction)
        {
            var model = BernoulliGlnClassifier.Create(20, 2, new BernoulliGlnOptions { HyperplaneDirection = direction });
            model.Fit(train, new OnlineTrainingOptions { Epochs = 5 });
            return Synthetic.Accuracy(x => model.PredictClass(x.Span), test);
        }

        double axis = Accuracy(HyperplaneDirection.FeatureAxis), oblique = Accuracy(HyperplaneDirection.Random);
        Assert.IsTrue(axis > oblique + 0.05, $"feature-axis accuracy {axis}, oblique {oblique}");
    }

    [TestMethod]
    public void LearnsTwoMoonsInOnePass()
    {
        LabeledData<int> train = Synthetic.TwoMoons(4000, noise: 0.1, seed: 3), test = Synthetic.TwoMoons(1000, noise: 0.1, seed: 4);
        var model = BernoulliGlnClassifier.Create(2, 2);
        model.Fit(train);
        double accuracy = Synthetic.Accuracy(x => model.PredictClass(x.Span), test);
        Assert.IsTrue(accuracy >= 0.95, $"two moons accuracy {accuracy}");
    }

    [TestMethod]
    [DataRow(true)]
    [DataRow(false)]
    public void LearnsFiveClasses(bool shareHyperplanes)
    {
        LabeledData<int> train = Synthetic.Blobs(5000, classes: 5, dimension: 4, spread: 0.8, seed: 5), test = Synthetic.Blobs(1000, 5, 4, 0.8, seed: 6);
        var model = BernoulliGlnClassifier.Create(4, 5, new BernoulliGlnOptions { ShareHyperplanesAcrossClasses = shareHyperplanes });
        model.Fit(train);

        double accuracy = Synthetic.Accuracy(x => model.PredictClass(x.Span), test);
        Assert.IsTrue(accuracy >= 0.9, $"5-class accuracy {accuracy}");
        var probabilities = new float[5];
        model.PredictProbabilities(test.Row(0), probabilities);
        Assert.AreEqual(1f, probabilities.Sum(), 1e-5f);
        Assert.AreEqual(model.PredictClass(test.Row(0)), Array.IndexOf(probabilities, probabilities.Max()));
    }

    [TestMethod]
    [DataRow(2, 3, false)]
    [DataRow(4, 3, false)]
    [DataRow(4, 3, true)]
    [DataRow(3, 80, false, DisplayName = "80 features: contexts by matrix product")]
    public void BatchLearningEqualsOneRowAtATime(int classes, int features, bool shareHyperplanes)
    {
        LabeledData<int> data = Synthetic.Blobs(700, classes, features, 1.0, seed: 7);
        // [6, 5, 1]: a group of four neurons and leftovers in every layer, learned group by group through a batch.
        var options = new BernoulliGlnOptions { LayerSizes = [6, 5, 1], ShareHyperplanesAcrossClasses = shareHyperplanes };
        var single = BernoulliGlnClassifier.Create(features, classes, options);
        var batched = BernoulliGlnClassifier.Create(features, classes, options);
        for (int i = 0; i < data.RowCount; i++)
        {
            single.Learn(data.Row(i), data.Labels[i]);
        }

        batched.Learn(data.Features[..(300 * features)], data.Labels[..300]);
        batched.Learn(data.Features[(300 * features)..], data.Labels[300..]);

        CollectionAssert.AreEqual(ModelBytes.Of(single), ModelBytes.Of(batched));
    }

    [TestMethod]
    public void TheSameSeedGivesBitIdenticalModels()
    {
        LabeledData<int> data = Synthetic.TwoMoons(500, 0.2, seed: 8);
        byte[] Train(int seed)
        {
            var model = BernoulliGlnClassifier.Create(2, 2, new BernoulliGlnOptions { Seed = seed });
            model.Fit(data, new OnlineTrainingOptions { Epochs = 2, Seed = seed });
            return ModelBytes.Of(model);
        }

        CollectionAssert.AreEqual(Train(1), Train(1));
        CollectionAssert.AreNotEqual(Train(1), Train(2));
    }

    [TestMethod]
    public void ParallelismDoesNotChangeTheModel()
    {
        LabeledData<int> data = Synthetic.Blobs(600, 3, 3, 1.0, seed: 9);
        byte[] Train(int threads)
        {
            var model = BernoulliGlnClassifier.Create(3, 3, new BernoulliGlnOptions { MaxDegreeOfParallelism = threads });
            model.Fit(data);
            return ModelBytes.Of(model);
        }

        CollectionAssert.AreEqual(Train(1), Train(3));
    }

    [TestMethod]
    public void PredictingOnSeveralCoresGivesTheProbabilitiesOfOneCore()
    {
        // Four networks of 64 neurons over 300 features: ~340 KB of weight rows per prediction, enough to split them.
        LabeledData<int> data = Synthetic.Blobs(400, 4, 300, 1.0, seed: 10);
        BernoulliGlnClassifier Train(int threads)
        {
            var model = BernoulliGlnClassifier.Create(300, 4, new BernoulliGlnOptions { LayerSizes = [64, 32, 1], MaxDegreeOfParallelism = threads });
            model.Fit(data, new OnlineTrainingOptions { Epochs = 1 });
            return model;
        }

        BernoulliGlnClassifier one = Train(1), two = Train(2);
        Assert.IsFalse(one.PredictsInParallel);
        Assert.IsTrue(two.PredictsInParallel, "this model should predict on two cores");
        float[] first = new float[4], second = new float[4];
        for (int i = 0; i < data.RowCount; i++)
        {
            one.PredictProbabilities(data.Row(i), first);
            two.PredictProbabilities(data.Row(i), second);
            CollectionAssert.AreEqual(first, second, $"row {i}");
        }

        Assert.IsTrue(Enumerable.Range(0, data.RowCount).Count(i => two.PredictClass(data.Row(i)) == data.Labels[i]) > 0.8 * data.RowCount);
    }

    [TestMethod]
    public void AttributionAddsUpToTheLogit()
    {
        LabeledData<int> train = Synthetic.Blobs(2000, 3, 5, 1.0, seed: 10);
        var model = BernoulliGlnClassifier.Create(5, 3, new BernoulliGlnOptions { PredictionClipping = 0.05 });
        model.Fit(train);
        var logits = new float[3];
        for (int i = 0; i < 50; i++)
        {
            model.PredictLogits(train.Row(i), logits);
            for (int c = 0; c < 3; c++)
            {
                LogitAttribution a = model.Explain(train.Row(i), c);
                double sum = a.Intercept + Enumerable.Range(0, 5).Sum(a.Contribution);
                Assert.AreEqual(logits[c], a.Logit, 1e-4, $"row {i}, class {c}");
                Assert.AreEqual(a.Logit, sum, 1e-9);
            }
        }
    }

    [TestMethod]
    public void BinaryAttributionOfClassZeroIsTheNegation()
    {
        LabeledData<int> train = Synthetic.TwoMoons(1000, 0.1, seed: 11);
        var model = BernoulliGlnClassifier.Create(2, 2);
        model.Fit(train);
        LogitAttribution positive = model.Explain(train.Row(0), 1), negative = model.Explain(train.Row(0), 0);
        Assert.AreEqual(Math.Log(model.PredictProbability(train.Row(0)) / (1 - model.PredictProbability(train.Row(0)))), positive.Logit, 1e-4);
        Assert.AreEqual(-positive.Logit, negative.Logit, 1e-12);
        Assert.AreEqual(1 - positive.Probability, negative.Probability, 1e-12);
    }

    [TestMethod]
    public void ContinuedTrainingAfterLoadMatchesUninterruptedTraining()
    {
        LabeledData<int> data = Synthetic.Xor(600, seed: 12);
        var uninterrupted = BernoulliGlnClassifier.Create(2, 2);
        uninterrupted.Learn(data.Features, data.Labels);

        var first = BernoulliGlnClassifier.Create(2, 2);
        first.Learn(data.Features[..400], data.Labels[..200]);
        BernoulliGlnClassifier resumed = ModelBytes.RoundTrip(first);
        resumed.Learn(data.Features[400..], data.Labels[200..]);

        CollectionAssert.AreEqual(ModelBytes.Of(uninterrupted), ModelBytes.Of(resumed));
    }

    [TestMethod]
    public void SavedAndLoadedModelsPredictIdentically()
    {
        LabeledData<int> data = Synthetic.Blobs(1000, 4, 3, 1.0, seed: 13);
        var model = BernoulliGlnClassifier.Create(3, 4, new BernoulliGlnOptions { BaseModel = BaseModel.FeatureAsProbability, Standardization = StandardizationMode.None });
        model.Fit(data);
        BernoulliGlnClassifier loaded = ModelBytes.RoundTrip(model);

        float[] a = new float[4], b = new float[4];
        for (int i = 0; i < data.RowCount; i++)
        {
            model.PredictProbabilities(data.Row(i), a);
            loaded.PredictProbabilities(data.Row(i), b);
            CollectionAssert.AreEqual(a, b, $"row {i}");
        }

        Assert.AreEqual(model.UpdateCount, loaded.UpdateCount);
        Assert.AreEqual(BaseModel.FeatureAsProbability, loaded.Options.BaseModel);
    }

    [TestMethod]
    public void SuppliedStatisticsAreUsedAndSurviveSaving()
    {
        LabeledData<int> data = Synthetic.TwoMoons(500, 0.1, seed: 14);
        var options = new BernoulliGlnOptions { Standardization = StandardizationMode.Supplied, SuppliedMean = [0.5, 0.25], SuppliedStandardDeviation = [0.9, 0.5] };
        var model = BernoulliGlnClassifier.Create(2, 2, options);
        model.Fit(data);
        Assert.AreEqual(0.5, model.Standardizer.Mean[0]);
        BernoulliGlnClassifier loaded = ModelBytes.RoundTrip(model);
        Assert.AreEqual(model.PredictProbability(data.Row(3)), loaded.PredictProbability(data.Row(3)));
    }

    [TestMethod]
    public void PredictionsAreSafeToRunConcurrently()
    {
        LabeledData<int> data = Synthetic.Blobs(800, 3, 3, 1.0, seed: 15);
        var model = BernoulliGlnClassifier.Create(3, 3);
        model.Fit(data);
        int[] expected = Enumerable.Range(0, data.RowCount).Select(i => model.PredictClass(data.Row(i))).ToArray();
        var actual = new int[data.RowCount];
        Parallel.For(0, data.RowCount, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => actual[i] = model.PredictClass(data.Row(i)));
        CollectionAssert.AreEqual(expected, actual);
    }

    private static double LogisticRegressionAccuracy(LabeledData<int> train, LabeledData<int> test)
    {
        double w0 = 0, w1 = 0, b = 0;
        for (int epoch = 0; epoch < 20; epoch++)
        {
            for (int i = 0; i < train.RowCount; i++)
            {
                ReadOnlySpan<float> x = train.Row(i);
                double p = 1 / (1 + Math.Exp(-(w0 * x[0] + w1 * x[1] + b)));
                double g = p - train.Labels[i];
                w0 -= 0.05 * g * x[0];
                w1 -= 0.05 * g * x[1];
                b -= 0.05 * g;
            }
        }

        return Synthetic.Accuracy(x => w0 * x.Span[0] + w1 * x.Span[1] + b > 0 ? 1 : 0, test);
    }
}
