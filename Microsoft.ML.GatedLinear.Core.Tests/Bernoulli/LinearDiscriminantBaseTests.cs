using Microsoft.ML.GatedLinear.Bernoulli;
using Microsoft.ML.GatedLinear.Data;
using Microsoft.ML.GatedLinear.Numerics;
using Microsoft.ML.GatedLinear.Training;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.GatedLinear.Tests.Bernoulli;

/// <summary>
/// <see cref="LinearDiscriminantBase"/>: Fisher's linear discriminant of the base logits as more inputs of a B-GLN's
/// layer 0 — its log-odds, how they are standardized, how a prediction's decomposition folds them onto the features,
/// and the classifier that reads them.
/// </summary>
[TestClass]
public class LinearDiscriminantBaseTests
{
    [TestMethod]
    [DataRow(2)]
    [DataRow(3)]
    public void ItsLogOddsAreFishersLinearDiscriminant(int classes)
    {
        LabeledData<int> data = CorrelatedBlobs(240, classes, seed: 1);
        LinearDiscriminantBase discriminant = LinearDiscriminantBase.Fit([Rows(data)], 2, classes, Identity);

        // Fisher's discriminant written out for two features: class means, pooled covariance, its inverse by hand.
        var mean = new double[classes, 2];
        var count = new double[classes];
        for (int i = 0; i < data.RowCount; i++)
        {
            count[data.Labels[i]]++;
            mean[data.Labels[i], 0] += data.Row(i)[0];
            mean[data.Labels[i], 1] += data.Row(i)[1];
        }

        for (int c = 0; c < classes; c++)
        {
            mean[c, 0] /= count[c];
            mean[c, 1] /= count[c];
        }

        double a = 0, b = 0, d = 0;
        for (int i = 0; i < data.RowCount; i++)
        {
            double u = data.Row(i)[0] - mean[data.Labels[i], 0], v = data.Row(i)[1] - mean[data.Labels[i], 1];
            (a, b, d) = (a + u * u, b + u * v, d + v * v);
        }

        double scale = 1.0 / (data.RowCount - classes), det = a * d - b * b;
        (double ia, double ib, double id) = (d / det / scale, -b / det / scale, a / det / scale);
        double Score(int c, ReadOnlySpan<float> x)
        {
            double w0 = ia * mean[c, 0] + ib * mean[c, 1], w1 = ib * mean[c, 0] + id * mean[c, 1];
            return w0 * x[0] + w1 * x[1] - 0.5 * (w0 * mean[c, 0] + w1 * mean[c, 1]) + Math.Log(count[c] / data.RowCount);
        }

        int inputs = LinearDiscriminantBase.CountFor(classes);
        var logOdds = new float[inputs];
        int unclipped = 0;
        for (int i = 0; i < data.RowCount; i++)
        {
            float[] x = data.Row(i).ToArray();
            discriminant.LogOdds(x, logOdds);
            for (int o = 0; o < inputs; o++)
            {
                int c = inputs == 1 ? 1 : o;
                double others = Enumerable.Range(0, classes).Where(k => k != c).Sum(k => Math.Exp(Score(k, x)));
                double expected = Math.Clamp(Score(c, x) - Math.Log(others), -LinearDiscriminantBase.MaxLogOdds, LinearDiscriminantBase.MaxLogOdds);
                Assert.AreEqual(expected, logOdds[o], 1e-3 * Math.Max(1, Math.Abs(expected)), $"row {i}, input {o}");
                unclipped += Math.Abs(expected) < LinearDiscriminantBase.MaxLogOdds ? 1 : 0;
            }
        }

        Assert.IsTrue(unclipped > data.RowCount / 2, "most log-odds are compared below their clip");
    }

