using Microsoft.ML.GatedLinear.Gaussian;
using Microsoft.ML.GatedLinear.Numerics;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.GatedLinear.Tests.Gaussian;

/// <summary>The fused scalar-target step and its eight-lane form against the plain rules they fuse.</summary>
[TestClass]
public class FusedGaussianStepTests
{
    private static readonly GaussianConstraints Constraints = new(WeightBound: 3f, MinPrecision: 1 / 50.0, MaxPrecision: 1 / 0.01, MeanBound: 5, MaxGradientNorm: 1f);

    private static GaussianInputs RandomInputs(int m, SeededRandom random)
    {
        float[] means = Enumerable.Range(0, m).Select(_ => (float)(2 * random.NextGaussian())).ToArray();
        float[] precisions = Enumerable.Range(0, m).Select(_ => (float)(0.2 + 3 * random.NextDouble())).ToArray();
        return new GaussianInputs(means, precisions, m, 1);
    }

    [TestMethod]
    public void TheNormFromTheInputsMomentsIsTheGradientsNorm()
    {
        var random = new SeededRandom(3);
        GaussianInputs inputs = RandomInputs(514, random);
        GradientMoments moments = GradientMoments.Of(inputs);
        var gradient = new float[514];
        foreach ((double mean, double precision, float target) in new[] { (0.3, 2.0, 1.5f), (-4.0, 0.05, 3f), (1.0, 90.0, 1.0001f) })
        {
            GaussianNeuron.Gradient(inputs, [mean], [precision], [target], gradient);
            double e = target - mean, c = (e * e - 1 / precision) / 2 + e * mean;
            double norm = Math.Sqrt(gradient.Sum(g => (double)g * g));
            Assert.AreEqual(norm, Math.Sqrt(moments.SquaredNorm(c, e)), 1e-5 * norm + 1e-4, $"μ = {mean}, Λ = {precision}, y = {target}");
        }
    }

    [TestMethod]
    [DataRow(6, DisplayName = "a first layer's row")]
    [DataRow(26, DisplayName = "three vectors and a tail")]
    [DataRow(130, DisplayName = "a row over 128 neurons")]
    public void TheFusedStepIsOutputThenUpdate(int m)
    {
        var random = new SeededRandom(m);
        for (int trial = 0; trial < 50; trial++)
        {
            GaussianInputs inputs = RandomInputs(m, random);
            float[] fused = Enumerable.Range(0, m).Select(_ => (float)(0.5 * random.NextGaussian() / Math.Sqrt(m) + 1.0 / m)).ToArray();
            float[] plain = (float[])fused.Clone();
            float target = (float)(3 * random.NextGaussian()), rate = trial % 2 == 0 ? 0.01f : 0.5f;

            (double mean, double precision) = GaussianNeuron.OutputAndUpdate(fused, inputs, GradientMoments.Of(inputs), target, rate, Constraints, new float[m]);
            double[] plainMean = new double[1], plainPrecision = new double[1];
            GaussianNeuron.Output(plain, inputs, Constraints, plainMean, plainPrecision);
            GaussianNeuron.Update(plain, inputs, plainMean, plainPrecision, [target], rate, Constraints, new float[m], new float[m]);

            Assert.AreEqual(plainMean[0], mean, 1e-4 * (1 + Math.Abs(mean)), $"trial {trial}: mean");
            Assert.AreEqual(plainPrecision[0], precision, 1e-4 * precision, $"trial {trial}: precision");
            for (int j = 0; j < m; j++)
            {
                Assert.AreEqual(plain[j], fused[j], 1e-4f * (1 + Math.Abs(plain[j])), $"trial {trial}: w[{j}]");
            }
        }
    }

