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
        float[] a = [0.3f, 0.7f], b = [0.3f, 0.7f];
        var first = new Adam([2], 0.01);
        var second = new Adam([2], 0.01);
        first.BeginStep();
        second.BeginStep();
        first.Move<float>(0, a, [0.125f, -3f]);
        second.Move<double>(0, b, [0.125, -3]);
        CollectionAssert.AreEqual(a, b);
    }
}
