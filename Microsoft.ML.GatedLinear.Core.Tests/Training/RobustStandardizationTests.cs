using Microsoft.ML.GatedLinear.Bernoulli;
using Microsoft.ML.GatedLinear.Gaussian;
using Microsoft.ML.GatedLinear.Numerics;
using Microsoft.ML.GatedLinear.Training;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.GatedLinear.Tests.Training;

/// <summary>One extreme row in an online stream: its effect on the running statistics fades instead of lasting for good.</summary>
[TestClass]
public class RobustStandardizationTests
{
    private const int Before = 2_000, After = 10_000;

    // x ~ N(0, 1)³, y = x₀ − x₂ + N(0, 0.1²).
    private static (float[] X, float[] Y) Stream(int rows, int seed)
    {
        var random = new SeededRandom(seed);
        float[] x = Enumerable.Range(0, rows * 3).Select(_ => (float)random.NextGaussian()).ToArray();
        float[] y = Enumerable.Range(0, rows).Select(i => (float)(x[3 * i] - x[3 * i + 2] + 0.1 * random.NextGaussian())).ToArray();
        return (x, y);
    }

    [TestMethod]
    public void TheStatisticsRecoverFromOneExtremeValue()
    {
        var standardizer = FeatureStandardizer.CreateOnline(1);
        var random = new SeededRandom(3);
        for (int i = 0; i < Before + After; i++)
        {
            standardizer.Observe([i == Before ? 1e30f : (float)random.NextGaussian()]);
        }

        Assert.IsTrue(Math.Abs(standardizer.Center(0)) < 0.1, $"mean {standardizer.Center(0)}");
        Assert.IsTrue(standardizer.Scale(0) is > 0.9 and < 1.15, $"standard deviation {standardizer.Scale(0)}");
    }

    [TestMethod]
    public void OneExtremeTargetDoesNotRuinAGaussianGlnForGood()
    {
        (float[] x, float[] y) = Stream(Before + After, 1);
        (float[] testX, float[] testY) = Stream(1_000, 2);
        double Rmse(bool extreme)
        {
            var model = GaussianGlnRegressor.Create(3, 1);
            for (int i = 0; i < Before + After; i++)
            {
                model.Learn(x.AsSpan(3 * i, 3), extreme && i == Before ? 1e30f : y[i]);
            }

            return Math.Sqrt(Enumerable.Range(0, testY.Length).Average(i => Math.Pow(model.Predict(testX.AsSpan(3 * i, 3)).Mean - testY[i], 2)));
        }

        double clean = Rmse(false), hit = Rmse(true);
        Assert.IsTrue(hit < 1.1 * clean, $"RMSE {hit:0.####} after one target of 1e30 against {clean:0.####} without it");
    }

    [TestMethod]
    public void OneExtremeFeatureDoesNotRuinABernoulliGlnForGood()
    {
        (float[] x, float[] y) = Stream(Before + After, 4);
        (float[] testX, float[] testY) = Stream(1_000, 5);
        double LogLoss(bool extreme)
        {
            var model = BernoulliGlnClassifier.Create(3, 2);
            for (int i = 0; i < Before + After; i++)
            {
                float[] row = x[(3 * i)..(3 * i + 3)];
                if (extreme && i == Before)
                {
                    row[0] = 1e30f;
                }

                model.Learn(row, y[i] > 0 ? 1 : 0);
            }

            return Enumerable.Range(0, testY.Length).Average(i =>
            {
                double p = model.PredictProbability(testX.AsSpan(3 * i, 3));
                return -Math.Log(testY[i] > 0 ? p : 1 - p);
            });
        }

        double clean = LogLoss(false), hit = LogLoss(true);
        Assert.IsTrue(hit < 1.1 * clean, $"log loss {hit:0.####} after one feature of 1e30 against {clean:0.####} without it");
    }
}
