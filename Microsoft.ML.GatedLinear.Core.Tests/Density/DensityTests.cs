using Microsoft.ML.GatedLinear.Density;
using Microsoft.ML.GatedLinear.Gaussian;
using Microsoft.ML.GatedLinear.Numerics;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.GatedLinear.Tests.Density;

[TestClass]
public class DensityTests
{
    [TestMethod]
    public void TheScoreOfADenoiserTrainedOnOneClusterPointsTowardIt()
    {
        double[] centre = [2, -1];
        var random = new SeededRandom(1);
        var model = new DenoisingDensityModel(2, noiseVariance: 0.25, new GaussianGlnOptions { Precision = GaussianPrecision.Isotropic });
        for (int i = 0; i < 4000; i++)
        {
            model.Learn([(float)(centre[0] + 0.1 * random.NextGaussian()), (float)(centre[1] + 0.1 * random.NextGaussian())]);
        }

        int towards = 0;
        var score = new double[2];
        for (int k = 0; k < 100; k++)
        {
            double angle = 2 * Math.PI * k / 100;
            double[] point = [centre[0] + 0.8 * Math.Cos(angle), centre[1] + 0.8 * Math.Sin(angle)];
            model.Score(point, score);
            towards += score[0] * (centre[0] - point[0]) + score[1] * (centre[1] - point[1]) > 0 ? 1 : 0;
        }

        Assert.IsTrue(towards >= 95, $"{towards} of 100 scores point toward the cluster");

        double[] start = [centre[0] + 0.6, centre[1] - 0.5];
        model.DenoiseRepeatedly(start, steps: 5);
        Assert.IsTrue(Math.Abs(start[0] - centre[0]) + Math.Abs(start[1] - centre[1]) < 0.4, $"denoised to ({start[0]}, {start[1]})");
    }

    [TestMethod]
    public void HamiltonianSamplingReproducesAKnownGaussian()
    {
        double[] mean = [1, -2], variance = [0.5, 2];
        var sampler = new HamiltonianSampler((x, g) =>
        {
            for (int j = 0; j < 2; j++)
            {
                g[j] = -(x[j] - mean[j]) / variance[j];
            }
        }, stepSize: 0.1, leapfrogSteps: 10, seed: 3);

        const int count = 20_000;
        double[] samples = sampler.Sample([0.0, 0.0], count);
        for (int j = 0; j < 2; j++)
        {
            double m = 0, v = 0;
            for (int n = 1000; n < count; n++)
            {
                m += samples[n * 2 + j];
            }

            m /= count - 1000;
            for (int n = 1000; n < count; n++)
            {
                v += Math.Pow(samples[n * 2 + j] - m, 2);
            }

            v /= count - 1001;
            Assert.AreEqual(mean[j], m, 0.1, $"mean {j}");
            Assert.AreEqual(variance[j], v, 0.15 * variance[j], $"variance {j}");
        }
    }
}
