using Microsoft.ML.GatedLinear.Bernoulli;
using Microsoft.ML.GatedLinear.Data;
using Microsoft.ML.GatedLinear.Gaussian;
using Microsoft.ML.GatedLinear.Numerics;
using Microsoft.ML.GatedLinear.Training;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.GatedLinear.Tests.Training;

/// <summary>
/// Context dimension 0 ungates a neuron (one weight row), so a one-neuron network is a linear model: its logit
/// (B-GLN) or mean (G-GLN) is an affine function of the standardized features wherever no clip binds. A gated
/// network is only piecewise affine, which is what makes the midpoint check below able to fail.
/// </summary>
[TestClass]
public class LinearSpecialCaseTests
{
    private static readonly float[][] Pairs = [[0.4f, -0.9f, 1.1f], [-1.3f, 0.2f, -0.5f], [1.6f, 1.0f, -1.2f], [-0.7f, -1.5f, 0.8f]];

    [TestMethod]
    public void AsLinearModelIsOneUngatedNeuronWithTheOtherSettingsKept()
    {
        var network = new BernoulliGlnOptions { ContextDimension = 6, WeightBound = 7, Seed = 4 };
        BernoulliGlnOptions linear = network.AsLinearModel();
        CollectionAssert.AreEqual(new[] { 1 }, linear.LayerSizes);
        Assert.AreEqual(0, linear.ContextDimension);
        Assert.AreEqual(7, linear.WeightBound);
        Assert.AreEqual(6, network.ContextDimension, "the original options are left alone");

        GaussianGlnOptions gaussian = GaussianGlnOptions.ForData(1000).AsLinearModel();
        CollectionAssert.AreEqual(new[] { 1 }, gaussian.LayerSizes);
        Assert.AreEqual(0, gaussian.ContextDimension);
        Assert.AreEqual(100, gaussian.WeightAveragingHorizon);
    }

    [TestMethod]
    public void TheUngatedClassifiersLogitIsAffineInTheFeatures()
    {
        LabeledData<int> data = LinearLabels(600, seed: 3);
        Assert.IsTrue(MaxMidpointGap(Classifier(new BernoulliGlnOptions().AsLinearModel(), data)) < 1e-4);
        Assert.IsTrue(MaxMidpointGap(Classifier(new BernoulliGlnOptions { LayerSizes = [1], ContextDimension = 2 }, data)) > 1e-2, "a gated neuron is only piecewise affine");
    }

    [TestMethod]
    public void TheUngatedRegressorsMeanIsAffineAndItsVarianceConstant()
    {
        LabeledData<float> data = Synthetic.Linear(600, 3, noise: 0.5, seed: 5);
        GaussianGlnRegressor linear = Regressor(GaussianGlnOptions.ForData(600).AsLinearModel(), data);
        foreach (float[] a in Pairs)
        {
            foreach (float[] b in Pairs)
            {
                float[] mid = [.. a.Zip(b, (u, v) => (u + v) / 2)];
                GaussianPrediction pa = linear.Predict(a), pb = linear.Predict(b), pm = linear.Predict(mid);
                Assert.AreEqual(pa.Mean + pb.Mean, 2 * pm.Mean, 1e-3 * (1 + Math.Abs(pm.Mean)));
                Assert.AreEqual(pa.Variance, pm.Variance, 1e-6 * pa.Variance);
            }
        }

        // A linear target: the linear special case fits it to within its noise, the data's standard deviation being ~7.
        double squares = 0;
        LabeledData<float> test = Synthetic.Linear(400, 3, noise: 0.5, seed: 6);
        for (int i = 0; i < test.RowCount; i++)
        {
            double error = linear.Predict(test.Row(i)).Mean - test.Labels[i];
            squares += error * error;
        }

        Assert.IsTrue(Math.Sqrt(squares / test.RowCount) < 0.8, $"test RMSE {Math.Sqrt(squares / test.RowCount)}");
    }

