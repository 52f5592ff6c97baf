using Microsoft.ML.GatedLinear.Gaussian;
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
}
