using Microsoft.ML.GatedLinear.Gaussian;
using Microsoft.ML.GatedLinear.Numerics;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.GatedLinear.Tests.Gaussian;

[TestClass]
public class GaussianNeuronTests
{
    private const int M = 6;

    /// <summary>Random inputs: m Gaussians over a D-dimensional target with 1 or D precision rows.</summary>
    private static (float[] Means, float[] Precisions) Inputs(int dimension, int precisionRows, SeededRandom random)
    {
        float[] means = Enumerable.Range(0, dimension * M).Select(_ => (float)random.NextGaussian()).ToArray();
        float[] precisions = Enumerable.Range(0, precisionRows * M).Select(_ => (float)(0.5 + 1.5 * random.NextDouble())).ToArray();
        return (means, precisions);
    }

    [TestMethod]
    [DataRow(1, 1, DisplayName = "univariate")]
    [DataRow(3, 1, DisplayName = "isotropic, D = 3")]
    [DataRow(3, 3, DisplayName = "diagonal, D = 3")]
    public void GradientMatchesFiniteDifferences(int dimension, int precisionRows)
    {
        var random = new SeededRandom(dimension * 10 + precisionRows);
        (float[] means, float[] precisions) = Inputs(dimension, precisionRows, random);
        var inputs = new GaussianInputs(means, precisions, M, dimension);
        float[] w = Enumerable.Range(0, M).Select(_ => (float)(0.1 + 0.4 * random.NextDouble())).ToArray();
        float[] target = Enumerable.Range(0, dimension).Select(_ => (float)(2 * random.NextGaussian())).ToArray();
        double[] mean = new double[dimension], precision = new double[precisionRows];
        var scratch = new float[M];
        GaussianNeuron.Predict(w, inputs, mean, precision);
        var gradient = new float[M];
        GaussianNeuron.Gradient(inputs, mean, precision, target, gradient);

        const float h = 1e-2f;
        for (int j = 0; j < M; j++)
        {
            double Loss(float delta)
            {
                float[] shifted = (float[])w.Clone();
                shifted[j] += delta;
                GaussianNeuron.Predict(shifted, new GaussianInputs(means, precisions, M, dimension), mean, precision);
                return GaussianNeuron.Loss(mean, precision, target);
            }

            double numeric = (Loss(h) - Loss(-h)) / (2 * h);
            Assert.AreEqual(numeric, gradient[j], 2e-3 * (1 + Math.Abs(numeric)), $"∂ℓ/∂w[{j}]");
        }
    }

    [TestMethod]
    public void WeightedProductMatchesTheClosedFormAndNumericIntegration()
    {
        float[] means = [1f, -2f];
        float[] precisions = [4f, 0.25f]; // σ = 0.5 and 2
        float[] w = [0.7f, 1.3f];
        double[] mean = new double[1], precision = new double[1];
        GaussianNeuron.Predict(w, new GaussianInputs(means, precisions, 2, 1), mean, precision);

        double lambda = 0.7 * 4 + 1.3 * 0.25;
        Assert.AreEqual(lambda, precision[0], 1e-6);
        Assert.AreEqual((0.7 * 4 * 1 + 1.3 * 0.25 * -2) / lambda, mean[0], 1e-6);

        // ∏ N(y; μ_j, σ_j²)^{w_j}, normalised numerically on a fine grid.
        double mass = 0, first = 0, second = 0;
        for (double y = -15; y <= 15; y += 1e-3)
        {
            double density = Math.Exp(0.7 * NormalDistribution.LogDensity(y, 1, 0.25) + 1.3 * NormalDistribution.LogDensity(y, -2, 4));
            mass += density;
            first += density * y;
            second += density * y * y;
        }

        double numericMean = first / mass;
        Assert.AreEqual(numericMean, mean[0], 1e-4);
        Assert.AreEqual(second / mass - numericMean * numericMean, 1 / precision[0], 1e-4);
    }

    [TestMethod]
    [DataRow(1, 1)]
    [DataRow(3, 1)]
    [DataRow(3, 3)]
    public void AdversarialStepsNeverLeaveTheFeasibleSet(int dimension, int precisionRows)
    {
        var random = new SeededRandom(7);
        const float bound = 3f;
        const double minPrecision = 1 / 50.0, maxPrecision = 1 / 0.01;
        float[] w = Enumerable.Repeat(1f / M, M).ToArray();
        var gradient = new float[M];
        double[] mean = new double[dimension], precision = new double[precisionRows];
        for (int step = 0; step < 500; step++)
        {
            (float[] means, float[] precisions) = Inputs(dimension, precisionRows, random);
            var inputs = new GaussianInputs(means, precisions, M, dimension);
            float[] target = Enumerable.Range(0, dimension).Select(_ => (float)(step % 3 == 0 ? 1e3 : 1e-3) * (step % 2 == 0 ? 1 : -1)).ToArray();
            GaussianNeuron.Predict(w, inputs, mean, precision);
            for (int p = 0; p < precisionRows; p++)
            {
                precision[p] = Math.Clamp(precision[p], minPrecision, maxPrecision);
            }

            GaussianNeuron.Gradient(inputs, mean, precision, target, gradient);
            for (int j = 0; j < M; j++)
            {
                w[j] -= 0.5f * gradient[j];
            }

            GaussianNeuron.Project(w, inputs, bound, minPrecision, maxPrecision, new float[M]);
            Assert.IsTrue(w.All(v => Math.Abs(v) <= bound), $"step {step}: weights {string.Join(", ", w)}");
            for (int p = 0; p < precisionRows; p++)
            {
                double lambda = w.Select((v, j) => (double)v * precisions[p * M + j]).Sum();
                Assert.IsTrue(lambda >= minPrecision * (1 - 1e-4) && lambda <= maxPrecision * (1 + 1e-4), $"step {step}, row {p}: precision {lambda}");
            }
        }
    }

    [TestMethod]
    public void RescalingIntoTheVarianceBoundsKeepsTheMean()
    {
        float[] means = [1f, 3f, -1f];
        float[] precisions = [2f, 1f, 4f];
        float[] w = [2f, -0.5f, 3f]; // Λ = 15.5, far above the cap of 2
        var inputs = new GaussianInputs(means, precisions, 3, 1);
        double[] before = new double[1], after = new double[1], precision = new double[1];
        GaussianNeuron.Predict(w, inputs, before, precision);
        GaussianNeuron.Project(w, inputs, 10f, 0.01, 2, new float[3]);
        GaussianNeuron.Predict(w, inputs, after, precision);
        Assert.AreEqual(2, precision[0], 1e-5);
        Assert.AreEqual(before[0], after[0], 1e-5);
    }
}
