using System.Diagnostics;
using Microsoft.ML.GatedLinear.Bernoulli;
using Microsoft.ML.GatedLinear.Data;
using Microsoft.ML.GatedLinear.Training;
using MLGated.Lab;

// MNIST in one pass: a one-vs-all B-GLN (10 × [128, 128, 1]) sees each training image once, then is tested.
// Usage: dotnet run -c Release --project samples/MnistOnePass -- MNIST_DIR   (the folder with the four IDX files)
string directory = args.Length > 0 ? args[0] : Path.Combine("..", "shared", "data", "mnist");
if (!Directory.Exists(directory))
{
    Console.Error.WriteLine($"No MNIST folder at {Path.GetFullPath(directory)}. Usage: dotnet run -c Release --project samples/MnistOnePass -- MNIST_DIR (the four IDX files, optionally .gz).");
    return 2;
}

Console.WriteLine($"Loading and deskewing MNIST from {directory}…");
LabeledData<int> train, test;
try
{
    (train, test) = Mnist.Load(directory, deskew: true);
}
catch (FileNotFoundException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

var model = BernoulliGlnClassifier.Create(train.FeatureCount, 10, new BernoulliGlnOptions
{
    LayerSizes = [128, 128, 1],
    BaseModel = BaseModel.FeatureAsProbability,
    Standardization = StandardizationMode.None,
    HyperplaneOffsetScale = 0,
    InputClipping = 0.05,
    PredictionClipping = 0.001,
    LearningRate = LearningRateSchedule.CappedInverse(1, 0.07, 0.003),
});
var clock = Stopwatch.StartNew();
model.Fit(train, new OnlineTrainingOptions
{
    Epochs = 1,
    Shuffle = false,
    Progress = new Progress(p => Console.Write($"\r  learned {p.RowsSeen,6}/{p.TotalRows} images ({p.Fraction:P0})")),
});
Console.WriteLine($"\nOne pass in {clock.Elapsed.TotalSeconds:0.0} s.");
int correct = Enumerable.Range(0, test.RowCount).Count(i => model.PredictClass(test.Row(i)) == test.Labels[i]);
Console.WriteLine($"Test accuracy {(double)correct / test.RowCount:P2} on {test.RowCount} images.");
return 0;

internal sealed class Progress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
{
    private long _last = -1;

    public void Report(TrainingProgress value)
    {
        if (value.RowsSeen / 5000 != _last)
        {
            _last = value.RowsSeen / 5000;
            report(value);
        }
    }
}
