using Microsoft.ML.Data;
using Microsoft.ML.GatedLinear.Gon;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using Microsoft.ML.Trainers.GatedLinear;

namespace Microsoft.ML.GatedLinear.Tests;

[TestClass]
public class GradientOriginFeaturizerTests
{
    public sealed class ImageRow
    {
        public string Label { get; set; } = string.Empty;

        [VectorType(16)]
        public float[] Pixels { get; set; } = [];
    }

    public sealed class LatentRow
    {
        [VectorType(4)]
        public float[] Latent { get; set; } = [];
    }

    /// <summary>4×4 images: a bright row ("horizontal") or a bright column ("vertical") at a random place.</summary>
    private static List<ImageRow> Bars(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ =>
        {
            bool horizontal = random.Next(2) == 0;
            int at = random.Next(4);
            var pixels = new float[16];
            for (int i = 0; i < 4; i++)
            {
                pixels[horizontal ? at * 4 + i : i * 4 + at] = 1f;
            }

            for (int p = 0; p < 16; p++)
            {
                pixels[p] = Math.Clamp(pixels[p] + 0.05f * TestData.Gaussian(random), 0f, 1f);
            }

            return new ImageRow { Label = horizontal ? "horizontal" : "vertical", Pixels = pixels };
        }).ToList();
    }

    private static GradientOriginFeaturizer.Options Small() => new() { NumberOfEpochs = 20, Network = new GonOptions { LatentDimension = 4, HiddenSizes = [32], BatchSize = 16, LearningRate = 3e-3 } };

    [TestMethod]
    public void LatentsFeedATrainerInAPipeline()
    {
        var ml = new MLContext(seed: 1);
        IDataView train = ml.Data.LoadFromEnumerable(Bars(600, seed: 1)), test = ml.Data.LoadFromEnumerable(Bars(200, seed: 2));
        var pipeline = ml.Transforms.FeaturizeByGradientOrigin("Latent", "Pixels", Small())
            .Append(ml.Transforms.Conversion.MapValueToKey("Label"))
            .Append(ml.MulticlassClassification.Trainers.GatedLinearClassification(featureColumnName: "Latent", numberOfEpochs: 3))
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"));
        var model = pipeline.Fit(train);
        MulticlassClassificationMetrics metrics = ml.MulticlassClassification.Evaluate(model.Transform(test));
        Assert.IsTrue(metrics.MacroAccuracy > 0.9, $"orientation from 4 GON latents: {metrics.MacroAccuracy}");

        var engine = ml.Model.CreatePredictionEngine<ImageRow, LatentRow>(model);
        Assert.AreEqual(4, engine.Predict(Bars(1, seed: 3)[0]).Latent.Length);

        using var file = new MemoryStream();
        GatedLinearModel.Save(ml, model, train.Schema, file);
        file.Position = 0;
        ITransformer loaded = GatedLinearModel.Load(ml, file, out _);
        CollectionAssert.AreEqual(model.Transform(test).GetColumn<float[]>("Latent").First(), loaded.Transform(test).GetColumn<float[]>("Latent").First());
    }

    [TestMethod]
    public void BadInputColumnsAreNamed()
    {
        var ml = new MLContext(seed: 2);
        IDataView data = ml.Data.LoadFromEnumerable(Bars(10, seed: 4));
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.Transforms.FeaturizeByGradientOrigin("Latent", "Image").Fit(data)).Message, "'Image'");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.Transforms.FeaturizeByGradientOrigin("Latent", "Label").Fit(data)).Message, "'Label'");
        var rows = Bars(10, seed: 5);
        rows[3].Pixels[7] = float.NaN;
        StringAssert.Contains(Assert.ThrowsExactly<InvalidOperationException>(() => ml.Transforms.FeaturizeByGradientOrigin("Latent", "Pixels", Small()).Fit(ml.Data.LoadFromEnumerable(rows))).Message, "Row 3");
    }
}
