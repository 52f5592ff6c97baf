using Microsoft.ML.Data;
using Microsoft.ML.GatedLinear.Gaussian;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using Microsoft.ML.Trainers.GatedLinear;

namespace Microsoft.ML.GatedLinear.Tests;

[TestClass]
public class RegressionTests
{
    [TestMethod]
    public void LabelsNearFloatsLimitGiveAFiniteVariance()
    {
        var ml = new MLContext(seed: 1);
        List<RegressionRow> rows = TestData.Regression(500, seed: 1);
        rows.ForEach(r => r.Label *= 1e20f);
        IDataView data = ml.Data.LoadFromEnumerable(rows);
        IDataView scored = ml.Regression.Trainers.GatedLinearRegression().Fit(data).Transform(data);
        float[] variance = scored.GetColumn<float>("Variance").ToArray(), upper = scored.GetColumn<float>("Upper").ToArray();
        Assert.IsTrue(variance.All(v => float.IsFinite(v) && v > 0), "a variance of about 1e40 saturates instead of becoming infinite");
        Assert.IsTrue(upper.All(float.IsFinite));
    }

    [TestMethod]
    public void PermutationFeatureImportanceWorksOnTheLastTransformerWithTheDataBeforeIt()
    {
        var ml = new MLContext(seed: 1);
        IDataView data = ml.Data.LoadFromEnumerable(TestData.Regression(1500, seed: 1));
        var model = ml.Transforms.NormalizeMeanVariance("Features").Append(ml.Regression.Trainers.GatedLinearRegression()).Fit(data);

        // ML.NET's chain overload looks for an internal interface; the typed overload takes the predictor and its input.
        IDataView features = model.First().Transform(data);
        var importance = ml.Regression.PermutationFeatureImportance(model.LastTransformer, features, permutationCount: 2);
        double[] rmseIncrease = importance.Select(m => m.RootMeanSquaredError.Mean).ToArray();

        // Label = 3 + 2a − b/10 + c/2 with a, b, c of standard deviation 1, 10, 1: a matters most, then b, then c.
        Assert.AreEqual(3, rmseIncrease.Length);
        Assert.IsTrue(rmseIncrease[0] > rmseIncrease[1] && rmseIncrease[1] > rmseIncrease[2] && rmseIncrease[2] > 0, string.Join(", ", rmseIncrease));
    }

    [TestMethod]
    public void FitsEvaluatesCrossValidatesAndPredictsInAPipeline()
    {
        var ml = new MLContext(seed: 1);
        IDataView train = ml.Data.LoadFromEnumerable(TestData.Regression(1500, seed: 1));
        IDataView test = ml.Data.LoadFromEnumerable(TestData.Regression(300, seed: 2));
        var pipeline = ml.Transforms.NormalizeMeanVariance("Features")
            .Append(ml.Regression.Trainers.GatedLinearRegression(labelColumnName: "Label", featureColumnName: "Features"));

        var model = pipeline.Fit(train);
        RegressionMetrics metrics = ml.Regression.Evaluate(model.Transform(test));
        Assert.IsTrue(metrics.RSquared > 0.9, $"R² {metrics.RSquared}");

        var folds = ml.Regression.CrossValidate(train, pipeline, numberOfFolds: 5);
        Assert.AreEqual(5, folds.Count);
        Assert.IsTrue(folds.All(f => f.Metrics.RSquared > 0.85), string.Join(", ", folds.Select(f => f.Metrics.RSquared)));

        var engine = ml.Model.CreatePredictionEngine<RegressionRow, RegressionPrediction>(model);
        RegressionRow row = TestData.Regression(1, seed: 3)[0];
        RegressionPrediction first = engine.Predict(row), again = engine.Predict(new RegressionRow { Features = [row.Features[0] + 1, row.Features[1], row.Features[2]] });
        Assert.IsTrue(first.Variance > 0 && float.IsFinite(first.Score));
        Assert.IsTrue(again.Score > first.Score, "a larger first feature (coefficient +2) raises the prediction: the engine re-reads its input");

        // The regression transformer is the last link; its exact attribution adds up to the score.
        GatedLinearRegressionTransformer gln = model.LastTransformer;
        float[] normalized = model.First().Transform(ml.Data.LoadFromEnumerable([row])).GetColumn<float[]>("Features").First();
        Assert.AreEqual(first.Score, gln.Explain(normalized).Mean, 1e-3 * (1 + Math.Abs(first.Score)));
    }

    [TestMethod]
    public void VectorLabelsGiveVectorScoreAndVariance()
    {
        var ml = new MLContext(seed: 2);
        var random = new Random(4);
        var rows = Enumerable.Range(0, 1500).Select(_ =>
        {
            float x = TestData.Gaussian(random);
            return new VectorRow { Features = [x], Label = [2 * x + 0.1f * TestData.Gaussian(random), -x + TestData.Gaussian(random)] };
        }).ToList();
        IDataView data = ml.Data.LoadFromEnumerable(rows);
        var model = ml.Regression.Trainers.GatedLinearRegression().Fit(data);
        IDataView scored = model.Transform(data);
        Assert.AreEqual(new VectorDataViewType(NumberDataViewType.Single, 2), scored.Schema["Score"].Type);
        Assert.AreEqual(new VectorDataViewType(NumberDataViewType.Single, 2), scored.Schema["Variance"].Type);
        float[] score = scored.GetColumn<float[]>("Score").First();
        Assert.AreEqual(2 * rows[0].Features[0], score[0], 0.5);
        Assert.AreEqual(2, model.Model.TargetDimension);
    }

    [TestMethod]
    public void OptionsReachTheCoreModel()
    {
        var ml = new MLContext(seed: 3);
        var options = new GatedLinearRegressionTrainer.Options { NumberOfEpochs = 2, ValidationFraction = 0, Network = new GaussianGlnOptions { LayerSizes = [8, 1], ContextDimension = 3 } };
        var model = ml.Regression.Trainers.GatedLinearRegression(options).Fit(ml.Data.LoadFromEnumerable(TestData.Regression(200, seed: 5)));
        Assert.AreEqual(3, model.Model.Options.ContextDimension);
        CollectionAssert.AreEqual(new[] { 8, 1 }, model.Model.Options.LayerSizes);
        Assert.AreEqual(400, model.Model.UpdateCount);
        Assert.AreEqual("Features", model.FeatureColumnName);
    }

    [TestMethod]
    public void ContinuingFromAPreviousModelLeavesItUnchanged()
    {
        var ml = new MLContext(seed: 4);
        IDataView data = ml.Data.LoadFromEnumerable(TestData.Regression(300, seed: 6));
        var trainer = ml.Regression.Trainers.GatedLinearRegression(numberOfEpochs: 1);
        var first = trainer.Fit(data);
        var continued = trainer.Fit(data, first);
        Assert.AreEqual(300, first.Model.UpdateCount);
        Assert.AreEqual(600, continued.Model.UpdateCount);
    }
}