    [TestMethod]
    [DataRow(6, DisplayName = "4 features and 2 biases")]
    [DataRow(15, DisplayName = "13 features and 2 biases")]
    [DataRow(16, DisplayName = "two whole vectors")]
    [DataRow(18, DisplayName = "16 features and 2 biases: two vectors and a tail")]
    [DataRow(24, DisplayName = "three whole vectors")]
    [DataRow(31, DisplayName = "three vectors and a tail of seven")]
    [DataRow(34, DisplayName = "32 neurons and 2 biases: four vectors and a tail")]
    [DataRow(39, DisplayName = "the longest row in lanes")]
    public void EightNeuronsInLanesEndWhereEachAloneWould(int m)
    {
        // Vector256 runs in software where the hardware lacks it, so this checks the kernel on every machine.
        const int rowCount = 40;
        int atAPrecisionBound = 0;
        var random = new SeededRandom(11);
        float[] weights = Enumerable.Range(0, rowCount * m).Select(_ => (float)(random.NextGaussian() / m + 1.0 / m)).ToArray();
        for (int trial = 0; trial < 200; trial++)
        {
            GaussianInputs inputs = RandomInputs(m, random);
            GradientMoments moments = GradientMoments.Of(inputs);
            int[] rowStarts = Enumerable.Range(0, GaussianNeuron.Lanes).Select(l => (trial * 7 + l * 5) % rowCount * m).ToArray();
            // Large steps and far targets drive some rows out of the precision range, so the projection and rescaling run too
            // (a capped step spreads over the row, so longer rows take larger ones to reach the box).
            float target = (float)(trial % 5 == 0 ? 40 * random.NextGaussian() : random.NextGaussian()), rate = trial % 3 == 0 ? m / 3f : 0.05f;

            float[] alone = (float[])weights.Clone();
            var expectedMeans = new float[GaussianNeuron.Lanes];
            var expectedPrecisions = new float[GaussianNeuron.Lanes];
            for (int l = 0; l < GaussianNeuron.Lanes; l++)
            {
                (double mean, double precision) = GaussianNeuron.OutputAndUpdate(alone.AsSpan(rowStarts[l], m), inputs, moments, target, rate, Constraints, new float[m]);
                expectedMeans[l] = (float)Math.Clamp(mean, -Constraints.MeanBound, Constraints.MeanBound);
                expectedPrecisions[l] = (float)precision;
            }

            var means = new float[GaussianNeuron.Lanes];
            var precisions = new float[GaussianNeuron.Lanes];
            GaussianNeuron.OutputAndUpdateLanes(weights, rowStarts, inputs, moments, target, rate, Constraints, means, precisions, new float[m]);

            CollectionAssert.AreEqual(expectedMeans, means, $"trial {trial}: means");
            CollectionAssert.AreEqual(expectedPrecisions, precisions, $"trial {trial}: precisions");
            CollectionAssert.AreEqual(alone, weights, $"trial {trial}: weights");
            foreach (int start in rowStarts)
            {
                double lambda = 0;
                for (int j = 0; j < m; j++)
                {
                    lambda += (double)weights[start + j] * inputs.Precisions[j];
                }

                atAPrecisionBound += Math.Abs(lambda / Constraints.MaxPrecision - 1) < 1e-4 || Math.Abs(lambda / Constraints.MinPrecision - 1) < 1e-4 ? 1 : 0;
            }
        }

        Assert.IsTrue(weights.Any(w => Math.Abs(w) == Constraints.WeightBound), "no step reached the weight box");
        Assert.IsTrue(atAPrecisionBound > 0, "no step was rescaled into the precision range");
    }

    [TestMethod]
    [DataRow(40, -1, DisplayName = "before the weights")]
    [DataRow(40, 35, DisplayName = "running past their end")]
    [DataRow(3, 0, DisplayName = "weights shorter than a row")]
    public void LanesRefuseARowOutsideTheWeights(int weightCount, int start)
    {
        // The lanes read and write without bounds checks, so every row is checked first: nothing is read or written.
        const int m = 6;
        var random = new SeededRandom(3);
        float[] weights = Enumerable.Repeat(1f / m, weightCount).ToArray();
        int[] rowStarts = [.. Enumerable.Range(0, GaussianNeuron.Lanes - 1).Select(l => l * m % Math.Max(weightCount - m + 1, 1)), start];
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() =>
        {
            GaussianInputs inputs = RandomInputs(m, random);
            GaussianNeuron.OutputAndUpdateLanes(weights, rowStarts, inputs, GradientMoments.Of(inputs), 1f, 0.1f, Constraints, new float[8], new float[8], new float[m]);
        });
        Assert.IsTrue(weights.All(w => w == 1f / m), "a refused step changed the weights");
    }
}
