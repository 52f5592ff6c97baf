using Microsoft.ML.GatedLinear.Gaussian;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.GatedLinear.Tests.Gaussian;

[TestClass]
public class SwitchingAggregationTests
{
    [TestMethod]
    public void AStepIsBayesThenFixedShare()
    {
        var mixture = new SwitchingAggregation(3);
        double[] prior = [1.0 / 3, 1.0 / 3, 1.0 / 3];
        double[][] densities = [[-1.0, -2.0, -0.5], [-3.0, -0.1, -700.0], [-0.2, -0.2, -0.2]];
        var scratch = new double[3];
        var weights = new double[3];
        for (int t = 1; t <= densities.Length; t++)
        {
            // Bayes: w_k ∝ w_k·f_k(y); fixed share: w_k ← (1 − α)·w_k + α/K with α = 1/(t + 1).
            double[] posterior = prior.Select((w, k) => w * Math.Exp(densities[t - 1][k])).ToArray();
            double total = posterior.Sum(), alpha = 1.0 / (t + 1);
            prior = posterior.Select(w => (1 - alpha) * w / total + alpha / 3).ToArray();

            mixture.Update(densities[t - 1], scratch);
            mixture.Weights(weights);
            for (int k = 0; k < 3; k++)
            {
                Assert.AreEqual(prior[k], weights[k], 1e-12, $"step {t}, neuron {k}");
            }
        }

        Assert.AreEqual(densities.Length, mixture.Steps);
    }
}
