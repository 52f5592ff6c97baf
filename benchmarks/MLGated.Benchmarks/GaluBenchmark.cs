using System.Diagnostics;
using Microsoft.ML.GatedLinear.Data;
using Microsoft.ML.GatedLinear.Galu;
using Microsoft.ML.GatedLinear.Numerics;
using Microsoft.ML.GatedLinear.Training;
using static System.FormattableString;
using MLGated.Lab;

namespace MLGated.Benchmarks;

/// <summary>
/// `galu`: the GaLU paper's MNIST experiment. Inputs reduced to 64 dimensions by PCA fitted on the training set;
/// two hidden GaLU0 layers (sigmoid gates) of k neurons trained by Adam on softmax cross-entropy; plus the
/// one-hidden-layer closed form (least squares on one-hot targets). Test error and wall time per configuration.
/// </summary>
internal static class GaluBenchmark
{
    public static int Run(BenchmarkArguments cl)
    {
        string directory = cl.Text("data") ?? throw new ArgumentException("galu needs --data DIR (the MNIST folder).");
        int epochs = cl.Int("epochs", 30), components = 64;
        int[] widths = cl.Ints("k", [64, 96]);
        var clock = Stopwatch.StartNew();
        var (train, test) = Mnist.Load(directory, deskew: false);
        PrincipalComponents pca = PrincipalComponents.Fit(train.Features, train.FeatureCount, components);
        float[] Project(LabeledData<int> data)
        {
            var projected = new float[data.RowCount * components];
            for (int i = 0; i < data.RowCount; i++)
            {
                pca.Project(data.Row(i), projected.AsSpan(i * components, components));
            }

            return projected;
        }

        float[] trainX = Project(train), testX = Project(test);
        Console.Error.WriteLine(Invariant($"MNIST loaded and projected to {components} PCA components in {clock.Elapsed.TotalSeconds:0.0} s."));
        var table = new ResultTable(Invariant($"GaLU on MNIST (PCA {components}), test error"), "model", "k", "epochs", "test_error", "paper_galu0_sigmoid", "paper_relu", "seconds");
        foreach (int k in widths)
        {
            (double paperGalu, double paperRelu) = k switch { 64 => (0.0322, 0.0267), 96 => (0.0281, 0.0218), _ => (double.NaN, double.NaN) };
            var network = DeepGaluNetwork.Create(components, 10, new GaluOptions { HiddenSizes = [k, k], Gate = GateKind.Sigmoid, Variant = GaluVariant.Galu0, LearningRate = cl.Double("lr", 1e-3), BatchSize = 64, Seed = 1 });
            var watch = Stopwatch.StartNew();
            TrainingHistory history = network.Fit(new LabeledData<int>(trainX, train.Labels.ToArray(), components), new OnlineTrainingOptions { Epochs = epochs, ValidationFraction = 0, Seed = 1 });
            for (int epoch = 5; epoch <= history.Epochs; epoch += 5)
            {
                Console.Error.WriteLine(Invariant($"  GaLU0 k={k} epoch {epoch}: training loss {history.TrainingLoss[epoch - 1]:0.0000}"));
            }

            table.Add("GaLU0-sigmoid, 2 hidden layers, Adam", k, epochs, Error(i => network.PredictClass(testX.AsSpan(i * components, components)), test), paperGalu, paperRelu, watch.Elapsed.TotalSeconds);
        }

        int closedK = cl.Int("closed-k", 64);
        var closedWatch = Stopwatch.StartNew();
        var closed = ClosedFormGalu.Create(components, 10, new GaluOptions { HiddenSizes = [closedK], Gate = GateKind.Sigmoid, Ridge = cl.Double("ridge", 1.0) });
        var oneHot = new float[train.RowCount * 10];
        for (int i = 0; i < train.RowCount; i++)
        {
            oneHot[i * 10 + train.Labels[i]] = 1;
        }

        closed.Fit(trainX, oneHot);
        table.Add("GaLU-sigmoid, 1 hidden layer, closed form (least squares on one-hot)", closedK, 0, Error(i => closed.PredictClass(testX.AsSpan(i * components, components)), test), double.NaN, double.NaN, closedWatch.Elapsed.TotalSeconds);
        Console.WriteLine(table.ToMarkdown());
        if (cl.Text("json") is { } json)
        {
            table.WriteJson(json, Machine.Describe());
        }

        return 0;
    }

    private static double Error(Func<int, int> predict, LabeledData<int> test)
        => (double)Enumerable.Range(0, test.RowCount).Count(i => predict(i) != test.Labels[i]) / test.RowCount;
}
