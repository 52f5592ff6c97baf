using Microsoft.ML.GatedLinear.Bernoulli;
using Microsoft.ML.GatedLinear.Numerics;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.GatedLinear.Tests.Bernoulli;

[TestClass]
public class BernoulliNeuronTests
{
    [TestMethod]
    [DataRow(785)]
    [DataRow(129)]
    [DataRow(5)]
    public void FourRowsAtOnceGiveEachRowsOwnLogitBitForBit(int inputs)
    {
        var random = new SeededRandom(inputs);
        float[] x = Enumerable.Range(0, inputs).Select(_ => (float)random.NextGaussian()).ToArray();
        float[][] rows = Enumerable.Range(0, 4).Select(_ => Enumerable.Range(0, inputs).Select(_ => (float)(0.1 * random.NextGaussian())).ToArray()).ToArray();
        var four = new float[4];
        BernoulliNeuron.PredictLogits(rows[0], rows[1], rows[2], rows[3], x, 100f, four);
        for (int r = 0; r < 4; r++)
        {
            float single = BernoulliNeuron.PredictLogit(rows[r], x, 100f);
            Assert.AreEqual(single, four[r], $"row {r}");
            Assert.AreEqual(rows[r].Zip(x, (a, b) => (double)a * b).Sum(), single, 1e-5 * (1 + Math.Abs(single)), $"row {r} against a double dot product");
        }
    }

    [TestMethod]
    public void ALayerInGroupsOfFourEqualsNeuronByNeuronPredictAndUpdate()
    {
        // Six neurons: one group of four and two left over; contexts spread over the rows.
        const int neurons = 6, inputs = 37, contextCount = 4;
        var random = new SeededRandom(5);
        var layer = BernoulliLayer.Create(neurons, inputs, contextCount, 0.1f);
        var reference = BernoulliLayer.Create(neurons, inputs, contextCount, 0.1f);
        for (int step = 0; step < 50; step++)
        {
            float[] x = Enumerable.Range(0, inputs).Select(_ => (float)(2 * random.NextGaussian())).ToArray();
            int[] contexts = Enumerable.Range(0, neurons).Select(_ => (int)(random.NextDouble() * contextCount)).ToArray();
            float target = step % 3 == 0 ? 0 : 1;
            var logits = new float[neurons];
            layer.PredictAndUpdate(x, contexts, logits, target, 4.6f, 0.05f, 2f);
            for (int n = 0; n < neurons; n++)
            {
                Span<float> row = reference.ActiveRow(n, contexts[n]);
                float logit = BernoulliNeuron.PredictLogit(row, x, 4.6f);
                Assert.AreEqual(logit, logits[n], $"step {step}, neuron {n}");
                BernoulliNeuron.Update(row, x, logit, target, 4.6f, 0.05f, 2f);
            }
        }

        CollectionAssert.AreEqual(reference.Weights, layer.Weights);
    }

    [TestMethod]
    public void LearningABatchNeuronGroupByNeuronGroupEqualsLearningItRowByRow()
    {
        // Seven neurons (a group of four, three left over) among ten contexts per row, outputs nine apart (the layer
        // above's inputs): each neuron must see the rows in order, whatever order the neurons go in.
        const int neurons = 7, inputs = 21, contextCount = 4, rows = 60, contextStride = 10, outputStride = 9;
        var random = new SeededRandom(6);
        var layer = BernoulliLayer.Create(neurons, inputs, contextCount, 0.1f);
        var reference = BernoulliLayer.Create(neurons, inputs, contextCount, 0.1f);
        float[] x = Enumerable.Range(0, rows * inputs).Select(_ => (float)(2 * random.NextGaussian())).ToArray();
        int[] contexts = Enumerable.Range(0, rows * contextStride).Select(_ => (int)(random.NextDouble() * contextCount)).ToArray();
        float[] targets = Enumerable.Range(0, rows).Select(r => r % 3 == 0 ? 0f : 1f).ToArray();
        float[] rates = Enumerable.Range(0, rows).Select(r => 0.2f / (1 + r)).ToArray();
        var outputs = new float[rows * outputStride];
        layer.LearnRows(x, contexts, contextStride, outputs, outputStride, targets, rates, 4.6f, 2f);

        var logits = new float[neurons];
        for (int r = 0; r < rows; r++)
        {
            reference.PredictAndUpdate(x.AsSpan(r * inputs, inputs), contexts.AsSpan(r * contextStride, neurons), logits, targets[r], 4.6f, rates[r], 2f);
            CollectionAssert.AreEqual(logits, outputs.AsSpan(r * outputStride, neurons).ToArray(), $"row {r}");
        }

        CollectionAssert.AreEqual(reference.Weights, layer.Weights);
        Assert.AreEqual(reference.RowsWritten, layer.RowsWritten);
        Assert.IsTrue(outputs.Where((_, i) => i % outputStride >= neurons).All(v => v == 0), "nothing written between rows' outputs");
    }

