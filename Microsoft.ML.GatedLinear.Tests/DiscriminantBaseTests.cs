using Microsoft.ML.Data;
using Microsoft.ML.Trainers.GatedLinear;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.GatedLinear.Tests;

/// <summary>
/// The B-GLN trainers' <c>LinearDiscriminantBase</c>: by default, below 512 learned rows with rows held out, layer 0 also
/// reads Fisher's linear discriminant of the classes, fitted once on every training row; <c>LinearDiscriminantStart</c>:
/// for more than two classes on at least 20 training rows per feature, the networks start half way to trusting it.
/// </summary>
[TestClass]
public class DiscriminantBaseTests
{
    [TestMethod]
    public void SmallDataReadsTheDiscriminantAndOtherwiseAsTold()
    {
        static bool Reads(int rows, GatedLinearBinaryClassificationTrainer.Options options)
            => LinearModelChoiceTests.FitBinary(TestData.Xor(rows, seed: 2), options).Model.Model.UsesLinearDiscriminantBase;

        Assert.IsTrue(Reads(300, new()), "below 512 learned rows with rows held out");
        Assert.IsFalse(Reads(600, new()), "from 512 learned rows");
        Assert.IsFalse(Reads(300, new() { NumberOfEpochs = 1 }), "one online pass stays one pass");
        Assert.IsFalse(Reads(300, new() { ValidationFraction = 0, NumberOfEpochs = 2 }), "nothing held out");
        Assert.IsFalse(Reads(300, new() { LinearDiscriminantBase = false }));
        Assert.IsTrue(Reads(600, new() { LinearDiscriminantBase = true }));
        Assert.IsTrue(Reads(300, new() { TryLinearModel = false, EnsembleSize = 1 }));
    }

    [TestMethod]
    public void TheNetworksStartHalfWayToTheDiscriminantForSeveralClassesOnManyRowsPerFeature()
    {
        static byte[] Multiclass(int rows, double? start) => ModelBytes.Of(FitMulticlass(TestData.Blobs(rows, seed: 6), new() { Seed = 3, LinearDiscriminantStart = start }).Model);
        static byte[] Binary(double? start) => ModelBytes.Of(LinearModelChoiceTests.FitBinary(TestData.Xor(300, seed: 2), new() { Seed = 3, LinearDiscriminantStart = start }).Model.Model);

        // 150 rows of 2 features: 75 per feature, three classes.
        CollectionAssert.AreEqual(Multiclass(150, 0.5), Multiclass(150, null));
        CollectionAssert.AreNotEqual(Multiclass(150, 0), Multiclass(150, null));
        // 30 rows: 15 per feature.
        CollectionAssert.AreEqual(Multiclass(30, 0), Multiclass(30, null));
        CollectionAssert.AreNotEqual(Multiclass(30, 0.5), Multiclass(30, null));
        // Two classes: never by default.
        CollectionAssert.AreEqual(Binary(0), Binary(null));
        CollectionAssert.AreNotEqual(Binary(0.5), Binary(null));
    }

    [TestMethod]
    [DataRow(-0.1)]
    [DataRow(1.5)]
    [DataRow(double.NaN)]
    public void AStartOutsideZeroToOneIsRefused(double start)
    {
        var ml = new MLContext(seed: 1);
        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.MulticlassClassification.Trainers.GatedLinearClassification(new GatedLinearMulticlassClassificationTrainer.Options { LinearDiscriminantStart = start }));
        Assert.AreEqual("LinearDiscriminantStart", e.ParamName);
    }

    [TestMethod]
    public void AMulticlassModelReadsOneInputPerClassAndExplainsItselfExactly()
    {
        var ml = new MLContext(seed: 4);
        IDataView data = ml.Data.LoadFromEnumerable(TestData.Blobs(150, seed: 6));
        var model = ml.Transforms.Conversion.MapValueToKey("Label").Append(ml.MulticlassClassification.Trainers.GatedLinearClassification()).Fit(data);
        GatedLinearMulticlassClassificationTransformer classifier = model.LastTransformer;
        Assert.IsTrue(classifier.Model.UsesLinearDiscriminantBase);
        Assert.AreEqual(4, classifier.Model.EnsembleSize, "every averaged model reads the one discriminant");
        float[][] scores = [.. model.Transform(data).GetColumn<float[]>("Score").Take(10)];
        float[][] features = [.. data.GetColumn<float[]>("Features").Take(10)];
        var logits = new float[3];
        for (int i = 0; i < features.Length; i++)
        {
            classifier.Model.PredictLogits(features[i], logits);
            for (int c = 0; c < 3; c++)
            {
                Assert.AreEqual(logits[c], classifier.Explain(features[i], c).Logit, 1e-4, $"row {i}, class {c}");
            }

            Assert.AreEqual(1, scores[i].Sum(), 1e-5);
        }
    }

    private static GatedLinearMulticlassClassificationTransformer FitMulticlass(List<ClassRow> rows, GatedLinearMulticlassClassificationTrainer.Options options)
    {
        var ml = new MLContext(seed: 5);
        IDataView raw = ml.Data.LoadFromEnumerable(rows);
        IDataView data = ml.Transforms.Conversion.MapValueToKey("Label").Fit(raw).Transform(raw);
        return ml.MulticlassClassification.Trainers.GatedLinearClassification(options).Fit(data);
    }
}