    [TestMethod]
    public void UngatedModelsExplainTheirPredictionsExactly()
    {
        BernoulliGlnClassifier classifier = Classifier(new BernoulliGlnOptions().AsLinearModel(), LinearLabels(300, seed: 9));
        GaussianGlnRegressor regressor = Regressor(GaussianGlnOptions.ForData(300).AsLinearModel(), Synthetic.Linear(300, 3, noise: 0.5, seed: 9));
        foreach (float[] x in Pairs)
        {
            LogitAttribution logit = classifier.Explain(x, 1);
            Assert.AreEqual(logit.Logit, logit.Intercept + Enumerable.Range(0, 3).Sum(logit.Contribution), 1e-4);
            Assert.AreEqual(classifier.PredictProbability(x), logit.Probability, 1e-5);

            MeanAttribution mean = regressor.Explain(x);
            Assert.AreEqual(mean.Mean, mean.Intercept + mean.Contributions.Sum(), 1e-4 * (1 + Math.Abs(mean.Mean)));
            Assert.AreEqual(regressor.Predict(x).Mean, mean.Mean, 1e-4 * (1 + Math.Abs(mean.Mean)));
        }
    }

    [TestMethod]
    public void AGatedNeuronStartedFromTheLinearModelPredictsAsItDoesInEveryContext()
    {
        LabeledData<float> data = Synthetic.Linear(400, 3, noise: 0.5, seed: 11);
        GaussianGlnOptions network = Supplied(GaussianGlnOptions.ForData(400), data);
        network.LayerSizes = [1];
        GaussianGlnRegressor linear = Regressor(network.AsLinearModel(), data);
        GaussianGlnRegressor gated = GaussianGlnRegressor.Create(3, 1, network);
        gated.StartFirstLayerFrom(linear);

        // Rows far apart fall in different contexts of the one gated neuron (context dimension 3 along the feature axes).
        var rows = new[] { new[] { -2f, -2f, -2f }, new[] { 2f, 2f, 2f }, new[] { -2f, 2f, 0.5f }, new[] { 1.5f, -1f, -2f }, new[] { 0f, 0f, 0f } };
        Assert.IsTrue(rows.Select(x => Context(gated, network, x)).Distinct().Count() > 2, "the rows should reach several of the neuron's weight rows");
        foreach (float[] x in rows)
        {
            GaussianPrediction expected = linear.Predict(x), actual = gated.Predict(x);
            Assert.AreEqual(expected.Mean, actual.Mean, 1e-4 * (1 + Math.Abs(expected.Mean)));
            Assert.AreEqual(expected.Variance, actual.Variance, 1e-4 * expected.Variance);
        }

        // The rows it learns start there too: one small step on a row moves its prediction a little, not back to the usual start.
        float[] learned = rows[2];
        gated.Learn(learned, (float)linear.Predict(learned).Mean + 0.1f);
        Assert.AreEqual(linear.Predict(learned).Mean, gated.Predict(learned).Mean, 0.2);

        GaussianGlnRegressor fresh = GaussianGlnRegressor.Create(3, 1, network);
        Assert.IsTrue(rows.Any(x => Math.Abs(fresh.Predict(x).Mean - linear.Predict(x).Mean) > 1), "the usual start (every weight 1/m) predicts otherwise");
    }

    [TestMethod]
    public void OnlyALinearModelOverTheSameInputsCanStartTheFirstLayer()
    {
        LabeledData<float> data = Synthetic.Linear(200, 3, noise: 0.5, seed: 12);
        GaussianGlnOptions network = Supplied(GaussianGlnOptions.ForData(200), data);
        GaussianGlnRegressor target = GaussianGlnRegressor.Create(3, 1, network);
        Assert.ThrowsExactly<ArgumentException>(() => target.StartFirstLayerFrom(GaussianGlnRegressor.Create(3, 1, network)), "a gated network is not a linear model");

        GaussianGlnOptions otherScale = network.AsLinearModel();
        otherScale.SuppliedStandardDeviation = [2, 2, 2];
        Assert.ThrowsExactly<ArgumentException>(() => target.StartFirstLayerFrom(GaussianGlnRegressor.Create(3, 1, otherScale)), "other standardization");
        Assert.ThrowsExactly<ArgumentException>(() => target.StartFirstLayerFrom(GaussianGlnRegressor.Create(4, 1, Supplied(GaussianGlnOptions.ForData(200), Synthetic.Linear(200, 4, noise: 0.5, seed: 12)).AsLinearModel())), "other features");
        target.StartFirstLayerFrom(GaussianGlnRegressor.Create(3, 1, network.AsLinearModel()));
    }

