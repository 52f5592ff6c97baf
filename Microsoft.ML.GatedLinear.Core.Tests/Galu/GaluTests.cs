using Microsoft.ML.GatedLinear.Data;
using Microsoft.ML.GatedLinear.Galu;
using Microsoft.ML.GatedLinear.Numerics;
using Microsoft.ML.GatedLinear.Training;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.GatedLinear.Tests.Galu;

[TestClass]
public class GaluTests
{
    private static float[] Gaussians(int count, SeededRandom random) => Enumerable.Range(0, count).Select(_ => (float)random.NextGaussian()).ToArray();

    [TestMethod]
    public void DeepGaluOnUnscaledFeaturesStopsWithAClearErrorInsteadOfTrainingToNaN()
    {
        // Features at float's limit: the first layer's sums overflow, and Adam would write NaN into every weight.
        var random = new Random(3);
        float[] rows = Enumerable.Range(0, 200 * 3).Select(_ => (random.Next(2) * 2 - 1) * float.MaxValue).ToArray();
        var data = new LabeledData<int>(rows, Enumerable.Range(0, 200).Select(i => i % 2).ToArray(), 3);
        var network = DeepGaluNetwork.Create(3, 2, new GaluOptions { HiddenSizes = [8, 8] });
        var error = Assert.ThrowsExactly<InvalidOperationException>(() => network.Fit(data, new OnlineTrainingOptions { Epochs = 1 }));
        StringAssert.Contains(error.Message, "diverged");
        StringAssert.Contains(error.Message, "normalize");
        var outputs = new float[2];
        network.Predict([1, 2, 3], outputs);
        Assert.IsTrue(outputs.All(float.IsFinite), "the refused step left the weights as they were");
    }

