using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.GatedLinear.Data;
using Microsoft.ML.GatedLinear.Gon;
using MLGated.Lab;
using Microsoft.ML.Trainers.GatedLinear;

// A Gradient Origin Network as an ML.NET featurizer on scikit-learn's 8×8 digits (shipped): 16 latents per image
// feed a gated linear classifier. Writes digits-gon.png: test images above their GON reconstructions.
// Usage: dotnet run --project samples/GonFeaturizer [-- OUTPUT_DIR]
string output = args.Length > 0 ? args[0] : Directory.GetCurrentDirectory();
Directory.CreateDirectory(output);
LabeledData<int> digits = NumericCsv.Read(Path.Combine(AppContext.BaseDirectory, "data", "digits.csv")).ToClassification("y");
var rows = Enumerable.Range(0, digits.RowCount).Select(i => new Digit { Label = digits.Labels[i].ToString(), Pixels = digits.Row(i).ToArray().Select(v => v / 16f).ToArray() }).ToList();
var ml = new MLContext(seed: 1);
var split = ml.Data.TrainTestSplit(ml.Data.LoadFromEnumerable(rows), testFraction: 0.2, seed: 1);
var options = new GradientOriginFeaturizer.Options { NumberOfEpochs = 40, Network = new GonOptions { LatentDimension = 16, HiddenSizes = [128, 128], BatchSize = 32, LearningRate = 2e-3 } };
var pipeline = ml.Transforms.FeaturizeByGradientOrigin("Latent", "Pixels", options)
    .Append(ml.Transforms.NormalizeMeanVariance("Latent"))
    .Append(ml.Transforms.Conversion.MapValueToKey("Label"))
    .Append(ml.MulticlassClassification.Trainers.GatedLinearClassification(featureColumnName: "Latent", numberOfEpochs: 5));
Console.WriteLine("Training the GON featurizer (40 epochs) and a gated linear classifier on its latents…");
ml.Log += (_, e) => { if (e.Kind == Microsoft.ML.Runtime.ChannelMessageKind.Info && e.Source.Contains("GradientOrigin") && e.RawMessage.StartsWith("Epoch", StringComparison.Ordinal) && e.RawMessage.Contains("0/", StringComparison.Ordinal)) Console.WriteLine($"  {e.RawMessage}"); };
var model = pipeline.Fit(split.TrainSet);
var metrics = ml.MulticlassClassification.Evaluate(model.Transform(split.TestSet));
Console.WriteLine($"Test accuracy of a GLN on 16 GON latents: {metrics.MicroAccuracy:P1}");

GradientOriginNetwork gon = model.OfType<GradientOriginTransformer>().Single().Model;
float[] images = ml.Data.CreateEnumerable<Digit>(split.TestSet, reuseRowObject: false).Take(12).SelectMany(d => d.Pixels).ToArray();
float[] reconstructed = gon.Reconstruct(images);
string path = Path.Combine(output, "digits-gon.png");
ImageGrid.SavePng(path, [images, reconstructed], 12, 8, "8×8 test digits (top) and their GON reconstructions (bottom)");
Console.WriteLine($"Wrote {path}.");

public sealed class Digit
{
    public string Label { get; set; } = "";

    [VectorType(64)]
    public float[] Pixels { get; set; } = [];
}