    [TestMethod]
    public void UngatedModelsSaveAndLoadBitForBit()
    {
        BernoulliGlnClassifier classifier = Classifier(new BernoulliGlnOptions().AsLinearModel(), LinearLabels(300, seed: 7));
        BernoulliGlnClassifier loadedClassifier = ModelBytes.RoundTrip(classifier);
        Assert.AreEqual(0, loadedClassifier.Options.ContextDimension);
        CollectionAssert.AreEqual(ModelBytes.Of(classifier), ModelBytes.Of(loadedClassifier));

        GaussianGlnRegressor regressor = Regressor(GaussianGlnOptions.ForData(300).AsLinearModel(), Synthetic.Linear(300, 3, noise: 0.5, seed: 8));
        using var stream = new MemoryStream();
        regressor.Save(stream);
        GaussianGlnRegressor loadedRegressor = GaussianGlnRegressor.Load(new MemoryStream(stream.ToArray()));
        foreach (float[] x in Pairs)
        {
            Assert.AreEqual(regressor.Predict(x), loadedRegressor.Predict(x));
        }
    }

    // Label 1 when 1.5a − b + 0.5c + noise > 0: a linear boundary, blurred so the logits stay away from the clips.
    private static LabeledData<int> LinearLabels(int rows, int seed)
    {
        var random = new Random(seed);
        var x = new float[rows * 3];
        var y = new int[rows];
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < 3; j++)
            {
                x[i * 3 + j] = (float)(2 * random.NextDouble() - 1);
            }

            y[i] = 1.5 * x[i * 3] - x[i * 3 + 1] + 0.5 * x[i * 3 + 2] + random.NextDouble() - 0.5 > 0 ? 1 : 0;
        }

        return new LabeledData<int>(x, y, 3);
    }

    private static BernoulliGlnClassifier Classifier(BernoulliGlnOptions options, LabeledData<int> data)
    {
        // Supplied unit standardization: the base logits are the features themselves (inside the input clip).
        options.Standardization = StandardizationMode.Supplied;
        options.SuppliedMean = [0, 0, 0];
        options.SuppliedStandardDeviation = [1, 1, 1];
        BernoulliGlnClassifier model = BernoulliGlnClassifier.Create(3, 2, options);
        model.Fit(data, new OnlineTrainingOptions { Epochs = 3, ValidationFraction = 0 });
        return model;
    }

    private static GaussianGlnRegressor Regressor(GaussianGlnOptions options, LabeledData<float> data)
    {
        GaussianGlnRegressor model = GaussianGlnRegressor.Create(3, 1, options);
        model.Fit(data, new OnlineTrainingOptions { Epochs = 5, ValidationFraction = 0 });
        return model;
    }

    // The options with the data's exact statistics supplied, as the trainers give them: a network and its linear model then read the same inputs.
    private static GaussianGlnOptions Supplied(GaussianGlnOptions options, LabeledData<float> data)
    {
        RunningMoments features = new(data.FeatureCount), labels = new(1);
        for (int i = 0; i < data.RowCount; i++)
        {
            features.Add(data.Row(i));
            labels.Add([data.Labels[i]]);
        }

        options.SupplyStatistics(features, labels);
        return options;
    }

    // The context of the first neuron for row x (standardized with the options' supplied statistics, as the model does).
    private static int Context(GaussianGlnRegressor model, GaussianGlnOptions options, float[] x)
    {
        var contexts = new int[model.Gating.NeuronCount];
        float[] z = [.. x.Select((v, j) => (float)((v - options.SuppliedMean![j]) / options.SuppliedStandardDeviation![j]))];
        model.Gating.ComputeContexts(z, contexts);
        return contexts[0];
    }

    // The largest |logit(a) + logit(b) − 2·logit((a + b)/2)| over the pairs: 0 for an affine logit.
    private static double MaxMidpointGap(BernoulliGlnClassifier model)
    {
        double Logit(float[] x)
        {
            Span<float> logits = stackalloc float[1];
            model.PredictLogits(x, logits);
            return logits[0];
        }

        double gap = 0;
        foreach (float[] a in Pairs)
        {
            foreach (float[] b in Pairs)
            {
                gap = Math.Max(gap, Math.Abs(Logit(a) + Logit(b) - 2 * Logit([.. a.Zip(b, (u, v) => (u + v) / 2)])));
            }
        }

        return gap;
    }
}
