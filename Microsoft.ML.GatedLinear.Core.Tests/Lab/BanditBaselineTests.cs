using Microsoft.ML.GatedLinear.Numerics;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using MLGated.Lab;

namespace Microsoft.ML.GatedLinear.Tests.Lab;

[TestClass]
public class BanditBaselineTests
{
    [TestMethod]
    public void LinearBaselinesLearnALinearProblem()
    {
        // Arm a's mean reward is w_a·x: linear, so both linear baselines should beat random by far.
        var random = new SeededRandom(2);
        const int rows = 2000;
        var contexts = new float[rows * 3];
        var rewards = new float[rows * 2];
        for (int t = 0; t < rows; t++)
        {
            for (int j = 0; j < 3; j++)
            {
                contexts[3 * t + j] = (float)random.NextGaussian();
            }

            rewards[2 * t] = (float)(contexts[3 * t] + 0.1 * random.NextGaussian());
            rewards[2 * t + 1] = (float)(-contexts[3 * t] + 0.5 * contexts[3 * t + 1] + 0.1 * random.NextGaussian());
        }

        double uniform = BanditSimulation.CumulativeRegret(new UniformRandomPolicy(2, 3), contexts, rewards)[^1];
        Assert.IsTrue(BanditSimulation.CumulativeRegret(new LinearThompsonPolicy(2, 3, 3), contexts, rewards)[^1] < 0.2 * uniform);
        Assert.IsTrue(BanditSimulation.CumulativeRegret(new EpsilonGreedyPolicy(2, 3, 3), contexts, rewards)[^1] < 0.2 * uniform);
    }

    [TestMethod]
    public void OnlineLinearRegressionMatchesRidgeRegression()
    {
        // With prior precision λ on all weights, the posterior mean is the ridge solution (λI + XᵀX)⁻¹Xᵀy.
        var regression = new OnlineLinearRegression(1, priorPrecision: 0.5);
        float[] xs = [1f, 2f, 3f, 4f];
        double[] ys = [3, 5, 7.5, 9];
        for (int i = 0; i < xs.Length; i++)
        {
            regression.Update([xs[i]], ys[i]);
        }

        // Normal equations for φ = [x, 1]: [[Σx² + λ, Σx], [Σx, n + λ]] β = [Σxy, Σy].
        double a = 30 + 0.5, b = 10, d = 4 + 0.5, e = 1 * 3 + 2 * 5 + 3 * 7.5 + 4 * 9, f = 24.5;
        double det = a * d - b * b, slope = (e * d - b * f) / det, intercept = (a * f - b * e) / det;
        Assert.AreEqual(slope * 2.5 + intercept, regression.Predict([2.5f]), 1e-9);
    }
}
