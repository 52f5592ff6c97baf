using Microsoft.ML.GatedLinear.Numerics;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.GatedLinear.Tests.Numerics;

[TestClass]
public class AdamTests
{
    [TestMethod]
    public void TwoStepsFollowTheBiasCorrectedRule()
    {
        const double rate = 0.1, beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8;
        float[] values = [1f, -2f];
        double[][] gradients = [[0.5, -4], [0.25, 1]];
        var adam = new Adam([2], rate);
        double[] m = new double[2], v = new double[2], expected = [1, -2];
        for (int t = 1; t <= 2; t++)
        {
            adam.BeginStep();
            adam.Move(0, values, gradients[t - 1], scale: 0.5);
            for (int i = 0; i < 2; i++)
            {
                double g = gradients[t - 1][i] * 0.5;
                m[i] = beta1 * m[i] + (1 - beta1) * g;
                v[i] = beta2 * v[i] + (1 - beta2) * g * g;
                expected[i] -= rate * (m[i] / (1 - Math.Pow(beta1, t))) / (Math.Sqrt(v[i] / (1 - Math.Pow(beta2, t))) + epsilon);
                Assert.AreEqual(expected[i], values[i], 1e-6, $"step {t}, value {i}");
            }
        }

        Assert.AreEqual(2, adam.Steps);
    }

    [TestMethod]
    public void FloatAndDoubleGradientsOfTheSameValuesGiveTheSameStep()
    {
        // Float gradients take the vectorized path four at a time (11 = two vectors and a tail of 3), double ones the
        // scalar loop: the steps must agree bit for bit.
        var random = new SeededRandom(4);
        float[] a = Enumerable.Range(0, 11).Select(_ => (float)random.NextGaussian()).ToArray(), b = (float[])a.Clone();
        var first = new Adam([11], 0.01);
        var second = new Adam([11], 0.01);
        for (int step = 0; step < 3; step++)
        {
            float[] gradient = Enumerable.Range(0, 11).Select(_ => (float)(3 * random.NextGaussian())).ToArray();
            first.BeginStep();
            second.BeginStep();
            first.Move<float>(0, a, gradient, scale: 0.7);
            second.Move<double>(0, b, Array.ConvertAll(gradient, g => (double)g), scale: 0.7);
            CollectionAssert.AreEqual(b, a, $"step {step + 1}");
        }
    }
}