    [TestMethod]
    public void DeepGaluPredictionNamesABadFeatureOrLength()
    {
        var network = DeepGaluNetwork.Create(3, 2, new GaluOptions { HiddenSizes = [5, 4] });
        var outputs = new float[2];
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => network.Predict([1, float.NaN, 0], outputs)).Message, "feature 1");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => network.Predict([1, 2], outputs)).Message, "expects 3");
        Assert.ThrowsExactly<ArgumentException>(() => network.PredictClass([float.PositiveInfinity, 0, 0]));
    }

    [TestMethod]
    public void TheClosedFormEqualsGradientDescentRunToConvergence()
    {
        var random = new SeededRandom(1);
        const int n = 200, d = 3;
        float[] x = Gaussians(n * d, random);
        float[] y = Enumerable.Range(0, n).Select(i => (float)(Math.Sin(x[i * d]) + x[i * d + 1] * x[i * d + 2])).ToArray();
        var model = ClosedFormGalu.Create(d, 1, new GaluOptions { HiddenSizes = [4], Ridge = 0.5 });
        model.Fit(x, y);

        // Gradient descent on the same objective ½‖Φw − y‖² + ½λ‖w‖².
        int p = model.FeatureCount;
        var phi = new float[n * p];
        for (int i = 0; i < n; i++)
        {
            model.FeatureMap(x.AsSpan(i * d, d), phi.AsSpan(i * p, p));
        }

        var w = new double[p];
        var gradient = new double[p];
        for (int step = 0; step < 20_000; step++)
        {
            Array.Fill(gradient, 0);
            for (int i = 0; i < n; i++)
            {
                double residual = -y[i];
                for (int j = 0; j < p; j++)
                {
                    residual += phi[i * p + j] * w[j];
                }

                for (int j = 0; j < p; j++)
                {
                    gradient[j] += residual * phi[i * p + j];
                }
            }

            for (int j = 0; j < p; j++)
            {
                w[j] -= 0.002 * (gradient[j] + 0.5 * w[j]);
            }
        }

        for (int j = 0; j < p; j++)
        {
            Assert.AreEqual(w[j], model.Weights[j], 1e-3, $"weight {j}");
        }
    }

    [TestMethod]
    public void TheRidgeChosenOnHeldOutRowsIsTheStrongestForNoiseAndWeakForASmoothTarget()
    {
        var random = new SeededRandom(7);
        const int n = 300, m = 100, d = 3;
        float[] x = Gaussians((n + m) * d, random);
        float[] smooth = Enumerable.Range(0, n + m).Select(i => (float)(Math.Sin(x[i * d]) + x[i * d + 1] * x[i * d + 2])).ToArray();
        float[] noise = Gaussians(n + m, random);
        double[] grid = ClosedFormGalu.RidgeGrid(n).ToArray();
        double Chosen(float[] y)
        {
            var model = ClosedFormGalu.Create(d, 1, new GaluOptions { HiddenSizes = [16] });
            model.Accumulate(x.AsSpan(0, n * d), y.AsSpan(0, n));
            LeastSquaresSolution solution = model.SolveChoosingRidge(x.AsSpan(n * d), y.AsSpan(n));
            Assert.AreEqual(solution.Ridge, model.Options.Ridge, "the model's options record the ridge used");
            Assert.IsTrue(model.HeldOutLoss > 0 && double.IsFinite(model.HeldOutLoss));
            return solution.Ridge;
        }

        Assert.AreEqual(grid[^1], Chosen(noise), 1e-9 * grid[^1], "pure noise: the strongest ridge");
        double forSmooth = Chosen(smooth);
        Assert.IsTrue(forSmooth <= grid[^4], $"a smooth target: a weak ridge (chose {forSmooth}, grid {string.Join(", ", grid)})");

        var empty = ClosedFormGalu.Create(d, 1, new GaluOptions { HiddenSizes = [16] });
        Assert.ThrowsExactly<InvalidOperationException>(() => empty.SolveChoosingRidge(x.AsSpan(0, 2 * d), smooth.AsSpan(0, 2)));
        empty.Accumulate(x.AsSpan(0, n * d), smooth.AsSpan(0, n));
        Assert.ThrowsExactly<ArgumentException>(() => empty.SolveChoosingRidge(x.AsSpan(0, d), smooth.AsSpan(0, 1)));
    }

    [TestMethod]
    public void ExclusiveGatesEqualLeastSquaresPerRegion()
    {
        var random = new SeededRandom(2);
        const int n = 600, d = 2, k = 3;
        float[] x = Gaussians(n * d, random);
        float[] y = Enumerable.Range(0, n).Select(i => (float)(x[i * d] * x[i * d] + random.NextGaussian() * 0.1)).ToArray();
        var model = ClosedFormGalu.Create(d, 1, new GaluOptions { HiddenSizes = [k], ExclusiveGates = true, Ridge = 0 });
        model.Fit(x, y);

        for (int region = 0; region < k; region++)
        {
            // Ordinary least squares of y on [x, 1] over this region's rows alone.
            var equations = new NormalEquations(d + 1, 1);
            int rows = 0;
            for (int i = 0; i < n; i++)
            {
                if (model.Winner(x.AsSpan(i * d, d)) == region)
                {
                    equations.Add([x[i * d], x[i * d + 1], 1f], [y[i]]);
                    rows++;
                }
            }

            Assert.IsTrue(rows > 20, $"region {region} has {rows} rows");
            double[] ols = equations.Solve(0).Weights;
            for (int j = 0; j <= d; j++)
            {
                Assert.AreEqual(ols[j], model.Weights[region * (d + 1) + j], 1e-3, $"region {region}, weight {j}");
            }
        }
    }

    [TestMethod]
    public void RandomLabelsLeaveOneMinusRankOverMOfTheirVariance()
    {
        // Theorem 1 of the GaLU paper: E[min_w L_S(w)] = 1 − rank/m for y ~ N(0, I).
        const int m = 400, d = 4, k = 12;
        var losses = new List<double>();
        int rank = 0;
        for (int seed = 1; seed <= 5; seed++)
        {
            var random = new SeededRandom(seed);
            float[] x = Gaussians(m * d, random), y = Gaussians(m, random);
            var model = ClosedFormGalu.Create(d, 1, new GaluOptions { HiddenSizes = [k], Gate = GateKind.Step, Ridge = 0, Seed = seed });
            LeastSquaresSolution solution = model.Fit(x, y);
            rank = model.FeatureRank(x);
            losses.Add(solution.TrainingLoss * m / y.Sum(v => (double)v * v));
        }

        Assert.AreEqual(k * (d + 1), rank, "with random inputs Φ has full column rank");
        double expected = 1 - (double)rank / m, mean = losses.Average();
        // Each loss is a χ²_{m−r}/‖y‖² ratio: its standard deviation is about sqrt(2(m − r))/m ≈ 0.06; five runs ≈ 0.027.
        Assert.AreEqual(expected, mean, 0.06, $"losses {string.Join(", ", losses.Select(l => l.ToString("0.000")))}");
    }

    [TestMethod]
    [DataRow(GaluVariant.Galu0, GateKind.Sigmoid)]
    [DataRow(GaluVariant.Galu, GateKind.Sigmoid)]
    [DataRow(GaluVariant.Galu0, GateKind.Step)]
    public void DeepGradientsMatchFiniteDifferences(GaluVariant variant, GateKind gate)
    {
        var random = new SeededRandom(3);
        float[] x = Gaussians(4 * 3, random), y = [0.7f, -0.2f, 1.1f, 0.3f];
        var network = DeepGaluNetwork.Create(3, 1, new GaluOptions { HiddenSizes = [5, 4], Variant = variant, Gate = gate });
        double Loss()
        {
            double total = 0;
            var output = new float[1];
            for (int i = 0; i < 4; i++)
            {
                network.Predict(x.AsSpan(i * 3, 3), output);
                total += 0.5 * (output[0] - y[i]) * (output[0] - y[i]);
            }

            return total / 4;
        }

        double[] gradient = network.RegressionGradient(x, y);
        const float h = 1e-2f;
        for (int j = 0; j < network.ParameterCount; j++)
        {
            float saved = network.Parameters[j];
            network.Parameters[j] = saved + h;
            double up = Loss();
            network.Parameters[j] = saved - h;
            double down = Loss();
            network.Parameters[j] = saved;
            double numeric = (up - down) / (2 * h);
            Assert.AreEqual(numeric, gradient[j], 2e-3 * (1 + Math.Abs(numeric)), $"parameter {j}");
        }
    }

    [TestMethod]
    [DataRow(GaluVariant.Galu0, GateKind.Sigmoid)]
    [DataRow(GaluVariant.Galu, GateKind.Sigmoid)]
    [DataRow(GaluVariant.Galu, GateKind.Step)]
    public void ABatchGradientIsTheMeanOfItsRowsGradients(GaluVariant variant, GateKind gate)
    {
        // Sizes off the products' 4-row and 16-column tiles, so every edge case of the batched kernels runs.
        const int rows = 37, d = 19;
        var random = new SeededRandom(4);
        float[] x = Gaussians(rows * d, random), y = Gaussians(rows * 2, random);
        var network = DeepGaluNetwork.Create(d, 2, new GaluOptions { HiddenSizes = [20, 17], Variant = variant, Gate = gate });
        double[] batch = network.RegressionGradient(x, y);
        var mean = new double[batch.Length];
        for (int i = 0; i < rows; i++)
        {
            double[] row = network.RegressionGradient(x.AsSpan(i * d, d), y.AsSpan(i * 2, 2));
            for (int j = 0; j < mean.Length; j++)
            {
                mean[j] += row[j] / rows;
            }
        }

        double scale = mean.Max(Math.Abs);
        for (int j = 0; j < mean.Length; j++)
        {
            Assert.AreEqual(mean[j], batch[j], 1e-5 * scale, $"parameter {j}");
        }
    }

    [TestMethod]
    [DataRow(100L, 64, 4)]
    [DataRow(1_000L, 64, 7)]
    [DataRow(8_191L, 64, 63)]
    [DataRow(8_192L, 64, 64)]
    [DataRow(1_000_000L, 64, 64)]
    [DataRow(100L, 2, 2)]
    [DataRow(1_000_000L, 500, 500)]
    public void AdamBatchesShrinkOnSmallDataSoAnEpochStillMakesAboutOneHundredTwentyEightSteps(long learnedRows, int largestBatch, int expected)
        => Assert.AreEqual(expected, DeepGaluNetwork.MiniBatchRows(learnedRows, largestBatch));

    [TestMethod]
    public void FitTakesOneAdamStepPerBatchOfTheRule()
    {
        // 300 rows: batches of 4 (300 / 128 is below the smallest batch), so three epochs make 3 × 75 steps; batches of
        // the largest size, 64, would have made 3 × 5.
        var random = new SeededRandom(6);
        float[] x = Gaussians(300 * 2, random);
        int[] labels = Enumerable.Range(0, 300).Select(i => x[2 * i] > 0 ? 1 : 0).ToArray();
        var network = DeepGaluNetwork.Create(2, 2, new GaluOptions { HiddenSizes = [8, 8] });
        network.Fit(new LabeledData<int>(x, labels, 2), new OnlineTrainingOptions { Epochs = 3, ValidationFraction = 0, Seed = 1 });
        Assert.AreEqual(225, network.Steps);
    }

    [TestMethod]
    public void DeepGalu0LearnsANonlinearClassificationProblem()
    {
        var random = new SeededRandom(4);
        const int n = 2000;
        float[] x = Gaussians(n * 2, random);
        int[] labels = Enumerable.Range(0, n).Select(i => x[2 * i] * x[2 * i + 1] > 0 ? 1 : 0).ToArray();
        var network = DeepGaluNetwork.Create(2, 2, new GaluOptions { HiddenSizes = [32, 32], LearningRate = 0.01 });
        network.Fit(new LabeledData<int>(x, labels, 2), new OnlineTrainingOptions { Epochs = 20, Seed = 5 });

        int correct = Enumerable.Range(0, n).Count(i => network.PredictClass(x.AsSpan(2 * i, 2)) == labels[i]);
        Assert.IsTrue(correct > 0.95 * n, $"XOR training accuracy {correct / (double)n}");
    }

    [TestMethod]
    public void AlternatingConvexSearchNeverRaisesTheLossAndFitsWell()
    {
        var random = new SeededRandom(8);
        const int n = 400, d = 3;
        float[] x = Gaussians(n * d, random);
        float[] y = Enumerable.Range(0, n).Select(i => (float)(Math.Sin(2 * x[i * d]) + x[i * d + 1] * x[i * d + 2])).ToArray();
        var network = DeepGaluNetwork.Create(d, 1, new GaluOptions { HiddenSizes = [12, 8] });
        double[] losses = network.FitAlternating(x, y, sweeps: 4, ridge: 1e-6);

        Assert.AreEqual(12, losses.Length);
        for (int k = 1; k < losses.Length; k++)
        {
            Assert.IsTrue(losses[k] <= losses[k - 1] * (1 + 1e-4) + 1e-9, $"solve {k}: {losses[k - 1]} → {losses[k]}");
        }

        // The reported loss is the network's own loss after the last solve.
        var output = new float[1];
        double mse = 0;
        for (int i = 0; i < n; i++)
        {
            network.Predict(x.AsSpan(i * d, d), output);
            mse += (output[0] - y[i]) * (output[0] - y[i]);
        }

        Assert.AreEqual(losses[^1], mse / n, 1e-3);
        Assert.IsTrue(losses[^1] < 0.1 * y.Average(v => v * v), $"final loss {losses[^1]}");
    }

    [TestMethod]
    public void TheSameSeedGivesTheSameNetwork()
    {
        var random = new SeededRandom(6);
        float[] x = Gaussians(300 * 2, random);
        int[] labels = Enumerable.Range(0, 300).Select(i => x[2 * i] > 0 ? 1 : 0).ToArray();
        float[] Outputs(int seed)
        {
            var network = DeepGaluNetwork.Create(2, 2, new GaluOptions { HiddenSizes = [8, 8], Seed = seed });
            network.Fit(new LabeledData<int>(x, labels, 2), new OnlineTrainingOptions { Seed = seed });
            var output = new float[2];
            network.Predict([0.3f, -0.4f], output);
            return output;
        }

        CollectionAssert.AreEqual(Outputs(1), Outputs(1));
        CollectionAssert.AreNotEqual(Outputs(1), Outputs(2));
    }

    [TestMethod]
    public void BothModelsRoundTripThroughTheModelFormat()
    {
        var random = new SeededRandom(7);
        float[] x = Gaussians(300 * 3, random);
        float[] y = Enumerable.Range(0, 300).Select(i => x[3 * i] - x[3 * i + 2]).ToArray();
        int[] labels = y.Select(v => v > 0 ? 1 : 0).ToArray();
        var closed = ClosedFormGalu.Create(3, 1, new GaluOptions { HiddenSizes = [6] });
        closed.Fit(x, y);
        var deep = DeepGaluNetwork.Create(3, 2, new GaluOptions { HiddenSizes = [6, 5], Variant = GaluVariant.Galu });
        deep.Fit(new LabeledData<int>(x, labels, 3));

        using var closedFile = new MemoryStream();
        closed.Save(closedFile);
        closedFile.Position = 0;
        ClosedFormGalu closedCopy = ClosedFormGalu.Load(closedFile);
        using var deepFile = new MemoryStream();
        deep.Save(deepFile);
        deepFile.Position = 0;
        DeepGaluNetwork deepCopy = DeepGaluNetwork.Load(deepFile);

        float[] a = new float[2], b = new float[2];
        for (int i = 0; i < 20; i++)
        {
            closed.Predict(x.AsSpan(3 * i, 3), a.AsSpan(0, 1));
            closedCopy.Predict(x.AsSpan(3 * i, 3), b.AsSpan(0, 1));
            Assert.AreEqual(a[0], b[0]);
            deep.Predict(x.AsSpan(3 * i, 3), a);
            deepCopy.Predict(x.AsSpan(3 * i, 3), b);
            CollectionAssert.AreEqual(a, b);
        }

        byte[] corrupted = deepFile.ToArray();
        corrupted[corrupted.Length / 2] ^= 0x10;
        Assert.ThrowsExactly<GatedLinear.Persistence.ModelFormatException>(() => DeepGaluNetwork.Load(new MemoryStream(corrupted)));
    }

    [TestMethod]
    public void BadInputIsRejected()
    {
        var model = ClosedFormGalu.Create(2, 1);
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => model.Fit([1f, float.NaN], [1f])).Message, "feature 1");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => model.Fit([1f, 2f], [float.NaN])).Message, "non-finite target");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => model.Fit([], [])).Message, "no rows");
        Assert.Throws<ArgumentException>(() => ClosedFormGalu.Create(2, 1, new GaluOptions { HiddenSizes = [] }));
        Assert.Throws<ArgumentException>(() => ClosedFormGalu.Create(2, 1, new GaluOptions { HiddenSizes = [4, 4], ExclusiveGates = true }));
    }
}
