using Microsoft.ML.Data;
using Microsoft.ML.GatedLinear.Galu;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using Microsoft.ML.Trainers.GatedLinear;

namespace Microsoft.ML.GatedLinear.Tests;

[TestClass]
public class GaluTests
{
    [TestMethod]
    [DataRow(1)]
    [DataRow(2)]
    public void RegressionFitsEvaluatesCrossValidatesPredictsAndSaves(int layers)
    {
        var ml = new MLContext(seed: 1);
        IDataView train = ml.Data.LoadFromEnumerable(TestData.Regression(1500, seed: 1));
        IDataView test = ml.Data.LoadFromEnumerable(TestData.Regression(300, seed: 2));
        // One layer: the closed form from one pass. Two: Adam, which a small data set needs more steps for.
        var trainer = layers == 1
            ? ml.Regression.Trainers.GaluRegression(hiddenSizes: [16])
            : ml.Regression.Trainers.GaluRegression(new GaluRegressionTrainer.Options { NumberOfEpochs = 40, Network = { HiddenSizes = [16, 16], LearningRate = 0.01 } });
        var pipeline = ml.Transforms.NormalizeMeanVariance("Features").Append(trainer);
        var model = pipeline.Fit(train);
        RegressionMetrics metrics = ml.Regression.Evaluate(model.Transform(test));
        Assert.IsTrue(metrics.RSquared > 0.9, $"R² {metrics.RSquared}");
        Assert.AreEqual(layers == 1, model.LastTransformer.Model is ClosedFormGalu);

        var folds = ml.Regression.CrossValidate(train, pipeline, numberOfFolds: 3);
        Assert.IsTrue(folds.All(f => f.Metrics.RSquared > 0.85));

        var engine = ml.Model.CreatePredictionEngine<RegressionRow, RegressionPrediction>(model);
        RegressionPrediction prediction = engine.Predict(TestData.Regression(1, seed: 3)[0]);
        Assert.AreEqual((float)model.LastTransformer.ResidualVariance, prediction.Variance);

        using var file = new MemoryStream();
        GatedLinearModel.Save(ml, model, train.Schema, file);
        file.Position = 0;
        ITransformer loaded = GatedLinearModel.Load(ml, file, out _);
        CollectionAssert.AreEqual(model.Transform(test).GetColumn<float>("Score").ToArray(), loaded.Transform(test).GetColumn<float>("Score").ToArray());
    }

    [TestMethod]
    public void BinaryAndMulticlassClassifiersWorkInPipelines()
    {
        var ml = new MLContext(seed: 2);
        IDataView xor = ml.Data.LoadFromEnumerable(TestData.Xor(3000, seed: 1));
        var binary = ml.BinaryClassification.Trainers.GaluClassification(new GaluBinaryClassificationTrainer.Options { NumberOfEpochs = 20, Network = { HiddenSizes = [32, 32], LearningRate = 0.01 } });
        CalibratedBinaryClassificationMetrics binaryMetrics = ml.BinaryClassification.Evaluate(binary.Fit(xor).Transform(ml.Data.LoadFromEnumerable(TestData.Xor(500, seed: 2))));
        Assert.IsTrue(binaryMetrics.Accuracy > 0.93, $"XOR accuracy {binaryMetrics.Accuracy}");
        Assert.IsTrue(ml.BinaryClassification.CrossValidate(xor, binary, numberOfFolds: 3).All(f => f.Metrics.Accuracy > 0.85));

        IDataView blobs = ml.Data.LoadFromEnumerable(TestData.Blobs(1500, seed: 3));
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.MulticlassClassification.Trainers.GaluClassification(hiddenSizes: [16]))
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"));
        var model = pipeline.Fit(blobs);
        MulticlassClassificationMetrics metrics = ml.MulticlassClassification.Evaluate(model.Transform(ml.Data.LoadFromEnumerable(TestData.Blobs(300, seed: 4))));
        Assert.IsTrue(metrics.MacroAccuracy > 0.9, $"macro accuracy {metrics.MacroAccuracy}");
        var engine = ml.Model.CreatePredictionEngine<ClassRow, ClassPrediction>(model);
        Assert.AreEqual("setosa", engine.Predict(new ClassRow { Features = [3f, 0f] }).PredictedLabel);

