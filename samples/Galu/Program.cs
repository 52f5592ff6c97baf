using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.GatedLinear.Data;
using Microsoft.ML.GatedLinear.Galu;
using Microsoft.ML.GatedLinear.Numerics;
using Microsoft.ML.Trainers.GatedLinear;

// GaLU networks on scikit-learn's 8×8 digits (1797 images, shipped in samples/data): fixed random gates, trained
// linear parts. The one-hidden-layer network is solved in closed form; the two-layer GaLU0 trains by Adam in ML.NET.
LabeledData<int> digits = NumericCsv.Read(Path.Combine(AppContext.BaseDirectory, "data", "digits.csv")).ToClassification("y");
(LabeledData<int> train, LabeledData<int> test) = digits.Split(testFraction: 0.2, seed: 1);
float[] Scaled(LabeledData<int> d) => d.Features.ToArray().Select(v => v / 16f).ToArray();

// Closed form: least squares on one-hot targets, one pass over the data.
var closed = ClosedFormGalu.Create(64, 10, new GaluOptions { HiddenSizes = [32], Ridge = 1 });
var oneHot = new float[train.RowCount * 10];
for (int i = 0; i < train.RowCount; i++)
{
    oneHot[i * 10 + train.Labels[i]] = 1;
}

float[] trainX = Scaled(train), testX = Scaled(test);
LeastSquaresSolution solution = closed.Fit(trainX, oneHot);
double closedAccuracy = Enumerable.Range(0, test.RowCount).Average(i => closed.PredictClass(testX.AsSpan(i * 64, 64)) == test.Labels[i] ? 1.0 : 0.0);
Console.WriteLine($"Closed form, 1 hidden layer of 32 GaLU neurons: {closed.FeatureCount} weights per class, rank {closed.FeatureRank(trainX)}, training loss {solution.TrainingLoss:0.0000}, test accuracy {closedAccuracy:P1}");

// ML.NET: two hidden GaLU0 layers trained by Adam, in a pipeline.
var ml = new MLContext(seed: 1);
IEnumerable<Digit> Rows(LabeledData<int> d) => Enumerable.Range(0, d.RowCount).Select(i => new Digit { Label = d.Labels[i].ToString(), Features = d.Row(i).ToArray() });
var pipeline = ml.Transforms.NormalizeMinMax("Features")
    .Append(ml.Transforms.Conversion.MapValueToKey("Label"))
    .Append(ml.MulticlassClassification.Trainers.GaluClassification(new GaluMulticlassClassificationTrainer.Options { NumberOfEpochs = 30, Network = { HiddenSizes = [64, 64], LearningRate = 3e-3 } }));
var model = pipeline.Fit(ml.Data.LoadFromEnumerable(Rows(train)));
var metrics = ml.MulticlassClassification.Evaluate(model.Transform(ml.Data.LoadFromEnumerable(Rows(test))));
Console.WriteLine($"GaLU0, 2 hidden layers of 64, Adam (ML.NET): test accuracy {metrics.MicroAccuracy:P1}");

public sealed class Digit
{
    public string Label { get; set; } = "";

    [VectorType(64)]
    public float[] Features { get; set; } = [];
}
