using System.Diagnostics;
using Microsoft.ML.GatedLinear.Bernoulli;
using Microsoft.ML.GatedLinear.Data;
using Microsoft.ML.GatedLinear.Training;
using MLGated.Lab;

namespace MLGated.Benchmarks;

/// <summary>
/// `mnist`: one pass of a one-vs-all B-GLN over the MNIST training set, then test accuracy.
/// Timing covers training only (data loading and deskewing are reported separately).
/// </summary>
internal static class MnistBenchmark
{
    public static int Run(BenchmarkArguments cl)
    {
        string directory = cl.Text("data") ?? throw new ArgumentException("mnist needs --data DIR (the folder with the four MNIST IDX files).");
        bool deskew = !cl.Flag("no-deskew");
        int limit = cl.Int("limit", int.MaxValue);
        var options = new BernoulliGlnOptions
        {
            LayerSizes = cl.Ints("layers", [128, 128, 1]),
            ContextDimension = cl.Int("context", 4),
            ShareHyperplanesAcrossClasses = !cl.Flag("per-class-hyperplanes"),
            Seed = cl.Int("seed", 1),
            // Defaults: the best configuration measured on MNIST (benchmarks/RESULTS.md): pixels used directly
            // as base probabilities, gating on raw pixels with hyperplanes through the origin.
            WeightBound = cl.Double("beta", new BernoulliGlnOptions().WeightBound),
            BaseModel = cl.Flag("sigmoid-base") ? BaseModel.StandardizedSigmoid : BaseModel.FeatureAsProbability,
            HyperplaneOffsetScale = cl.Double("offset-scale", 0),
            Standardization = Enum.Parse<StandardizationMode>(cl.Text("standardize", nameof(StandardizationMode.None)), ignoreCase: true),
            InputClipping = cl.Double("input-clip", 0.05),
            PredictionClipping = cl.Double("pred-clip", 0.001),
            LearningRate = ParseSchedule(cl.Text("lr", "inverse:1,0.07,0.003")),
            Initialization = Enum.Parse<WeightInitialization>(cl.Text("init", nameof(WeightInitialization.Average)), ignoreCase: true),
        };

        var load = Stopwatch.StartNew();
        var (train, test) = Mnist.Load(directory, deskew);
        if (limit < train.RowCount)
        {
            train = train.Select(Enumerable.Range(0, limit).ToArray());
        }

        load.Stop();
        Console.Error.WriteLine($"Loaded MNIST ({train.RowCount} train, {test.RowCount} test, deskewed: {deskew}) in {load.Elapsed.TotalSeconds:0.0} s.");

        var model = BernoulliGlnClassifier.Create(train.FeatureCount, 10, options);
        var training = new OnlineTrainingOptions { Epochs = 1, Shuffle = cl.Flag("shuffle"), Seed = options.Seed, BatchSize = cl.Int("batch", 256) };
        long lastPrinted = 0;
        training.Progress = new SynchronousProgress<TrainingProgress>(p =>
        {
            if (p.RowsSeen - lastPrinted >= 10000 || p.RowsSeen == p.TotalRows)
            {
                lastPrinted = p.RowsSeen;
                Console.Error.WriteLine($"  {p.RowsSeen}/{p.TotalRows} rows");
            }
        });
        var clock = Stopwatch.StartNew();
        model.Fit(train, training);
        clock.Stop();

        int correct = 0;
        var predicting = Stopwatch.StartNew();
        for (int i = 0; i < test.RowCount; i++)
        {
            correct += model.PredictClass(test.Row(i)) == test.Labels[i] ? 1 : 0;
        }

        predicting.Stop();
        Console.WriteLine($"Prediction, one row at a time (as a PredictionEngine does; the class networks on both cores): {test.RowCount / predicting.Elapsed.TotalSeconds:0} rows/s.");

        double accuracy = (double)correct / test.RowCount, seconds = clock.Elapsed.TotalSeconds;
        (long readPerUpdate, long written, long tables) = model.WeightTraffic();
        int chunk = Math.Min(training.BatchSize, BernoulliGlnClassifier.ChunkRows), batches = (train.RowCount + chunk - 1) / chunk;
        double rowBytes = readPerUpdate + (double)written / train.RowCount;
        double memoryBytes = 2.0 * tables * batches / train.RowCount, bandwidth = MemoryBandwidth.GigabytesPerSecond();
        double reached = memoryBytes * train.RowCount / seconds / 1e9;
        Console.WriteLine($"Weight rows touched: {readPerUpdate / 1e6:0.00} MB read and {written / (double)train.RowCount / 1e6:0.00} MB written per example " +
            $"({100.0 * written / ((double)readPerUpdate * train.RowCount):0} % of the rows read are written; the rest were right on the clip), " +
            $"from cache: a batch is learned four neurons at a time through all its rows, so each of the {tables / 1e6:0.0} MB of tables passes " +
            $"through memory at most once per {chunk} rows: {memoryBytes / 1e6:0.00} MB per example, {reached:0.0} GB/s over the pass, " +
            $"{100 * reached / bandwidth:0} % of the {bandwidth:0.0} GB/s a two-core a += s·b stream reaches from memory here.");
        var table = new ResultTable("B-GLN, MNIST, one pass", "network", "context", "hyperplanes", "base model", "standardization", "learning rate", "deskewed", "order", "accuracy", "seconds", "examples_per_second", "weight_mb_per_example", "memory_mb_per_example", "share_of_bandwidth");
        string network = $"10 × [{string.Join(", ", options.LayerSizes)}]";
        table.Add(network, options.ContextDimension, options.ShareHyperplanesAcrossClasses ? "shared" : "per class", options.BaseModel, options.Standardization, cl.Text("lr", "inverse:1,0.07,0.003"), deskew, training.Shuffle ? $"shuffled (seed {training.Seed})" : "file order", accuracy, seconds, train.RowCount / seconds, rowBytes / 1e6, memoryBytes / 1e6, reached / bandwidth);
        Console.WriteLine(table.ToMarkdown());
        if (cl.Text("json") is { } json)
        {
            table.WriteJson(json, Machine.Describe());
        }

        return 0;
    }

    /// <summary>"const:η0", "sqrt:η0", "inverse:η0,δ,ηmax", "harmonic:η0,ηmax".</summary>
    internal static LearningRateSchedule ParseSchedule(string text)
    {
        string[] parts = text.Split(':');
        double[] p = parts[1].Split(',').Select(s => double.Parse(s, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        return parts[0] switch
        {
            "const" => LearningRateSchedule.Constant(p[0]),
            "sqrt" => LearningRateSchedule.InverseSquareRoot(p[0]),
            "inverse" => LearningRateSchedule.CappedInverse(p[0], p[1], p[2]),
            "harmonic" => LearningRateSchedule.CappedHarmonic(p[0], p[1]),
            _ => throw new ArgumentException($"Unknown schedule '{parts[0]}'."),
        };
    }
}

/// <summary>An IProgress that reports on the caller's thread (Progress&lt;T&gt; would post to the thread pool).</summary>
internal sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
