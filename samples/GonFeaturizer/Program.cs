using System.Globalization;
using System.Text;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.GatedLinear;
using Microsoft.ML.GatedLinear.Data;
using Microsoft.ML.GatedLinear.Gon;
using Microsoft.ML.GatedLinear.GonFeaturizer;

// A Gradient Origin Network as an ML.NET featurizer on scikit-learn's 8×8 digits (shipped): 16 latents per image
// feed a gated linear classifier. Writes digits-gon.svg: test images above their GON reconstructions.
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
var svg = new StringBuilder("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"480\" height=\"90\"><rect width=\"100%\" height=\"100%\" fill=\"white\"/>");
for (int n = 0; n < 12; n++)
{
    for (int p = 0; p < 64; p++)
    {
        foreach ((float[] source, int top) in new[] { (images, 4), (reconstructed, 46) })
        {
            int shade = 255 - (int)(255 * Math.Clamp(source[n * 64 + p], 0, 1));
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{4 + n * 40 + p % 8 * 4}\" y=\"{top + p / 8 * 4}\" width=\"4\" height=\"4\" fill=\"rgb({shade},{shade},{shade})\"/>");
        }
    }
}

string path = Path.Combine(output, "digits-gon.svg");
File.WriteAllText(path, svg.Append("</svg>").ToString());
Console.WriteLine($"Wrote {path}.");

public sealed class Digit
{
    public string Label { get; set; } = "";

    [VectorType(64)]
    public float[] Pixels { get; set; } = [];
}