    [TestMethod]
    public void ItsInputsAreStandardizedOverTheFittedRows()
    {
        LabeledData<int> data = CorrelatedBlobs(300, 3, seed: 2);
        LinearDiscriminantBase discriminant = LinearDiscriminantBase.Fit([Rows(data)], 2, 3, Identity);
        var inputs = new float[3];
        var first = new double[3];
        var second = new double[3];
        for (int i = 0; i < data.RowCount; i++)
        {
            discriminant.Apply(data.Row(i), inputs, bound: 1000);
            for (int o = 0; o < 3; o++)
            {
                first[o] += inputs[o] / (double)data.RowCount;
                second[o] += inputs[o] * (double)inputs[o] / data.RowCount;
            }
        }

        for (int o = 0; o < 3; o++)
        {
            Assert.AreEqual(0, first[o], 1e-4, $"input {o}'s mean");
            Assert.AreEqual(1, second[o] - first[o] * first[o], 1e-3, $"input {o}'s variance");
        }

        discriminant.Apply(data.Row(0), inputs, bound: 0.25f);
        Assert.IsTrue(inputs.All(v => Math.Abs(v) <= 0.25f), "clipped to the bound");
    }

    [TestMethod]
    [DataRow(2, 100f)]
    [DataRow(3, 100f)]
    [DataRow(3, 0.5f)]
    public void FoldingPutsTheInputsShareExactlyOntoTheFeatures(int classes, float bound)
    {
        LabeledData<int> data = CorrelatedBlobs(200, classes, seed: 3);
        LinearDiscriminantBase discriminant = LinearDiscriminantBase.Fit([Rows(data)], 2, classes, Identity);
        var random = new SeededRandom(4);
        var inputs = new float[discriminant.Count];
        int linear = 0;
        for (int i = 0; i < data.RowCount; i++)
        {
            ReadOnlySpan<float> x = data.Row(i);
            discriminant.Apply(x, inputs, bound);
            double[] inputWeights = Enumerable.Range(0, inputs.Length).Select(_ => random.NextGaussian()).ToArray();
            var featureWeights = new double[2];
            double intercept = discriminant.Fold(x, inputs, inputWeights, featureWeights, bound);
            double share = inputWeights.Select((w, o) => w * inputs[o]).Sum();
            Assert.AreEqual(share, featureWeights[0] * x[0] + featureWeights[1] * x[1] + intercept, 1e-4 * Math.Max(1, Math.Abs(share)), $"row {i}");
            linear += featureWeights.Any(w => w != 0) ? 1 : 0;
        }

        Assert.IsTrue(linear > data.RowCount / 4, $"the shares of {linear} rows went onto the features, not all to the intercept");
    }

    [TestMethod]
    [DataRow(2)]
    [DataRow(3)]
    public void AClassifierReadingItExplainsItselfExactly(int classes)
    {
        LabeledData<int> data = CorrelatedBlobs(300, classes, seed: 5);
        BernoulliGlnClassifier model = Trained(data, classes, seed: 6, withDiscriminant: true);
        Assert.IsTrue(model.UsesLinearDiscriminantBase);
        var logits = new float[classes == 2 ? 1 : classes];
        for (int i = 0; i < 40; i++)
        {
            model.PredictLogits(data.Row(i), logits);
            for (int c = 0; c < classes; c++)
            {
                LogitAttribution explained = model.Explain(data.Row(i), c);
                double logit = classes == 2 ? (c == 1 ? logits[0] : -logits[0]) : logits[c];
                Assert.AreEqual(logit, explained.Logit, 1e-4, $"row {i}, class {c}");
                Assert.AreEqual(data.FeatureCount, explained.Weights.Count);
            }
        }
    }

    [TestMethod]
    public void OnFewRowsOfSharedCovarianceItPredictsBetterThanTheFeaturesAlone()
    {
        // Three Gaussian classes with one strongly correlated covariance: Fisher's discriminant is the Bayes rule, and 150
        // rows estimate it better than an online fit of the clipped features does.
        LabeledData<int> train = CorrelatedBlobs(150, 3, seed: 7, radius: 2), test = CorrelatedBlobs(3000, 3, seed: 8, radius: 2);
        double LogLoss(BernoulliGlnClassifier model)
        {
            var p = new float[3];
            double total = 0;
            for (int i = 0; i < test.RowCount; i++)
            {
                model.PredictProbabilities(test.Row(i), p);
                total -= Math.Log(Math.Max(p[test.Labels[i]], 1e-15));
            }

            return total / test.RowCount;
        }

        double with = LogLoss(Trained(train, 3, seed: 9, withDiscriminant: true));
        double without = LogLoss(Trained(train, 3, seed: 9, withDiscriminant: false));
        Assert.IsTrue(with < 0.9 * without, $"log loss {with:0.000} with the discriminant, {without:0.000} without");
    }

