using Microsoft.ML.GatedLinear.Bernoulli;
using Microsoft.ML.GatedLinear.Numerics;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.GatedLinear.Tests.Bernoulli;

[TestClass]
public class BernoulliNeuronTests
{
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