    [TestMethod]
    [DataRow(1f)]
    [DataRow(0f)]
    public void GradientMatchesFiniteDifferences(float target)
    {
        var random = new SeededRandom(3);
        float[] x = Enumerable.Range(0, 7).Select(_ => (float)random.NextGaussian()).ToArray();
        float[] w = Enumerable.Range(0, 7).Select(_ => (float)(0.2 * random.NextGaussian())).ToArray();
        var gradient = new float[7];
        BernoulliNeuron.Gradient(x, Dot(w, x), target, gradient);

        const double h = 1e-4;
        for (int j = 0; j < w.Length; j++)
        {
            double up = BernoulliNeuron.LogLoss(Dot(w, x) + h * x[j], target);
            double down = BernoulliNeuron.LogLoss(Dot(w, x) - h * x[j], target);
            double numeric = (up - down) / (2 * h);
            Assert.AreEqual(numeric, gradient[j], 1e-4, $"∂ℓ/∂w[{j}]");
        }
    }

    [TestMethod]
    public void UpdateIsAProjectedGradientStep()
    {
        float[] x = [2f, -1f, 0.5f];
        float[] w = [4.9f, 0f, -0.3f];
        float logit = Dot(w, x);
        float p = Logistic.Sigmoid(logit);
        BernoulliNeuron.Update(w, x, logit, target: 0f, maxLogit: 20f, learningRate: 0.5f, weightBound: 5f);

        float[] expected = [4.9f - 0.5f * p * 2f, 0f + 0.5f * p * 1f, -0.3f - 0.5f * p * 0.5f];
        expected = expected.Select(v => Math.Clamp(v, -5f, 5f)).ToArray();
        CollectionAssert.AreEqual(expected, w, Comparer<float>.Create((a, b) => Math.Abs(a - b) < 1e-6f ? 0 : a.CompareTo(b)));
    }

    [TestMethod]
    public void AClippedRightPredictionLeavesTheRowAloneAndAClippedWrongOneLearns()
    {
        float bound = Logistic.ClippingBound(0.01);
        float[] x = [3f, -2f];
        float[] w = [2f, -1f];
        float logit = BernoulliNeuron.PredictLogit(w, x, bound); // 8 → clipped to +L
        Assert.AreEqual(bound, logit);

        BernoulliNeuron.Update(w, x, logit, target: 1f, maxLogit: bound, learningRate: 0.5f, weightBound: 5f);
        CollectionAssert.AreEqual(new[] { 2f, -1f }, w, "right on the clip: zero gradient through the clip, nothing written");

        BernoulliNeuron.Update(w, x, logit, target: 0f, maxLogit: bound, learningRate: 0.5f, weightBound: 5f);
        Assert.IsTrue(w[0] < 2f && w[1] > -1f, "wrong on the clip: the step still moves the row towards the target");
    }

    [TestMethod]
    public void PredictionIsClippedToTheLogitBound()
    {
        float bound = Logistic.ClippingBound(0.01);
        Assert.AreEqual(bound, BernoulliNeuron.PredictLogit([5f], [100f], bound));
        Assert.AreEqual(-bound, BernoulliNeuron.PredictLogit([5f], [-100f], bound));
        Assert.AreEqual(0.99, Logistic.Sigmoid((double)bound), 1e-6);
    }

    [TestMethod]
    public void RepeatedUpdatesNeverLeaveTheWeightBox()
    {
        var random = new SeededRandom(11);
        var w = new float[5];
        for (int step = 0; step < 500; step++)
        {
            float[] x = Enumerable.Range(0, 5).Select(_ => (float)(20 * random.NextGaussian())).ToArray();
            BernoulliNeuron.Update(w, x, BernoulliNeuron.PredictLogit(w, x, 4.6f), step % 2, 4.6f, 10f, 1.5f);
            Assert.IsTrue(w.All(v => v is >= -1.5f and <= 1.5f), $"step {step}: {string.Join(", ", w)}");
        }
    }

    private static float Dot(float[] w, float[] x) => w.Zip(x, (a, b) => a * b).Sum();
}
