using Microsoft.ML.GatedLinear.Gaussian;
using Microsoft.ML.GatedLinear.Numerics;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.GatedLinear.Tests.Gaussian;

[TestClass]
public class GaussianLayerTests
{
    [TestMethod]
    public void AveragedRowIsTheMeanOfItsFirstHValuesThenAnExponentialAverage()
    {
        const int horizon = 4;
        var layer = GaussianLayer.Create(neuronCount: 2, inputCount: 3, contextCount: 2, averagingHorizon: horizon);
        float[] values = [3, -1, 5, 2, 10, 10, -6];
        double expected = 0;
        for (int n = 1; n <= values.Length; n++)
        {
            layer.ActiveRow(1, 0).Fill(values[n - 1]);
            layer.RecordUpdate(1, 0);
            expected += (values[n - 1] - expected) / Math.Min(n, horizon);
            if (n <= horizon)
            {
                Assert.AreEqual(values.Take(n).Average(v => (double)v), expected, 1e-9, "the recursion is not the plain mean");
            }

            foreach (float w in layer.PredictionRow(1, 0))
            {
                Assert.AreEqual(expected, w, 1e-5);
            }
        }

        // Other rows keep their initial 1/m, and learning reads the raw row.
        CollectionAssert.AreEqual(new[] { 1f / 3, 1f / 3, 1f / 3 }, layer.PredictionRow(0, 0).ToArray());
        CollectionAssert.AreEqual(new[] { -6f, -6f, -6f }, layer.ActiveRow(1, 0).ToArray());
    }

    [TestMethod]
    public void WithoutAveragingPredictionsReadTheLearnedRow()
    {
        var layer = GaussianLayer.Create(neuronCount: 1, inputCount: 2, contextCount: 2, averagingHorizon: 0);
        layer.ActiveRow(0, 1).Fill(7);
        Assert.IsNull(layer.AveragedWeights);
        CollectionAssert.AreEqual(new[] { 7f, 7f }, layer.PredictionRow(0, 1).ToArray());
    }

    [TestMethod]
    [DataRow(1, DisplayName = "D = 1")]
    [DataRow(2, DisplayName = "D = 2, isotropic")]
    public void LogDensitiesAreThoseOfTheReportedGaussians(int dimension)
    {
        const int neurons = 21, m = 5;
        var random = new SeededRandom(dimension);
        float[] means = Enumerable.Range(0, dimension * m).Select(_ => (float)random.NextGaussian()).ToArray();
        float[] precisions = Enumerable.Range(0, m).Select(_ => (float)(0.5 + random.NextDouble())).ToArray();
        var layer = GaussianLayer.Create(neurons, m, contextCount: 2, averagingHorizon: 0);
        int outputCount = neurons + 2;
        var outputs = new GaussianInputs(new float[dimension * outputCount], new float[outputCount], new float[dimension * outputCount], outputCount, dimension);
        int[] contexts = Enumerable.Range(0, neurons).Select(k => k % 2).ToArray();
        float[] target = Enumerable.Range(0, dimension).Select(_ => (float)(2 * random.NextGaussian())).ToArray();
        var logDensities = new double[neurons];
        var constraints = new GaussianConstraints(WeightBound: 10f, MinPrecision: 0.02, MaxPrecision: 100, MeanBound: 5, MaxGradientNorm: 1f);

        layer.PredictAndUpdate(new GaussianInputs(means, precisions, new float[dimension * m], m, dimension), contexts, outputs, logDensities, target, 0.1f, constraints, new GaussianLayer.NeuronScratch(dimension, 1, outputCount));

        for (int k = 0; k < neurons; k++)
        {
            double expected = 0, precision = outputs.Precisions[k];
            for (int d = 0; d < dimension; d++)
            {
                expected += NormalDistribution.LogDensity(target[d], outputs.Means[d * outputCount + k], 1 / precision);
            }

            Assert.AreEqual(expected, logDensities[k], 1e-5 * (1 + Math.Abs(expected)), $"neuron {k}");
        }
    }
}
