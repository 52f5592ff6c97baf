using Microsoft.ML.Data;
using Microsoft.ML.GatedLinear.Persistence;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.GatedLinear.Tests;

[TestClass]
public class PersistenceTests
{
    [TestMethod]
    public void MLContextSaveThrowsNamingOurSaveApi()
    {
        var ml = new MLContext(seed: 1);
        IDataView data = ml.Data.LoadFromEnumerable(TestData.Xor(100, seed: 1));
        var model = ml.BinaryClassification.Trainers.GatedLinearClassification().Fit(data);
        var e = Assert.ThrowsExactly<NotSupportedException>(() => ml.Model.Save(model, data.Schema, new MemoryStream()));
        StringAssert.Contains(e.Message, "GatedLinearModel.Save");
    }

    [TestMethod]
    public void AWholeChainRoundTripsWithIdenticalPredictions()
    {
        var ml = new MLContext(seed: 2);
        IDataView data = ml.Data.LoadFromEnumerable(TestData.Blobs(600, seed: 2));
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.Transforms.NormalizeMinMax("Features"))
            .Append(ml.MulticlassClassification.Trainers.GatedLinearClassification())
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"));
        var model = pipeline.Fit(data);

        using var file = new MemoryStream();
        GatedLinearModel.Save(ml, model, data.Schema, file);
        file.Position = 0;
        ITransformer loaded = GatedLinearModel.Load(new MLContext(seed: 9), file, out DataViewSchema schema);

        Assert.AreEqual(data.Schema.Count, schema.Count);
        var before = ml.Model.CreatePredictionEngine<ClassRow, ClassPrediction>(model);
        var after = ml.Model.CreatePredictionEngine<ClassRow, ClassPrediction>(loaded);
        foreach (ClassRow row in TestData.Blobs(50, seed: 3))
        {
            ClassPrediction a = before.Predict(row), b = after.Predict(row);
            Assert.AreEqual(a.PredictedLabel, b.PredictedLabel);
            CollectionAssert.AreEqual(a.Score, b.Score);
        }
    }

    [TestMethod]
    public void ABareRegressionTransformerRoundTrips()
    {
        var ml = new MLContext(seed: 3);
        IDataView data = ml.Data.LoadFromEnumerable(TestData.Regression(200, seed: 3));
        var model = ml.Regression.Trainers.GatedLinearRegression(numberOfEpochs: 2).Fit(data);
        string path = Path.GetTempFileName();
        try
        {
            GatedLinearModel.Save(ml, model, data.Schema, path);
            ITransformer loaded = GatedLinearModel.Load(ml, path, out _);
            CollectionAssert.AreEqual(model.Transform(data).GetColumn<float>("Variance").ToArray(), loaded.Transform(data).GetColumn<float>("Variance").ToArray());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [TestMethod]
    public void AClaimOfAHundredMillionClassNamesFailsBeforeAllocating()
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(100_000_000UL);
            writer.Write(100_000_000);
            writer.Write("only one name");
        }

        stream.Position = 0;
        long before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.ThrowsExactly<ModelFormatException>(() => Microsoft.ML.Trainers.GatedLinear.ClassLabels.Read(new BinaryReader(stream)));
        StringAssert.Contains(error.Message, "100000000 class names");
        Assert.IsTrue(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20, "the refusal allocated more than a megabyte");
    }

    [TestMethod]
    public void ALabelWithFewerClassesThanItsModelFailsToLoad()
    {
        // A saved multiclass transformer whose label claims 2 classes in front of a 3-class model would emit keys 1–3
        // for a key type of 2: refused at load.
        var model = Microsoft.ML.GatedLinear.Bernoulli.BernoulliGlnClassifier.Create(2, 3);
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            writer.Write("multiclass");
            writer.Write("Features");
            writer.Write(2UL);
            writer.Write(0);
        }

        model.Save(stream);
        stream.Position = 0;
        var error = Assert.ThrowsExactly<ModelFormatException>(() => Microsoft.ML.Trainers.GatedLinear.SavedTransformers.Read(new BinaryReader(stream)));
        StringAssert.Contains(error.Message, "2 classes but its model predicts 3");
    }

    [TestMethod]
    public void ACorruptedFileFailsCleanly()
    {
        var ml = new MLContext(seed: 4);
        Assert.ThrowsExactly<ModelFormatException>(() => GatedLinearModel.Load(ml, new MemoryStream(new byte[100]), out _));
        IDataView data = ml.Data.LoadFromEnumerable(TestData.Xor(100, seed: 4));
        using var file = new MemoryStream();
        GatedLinearModel.Save(ml, ml.BinaryClassification.Trainers.GatedLinearClassification().Fit(data), data.Schema, file);
        byte[] original = file.ToArray();
        for (int position = 0; position < original.Length; position += 61)
        {
            byte[] bytes = (byte[])original.Clone();
            bytes[position] ^= 0x5A;
            try
            {
                GatedLinearModel.Load(ml, new MemoryStream(bytes), out _);
            }
            catch (ModelFormatException)
            {
            }
            catch (Exception e)
            {
                Assert.Fail($"A flipped byte at {position} of {original.Length} gave {e.GetType().Name}: {e.Message}");
            }
        }
    }
}
