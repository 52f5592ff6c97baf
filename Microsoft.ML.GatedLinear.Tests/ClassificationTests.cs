using Microsoft.ML.Data;
using Microsoft.ML.GatedLinear.Bernoulli;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using Microsoft.ML.Trainers.GatedLinear;

namespace Microsoft.ML.GatedLinear.Tests;

[TestClass]
public class ClassificationTests
{
    [TestMethod]
    public void BinaryFitsEvaluatesCrossValidatesAndPredicts()
    {
        var ml = new MLContext(seed: 1);
        IDataView train = ml.Data.LoadFromEnumerable(TestData.Xor(3000, seed: 1));
        IDataView test = ml.Data.LoadFromEnumerable(TestData.Xor(500, seed: 2));
        var trainer = ml.BinaryClassification.Trainers.GatedLinearClassification(numberOfEpochs: 2);

        var model = trainer.Fit(train);
        CalibratedBinaryClassificationMetrics metrics = ml.BinaryClassification.Evaluate(model.Transform(test));
        Assert.IsTrue(metrics.Accuracy > 0.93, $"accuracy {metrics.Accuracy}");
        Assert.IsTrue(metrics.AreaUnderRocCurve > 0.97, $"AUC {metrics.AreaUnderRocCurve}");

        var folds = ml.BinaryClassification.CrossValidate(train, trainer, numberOfFolds: 3);
        Assert.IsTrue(folds.All(f => f.Metrics.Accuracy > 0.9), string.Join(", ", folds.Select(f => f.Metrics.Accuracy)));

        var engine = ml.Model.CreatePredictionEngine<BinaryRow, BinaryPrediction>(model);
        BinaryPrediction positive = engine.Predict(new BinaryRow { Features = [0.6f, -0.6f] });
        BinaryPrediction negative = engine.Predict(new BinaryRow { Features = [0.6f, 0.6f] });
        Assert.IsTrue(positive.PredictedLabel && !negative.PredictedLabel);
        Assert.AreEqual(1 / (1 + Math.Exp(-positive.Score)), positive.Probability, 1e-6);
    }

    [TestMethod]
    [DataRow(100)]
    [DataRow(300)]
    public void DefaultNetworkFollowsTheNumberOfRowsAndGivenOptionsAreUsedAsGiven(int rows)
    {
        var ml = new MLContext(seed: 1);
        IDataView data = ml.Data.LoadFromEnumerable(TestData.Xor(rows, seed: 4));
        var byRule = ml.BinaryClassification.Trainers.GatedLinearClassification(new GatedLinearBinaryClassificationTrainer.Options { NumberOfEpochs = 2, TryLinearModel = false }).Fit(data);
        Assert.AreEqual(BernoulliGlnOptions.ForData(rows).ContextDimension, byRule.Model.Options.ContextDimension);

        var given = new GatedLinearBinaryClassificationTrainer.Options { NumberOfEpochs = 2, TryLinearModel = false, Network = new BernoulliGlnOptions { ContextDimension = 1, LayerSizes = [8, 1] } };
        var model = ml.BinaryClassification.Trainers.GatedLinearClassification(given).Fit(data);
        Assert.AreEqual(1, model.Model.Options.ContextDimension);
        CollectionAssert.AreEqual(new[] { 8, 1 }, model.Model.Options.LayerSizes);
    }

    [TestMethod]
    public void BinaryPredictionsExplainThemselvesExactly()
    {
        var ml = new MLContext(seed: 2);
        var model = ml.BinaryClassification.Trainers.GatedLinearClassification().Fit(ml.Data.LoadFromEnumerable(TestData.Xor(1000, seed: 3)));
        float[] features = [0.3f, -0.2f];
        var attribution = model.Explain(features);
        var engine = ml.Model.CreatePredictionEngine<BinaryRow, BinaryPrediction>(model);
        Assert.AreEqual(engine.Predict(new BinaryRow { Features = features }).Score, attribution.Logit, 1e-4);
    }

    [TestMethod]
    public void MulticlassPipelineMapsKeysBackToClassNames()
    {
        var ml = new MLContext(seed: 3);
        IDataView train = ml.Data.LoadFromEnumerable(TestData.Blobs(2000, seed: 4));
        IDataView test = ml.Data.LoadFromEnumerable(TestData.Blobs(400, seed: 5));
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.MulticlassClassification.Trainers.GatedLinearClassification())
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"));

        var model = pipeline.Fit(train);
        MulticlassClassificationMetrics metrics = ml.MulticlassClassification.Evaluate(model.Transform(test));
        Assert.IsTrue(metrics.MacroAccuracy > 0.9, $"macro accuracy {metrics.MacroAccuracy}");

        var folds = ml.MulticlassClassification.CrossValidate(train, pipeline, numberOfFolds: 3);
        Assert.IsTrue(folds.All(f => f.Metrics.MicroAccuracy > 0.85));

        var engine = ml.Model.CreatePredictionEngine<ClassRow, ClassPrediction>(model);
        ClassPrediction prediction = engine.Predict(new ClassRow { Features = [3f, 0f] });
        Assert.AreEqual("setosa", prediction.PredictedLabel);
        Assert.AreEqual(3, prediction.Score.Length);
        Assert.AreEqual(1f, prediction.Score.Sum(), 1e-4f);

        VBuffer<ReadOnlyMemory<char>> slotNames = default;
        model.Transform(test).Schema["Score"].GetSlotNames(ref slotNames);
        CollectionAssert.AreEquivalent(new[] { "setosa", "versicolor", "virginica" }, slotNames.DenseValues().Select(n => n.ToString()).ToArray());
    }

    [TestMethod]
    public void MulticlassOptionsAndAttribution()
    {
        var ml = new MLContext(seed: 4);
        IDataView data = ml.Transforms.Conversion.MapValueToKey("Label").Fit(ml.Data.LoadFromEnumerable(TestData.Blobs(600, seed: 6))).Transform(ml.Data.LoadFromEnumerable(TestData.Blobs(600, seed: 6)));
        var options = new GatedLinearMulticlassClassificationTrainer.Options { Network = new BernoulliGlnOptions { LayerSizes = [4, 1], ShareHyperplanesAcrossClasses = false } };
        var model = ml.MulticlassClassification.Trainers.GatedLinearClassification(options).Fit(data);
        Assert.AreEqual(3, model.Model.ClassCount);
        Assert.IsFalse(model.Model.Options.ShareHyperplanesAcrossClasses);
        var attribution = model.Explain([1f, 1f], classIndex: 2);
        var logits = new float[3];
        model.Model.PredictLogits([1f, 1f], logits);
        Assert.AreEqual(logits[2], attribution.Logit, 1e-4);
    }
}