        using var file = new MemoryStream();
        GatedLinearModel.Save(ml, model, blobs.Schema, file);
        file.Position = 0;
        var loaded = ml.Model.CreatePredictionEngine<ClassRow, ClassPrediction>(GatedLinearModel.Load(ml, file, out _));
        Assert.AreEqual("setosa", loaded.Predict(new ClassRow { Features = [3f, 0f] }).PredictedLabel);
    }

    [TestMethod]
    public void TheDefaultClassifierTrainsEnoughStepsOnAHundredAndFiftyRows()
    {
        // 150 rows, a tenth held out: batches of 64 gave three Adam steps an epoch, and 50 epochs left the held-out log
        // loss of these well-separated classes at 0.043; batches of 4 (the rule's smallest) give 34 steps and 0.002.
        var ml = new MLContext(seed: 1);
        var messages = new List<string>();
        ml.Log += (_, e) => messages.Add(e.RawMessage);
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label").Append(ml.MulticlassClassification.Trainers.GaluClassification());
        var model = pipeline.Fit(ml.Data.LoadFromEnumerable(TestData.Blobs(150, seed: 5)));
        Assert.IsTrue(messages.Any(m => m.StartsWith("4 rows per batch for ", StringComparison.Ordinal) && m.EndsWith("(BatchSize 64 is the largest).", StringComparison.Ordinal)), "the log says which batch the rule chose");
        MulticlassClassificationMetrics metrics = ml.MulticlassClassification.Evaluate(model.Transform(ml.Data.LoadFromEnumerable(TestData.Blobs(600, seed: 6))));
        Assert.IsTrue(metrics.MacroAccuracy > 0.95, $"macro accuracy {metrics.MacroAccuracy}");
        Assert.IsTrue(metrics.LogLoss < 0.01, $"log loss {metrics.LogLoss}");
    }

    [TestMethod]
    public void TheClosedFormChoosesItsRidgeOnHeldOutRowsAndSaysSo()
    {
        // 120 rows and 64 × 4 features: with the fixed ridge 10⁻³ the closed form nearly interpolates the noise.
        double TestRmse(double validationFraction, out List<string> messages)
        {
            var ml = new MLContext(seed: 1);
            var log = new List<string>();
            ml.Log += (_, e) => log.Add(e.RawMessage);
            var trainer = ml.Regression.Trainers.GaluRegression(new GaluRegressionTrainer.Options { ValidationFraction = validationFraction });
            var model = ml.Transforms.NormalizeMeanVariance("Features").Append(trainer).Fit(ml.Data.LoadFromEnumerable(TestData.Regression(120, seed: 4)));
            messages = log;
            return ml.Regression.Evaluate(model.Transform(ml.Data.LoadFromEnumerable(TestData.Regression(500, seed: 5)))).RootMeanSquaredError;
        }

        double chosen = TestRmse(0.1, out List<string> chosenLog), fixedRidge = TestRmse(0, out List<string> fixedLog);
        // The label's noise has σ 0.3: the chosen ridge reaches it (0.30), the fixed one does not (0.43).
        Assert.IsTrue(chosen < 0.33 && chosen < 0.8 * fixedRidge, $"test RMSE with the chosen ridge {chosen}, with 10⁻³ {fixedRidge}");
        Assert.IsTrue(chosenLog.Any(m => m.StartsWith("Ridge λ ", StringComparison.Ordinal) && m.Contains("held-out rows", StringComparison.Ordinal)));
        Assert.IsFalse(fixedLog.Any(m => m.StartsWith("Ridge λ ", StringComparison.Ordinal)));
    }

    [TestMethod]
    public void AClosedFormModelCannotContinueButAGradientOneCan()
    {
        var ml = new MLContext(seed: 3);
        IDataView data = ml.Data.LoadFromEnumerable(TestData.Regression(200, seed: 5));
        var closed = ml.Regression.Trainers.GaluRegression(hiddenSizes: [8]);
        Assert.ThrowsExactly<NotSupportedException>(() => closed.Fit(data, closed.Fit(data)));
        var deep = ml.Regression.Trainers.GaluRegression(hiddenSizes: [8, 8]);
        var first = deep.Fit(data);
        var continued = deep.Fit(data, first);
        Assert.AreNotSame(first.Model, continued.Model);
    }
}
