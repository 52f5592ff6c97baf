using System.Diagnostics;
using Microsoft.ML.GatedLinear.Bernoulli;
using Microsoft.ML.GatedLinear.Data;
using Microsoft.ML.GatedLinear.Galu;
using Microsoft.ML.GatedLinear.Gaussian;
using Microsoft.ML.GatedLinear.Gon;
using Microsoft.ML.GatedLinear.Numerics;
using Microsoft.ML.GatedLinear.Training;
using static System.FormattableString;

namespace MLGated.Benchmarks;

/// <summary>
/// `throughput`: training speed of every model at fixed sizes on synthetic rows (no data folder needed): G-GLN updates
/// per second at three network sizes, B-GLN examples per second on MNIST-shaped rows (784 features, 10 classes, the
/// MNIST sample's network), GON images per second, deep GaLU examples per second. One untimed warm-up pass, then the
/// best of --repeats timed passes (the machine has other work; the best pass is the one least disturbed).
/// </summary>
internal static class ThroughputBenchmark
{
    public static int Run(BenchmarkArguments cl)
    {
        int repeats = cl.Int("repeats", 3);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(repeats, "--repeats");
        var table = new ResultTable("Training throughput (synthetic rows; a model uses both cores where it can: class networks, the G-GLN pipeline, large matrix products)", "model", "size", "rows", "unit", "per_second", "microseconds_each");
        var one = new OnlineTrainingOptions { Epochs = 1, ValidationFraction = 0, Seed = 1 };

        LabeledData<float> regression = Regression(8_000, 8);
        foreach ((int[] layers, int context) in new[] { (new[] { 32, 32, 1 }, 6), (new[] { 128, 64, 1 }, 6), (new[] { 512, 64, 1 }, 6) })
        {
            GaussianGlnOptions options = GaussianGlnOptions.ForData(regression.RowCount);
            options.LayerSizes = layers;
            options.ContextDimension = context;
            double seconds = Best(repeats, () => GaussianGlnRegressor.Create(8, 1, options).Fit(regression, one));
            Add(table, "G-GLN (ForData options)", Invariant($"[{string.Join(", ", layers)}], context {context}, 8 features"), regression.RowCount, "updates", seconds);
        }

        LabeledData<int> digits = Classes(6_000, 784, 10);
        var bernoulli = new BernoulliGlnOptions { LayerSizes = [128, 128, 1], ContextDimension = 4, Standardization = StandardizationMode.None, BaseModel = BaseModel.FeatureAsProbability };
        double bglnSeconds = Best(repeats, () => BernoulliGlnClassifier.Create(784, 10, bernoulli).Fit(digits, one));
        Add(table, "B-GLN one-vs-all", "10 × [128, 128, 1], context 4, 784 features", digits.RowCount, "examples", bglnSeconds);

        float[] images = Classes(2_000, 784, 10).Features.ToArray();
        var gon = new GonOptions { LatentDimension = 32, HiddenSizes = [256, 256], BatchSize = 64 };
        double gonSeconds = Best(repeats, () => GradientOriginNetwork.Create(784, gon).Fit(images, one));
        Add(table, "GON", "784 → latent 32, decoder [256, 256], batch 64", 2_000, "images", gonSeconds);

        LabeledData<int> pca = Classes(10_000, 64, 10);
        var galu = new GaluOptions { HiddenSizes = [96, 96], BatchSize = 64 };
        double galuSeconds = Best(repeats, () => DeepGaluNetwork.Create(64, 10, galu).Fit(pca, one));
        Add(table, "deep GaLU0 (Adam)", "64 → [96, 96] → 10, batch 64", pca.RowCount, "examples", galuSeconds);

        Console.WriteLine(table.ToMarkdown());
        if (cl.Text("json") is { } json)
        {
            table.WriteJson(json, Machine.Describe());
        }

        return 0;
    }

    private static void Add(ResultTable table, string model, string size, int rows, string unit, double seconds)
    {
        Console.Error.WriteLine(Invariant($"{model} {size}: {rows / seconds:0} {unit}/s"));
        table.Add(model, size, rows, unit, rows / seconds, 1e6 * seconds / rows);
    }

    private static double Best(int repeats, Action pass)
    {
        pass();
        double best = double.PositiveInfinity;
        for (int i = 0; i < repeats; i++)
        {
            var clock = Stopwatch.StartNew();
            pass();
            best = Math.Min(best, clock.Elapsed.TotalSeconds);
        }

        return best;
    }

    // y = sin(x₀) + x₁·x₂ + noise over standard normal features.
    private static LabeledData<float> Regression(int rows, int features)
    {
        var random = new SeededRandom(7);
        float[] x = Enumerable.Range(0, rows * features).Select(_ => (float)random.NextGaussian()).ToArray();
        float[] y = Enumerable.Range(0, rows).Select(i => (float)(Math.Sin(x[i * features]) + x[i * features + 1] * x[i * features + 2] + 0.1 * random.NextGaussian())).ToArray();
        return new LabeledData<float>(x, y, features);
    }

    // Pixel-like values in [0, 1] whose class shifts a band of features, so the classes are learnable.
    private static LabeledData<int> Classes(int rows, int features, int classes)
    {
        var random = new SeededRandom(9);
        int[] labels = Enumerable.Range(0, rows).Select(_ => random.NextInt(classes)).ToArray();
        var x = new float[rows * features];
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < features; j++)
            {
                bool band = j * classes / features == labels[i];
                x[i * features + j] = (float)Math.Clamp((band ? 0.6 : 0.2) + 0.2 * random.NextGaussian(), 0, 1);
            }
        }

        return new LabeledData<int>(x, labels, features);
    }
}