    [TestMethod]
    [DataRow(2, 0.5)]
    [DataRow(3, 0.5)]
    [DataRow(3, 1.0)]
    public void StartedTowardItEachNeuronAddsAFractionOfItsClasssLogOdds(int classes, double start)
    {
        // One neuron per class network, so its logit is the network's: it starts at the average of its inputs plus
        // start × the discriminant's log-odds of its class wherever neither the input nor the output is clipped.
        LabeledData<int> data = CorrelatedBlobs(200, classes, seed: 17);
        BernoulliGlnOptions options = Options(18);
        options.LayerSizes = [1];
        LinearDiscriminantBase discriminant = BernoulliGlnClassifier.FitLinearDiscriminant(2, classes, options, [Rows(data)]);
        BernoulliGlnClassifier plain = BernoulliGlnClassifier.Create(2, classes, options, discriminant);
        BernoulliGlnClassifier started = BernoulliGlnClassifier.Create(2, classes, options, discriminant, start);
        int inputs = LinearDiscriminantBase.CountFor(classes);
        float bound = Logistic.ClippingBound(options.InputClipping), maxLogit = Logistic.ClippingBound(options.PredictionClipping);
        var baseLogits = new float[2];
        var logOdds = new float[inputs];
        var without = new float[inputs];
        var with = new float[inputs];
        int compared = 0;
        for (int i = 0; i < data.RowCount; i++)
        {
            for (int j = 0; j < 2; j++)
            {
                baseLogits[j] = Math.Clamp(data.Row(i)[j] / 2.5f, -bound, bound);
            }

            discriminant.LogOdds(baseLogits, logOdds);
            plain.PredictLogits(data.Row(i), without);
            started.PredictLogits(data.Row(i), with);
            for (int o = 0; o < inputs; o++)
            {
                (float slope, float intercept) = discriminant.LogOddsOfInput(o);
                bool unclipped = Math.Abs(logOdds[o]) < LinearDiscriminantBase.MaxLogOdds && Math.Abs((logOdds[o] - intercept) / slope) < bound
                    && Math.Abs(with[o]) < maxLogit && Math.Abs(without[o]) < maxLogit;
                if (unclipped)
                {
                    Assert.AreEqual(start * logOdds[o], with[o] - without[o], 1e-3, $"row {i}, input {o}");
                    compared++;
                }
            }
        }

        Assert.IsTrue(compared > 50, $"{compared} unclipped predictions compared");
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => BernoulliGlnClassifier.Create(2, classes, options, discriminant, -0.5));
    }

    [TestMethod]
    public void ItSurvivesSavingAndTravelsWithCopiesAndAverages()
    {
        LabeledData<int> data = CorrelatedBlobs(200, 3, seed: 10);
        BernoulliGlnClassifier model = Trained(data, 3, seed: 11, withDiscriminant: true);
        BernoulliGlnClassifier loaded = ModelBytes.RoundTrip(model);
        Assert.IsTrue(loaded.UsesLinearDiscriminantBase);
        CollectionAssert.AreEqual(ModelBytes.Of(model), ModelBytes.Of(loaded));
        var expected = new float[3];
        var actual = new float[3];
        for (int i = 0; i < 20; i++)
        {
            model.PredictLogits(data.Row(i), expected);
            loaded.PredictLogits(data.Row(i), actual);
            CollectionAssert.AreEqual(expected, actual);
        }

        // Models of one discriminant average; a model without it, or with another, does not.
        BernoulliGlnClassifier other = Trained(data, 3, seed: 12, withDiscriminant: true);
        Assert.IsTrue(BernoulliGlnClassifier.Average([model, other]).UsesLinearDiscriminantBase);
        Assert.ThrowsExactly<ArgumentException>(() => BernoulliGlnClassifier.Average([model, Trained(data, 3, seed: 12, withDiscriminant: false)]));
        LinearDiscriminantBase another = BernoulliGlnClassifier.FitLinearDiscriminant(2, 3, Options(13), [Rows(CorrelatedBlobs(200, 3, seed: 14))]);
        Assert.ThrowsExactly<ArgumentException>(() => BernoulliGlnClassifier.Average([model, BernoulliGlnClassifier.Create(2, 3, Options(13), another)]));
    }

    [TestMethod]
    public void ItIsRefusedWhereItCannotHold()
    {
        LabeledData<int> data = CorrelatedBlobs(100, 3, seed: 15);
        BernoulliGlnOptions online = Options(1);
        online.Standardization = StandardizationMode.Online;
        Assert.ThrowsExactly<ArgumentException>(() => BernoulliGlnClassifier.FitLinearDiscriminant(2, 3, online, [Rows(data)]), "the standardization must not drift under it");
        Assert.ThrowsExactly<ArgumentException>(() => LinearDiscriminantBase.Fit([Rows(data.Select([0, 1, 2]))], 2, 3, Identity), "more rows than classes");
        LinearDiscriminantBase discriminant = BernoulliGlnClassifier.FitLinearDiscriminant(2, 3, Options(1), [Rows(data)]);
        Assert.ThrowsExactly<ArgumentException>(() => BernoulliGlnClassifier.Create(2, 4, Options(1), discriminant), "another class count");
        Assert.ThrowsExactly<ArgumentException>(() => BernoulliGlnClassifier.Create(3, 3, Options(1), discriminant), "another feature count");
    }

    [TestMethod]
    public void AClassAbsentFromTheRowsIsNeverLikely()
    {
        LabeledData<int> data = CorrelatedBlobs(200, 2, seed: 16);
        LinearDiscriminantBase discriminant = LinearDiscriminantBase.Fit([Rows(data)], 2, 3, Identity);
        var logOdds = new float[3];
        discriminant.LogOdds(data.Row(0), logOdds);
        Assert.AreEqual(-LinearDiscriminantBase.MaxLogOdds, logOdds[2]);
        Assert.IsTrue(logOdds.All(float.IsFinite));
    }

    // Gaussian classes on a circle sharing one covariance whose two axes correlate 0.9.
    private static LabeledData<int> CorrelatedBlobs(int rows, int classes, int seed, double radius = 1)
    {
        var random = new SeededRandom(seed);
        var x = new float[rows * 2];
        var y = new int[rows];
        for (int i = 0; i < rows; i++)
        {
            int label = random.NextInt(classes);
            double angle = 2 * Math.PI * label / classes, u = random.NextGaussian(), v = random.NextGaussian();
            x[2 * i] = (float)(radius * Math.Cos(angle) + 1.5 * u);
            x[2 * i + 1] = (float)(radius * Math.Sin(angle) + 1.5 * (0.9 * u + Math.Sqrt(1 - 0.81) * v));
            y[i] = label;
        }

        return new LabeledData<int>(x, y, 2);
    }

    private static void Identity(ReadOnlySpan<float> features, Span<float> baseLogits) => features.CopyTo(baseLogits);

    private static InMemoryRows Rows(LabeledData<int> data) => InMemoryRows.Create(data, data.FeatureCount, 1, (label, _, values) => values[0] = label);

    private static BernoulliGlnClassifier Trained(LabeledData<int> data, int classes, int seed, bool withDiscriminant)
    {
        BernoulliGlnOptions options = Options(seed);
        LinearDiscriminantBase? discriminant = withDiscriminant ? BernoulliGlnClassifier.FitLinearDiscriminant(2, classes, options, [Rows(data)]) : null;
        BernoulliGlnClassifier model = BernoulliGlnClassifier.Create(2, classes, options, discriminant);
        model.Fit(data, new OnlineTrainingOptions { Epochs = 20, Seed = seed });
        return model;
    }

    // Supplied statistics, as the trainer gives them: the discriminant reads rows standardized alike throughout.
    private static BernoulliGlnOptions Options(int seed) => new()
    {
        LayerSizes = [8, 1],
        ContextDimension = 2,
        Standardization = StandardizationMode.Supplied,
        SuppliedMean = [0, 0],
        SuppliedStandardDeviation = [2.5, 2.5],
        Seed = seed,
    };
}
