using Microsoft.ML.Data;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using Microsoft.ML.Trainers.GatedLinear;

namespace Microsoft.ML.GatedLinear.Tests;

[TestClass]
public class BadInputTests
{
    private sealed class DoubleFeatures
    {
        public float Label { get; set; }

        [VectorType(2)]
        public double[] Features { get; set; } = [];
    }

    private sealed class WideRow
    {
        public float Label { get; set; }

        [VectorType(5)]
        public float[] Features { get; set; } = [];
    }

    [TestMethod]
    public void AMissingColumnIsNamedAtFitAndInTheOutputSchema()
    {
        var ml = new MLContext(seed: 1);
        IDataView data = ml.Data.LoadFromEnumerable(TestData.Regression(20, seed: 1));
        var trainer = ml.Regression.Trainers.GatedLinearRegression(labelColumnName: "Price");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => trainer.Fit(data)).Message, "Label column 'Price'");
        var pipeline = ml.Transforms.NormalizeMeanVariance("Features").Append(ml.Regression.Trainers.GatedLinearRegression(featureColumnName: "Pixels"));
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => pipeline.Fit(data)).Message, "'Pixels'");
    }

    [TestMethod]
    public void WrongColumnTypesAreNamed()
    {
        var ml = new MLContext(seed: 2);
        IDataView regression = ml.Data.LoadFromEnumerable(TestData.Regression(20, seed: 2));
        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.BinaryClassification.Trainers.GatedLinearClassification().Fit(regression));
        StringAssert.Contains(e.Message, "Label column 'Label'");
        StringAssert.Contains(e.Message, "Boolean");
        e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.MulticlassClassification.Trainers.GatedLinearClassification().Fit(regression));
        StringAssert.Contains(e.Message, "key type");
        IDataView doubles = ml.Data.LoadFromEnumerable(new[] { new DoubleFeatures { Features = [1, 2] } });
        e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.Regression.Trainers.GatedLinearRegression().Fit(doubles));
        StringAssert.Contains(e.Message, "Feature column 'Features'");
    }

    [TestMethod]
    public void EmptyDataIsRejected()
    {
        var ml = new MLContext(seed: 3);
        IDataView empty = ml.Data.LoadFromEnumerable(new List<RegressionRow>());
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => ml.Regression.Trainers.GatedLinearRegression().Fit(empty)).Message, "no rows");
    }

    [TestMethod]
    public void RowsAllHeldOutAreSaidToBeSo()
    {
        // One row and a held-out share of 0.99: the seeded coin holds it out, and the message says so (not "no rows").
        var ml = new MLContext(seed: 3);
        IDataView one = ml.Data.LoadFromEnumerable(TestData.Regression(1, seed: 1));
        var options = new GatedLinearRegressionTrainer.Options { ValidationFraction = 0.99, Seed = 1 };
        string message = Assert.ThrowsExactly<ArgumentException>(() => ml.Regression.Trainers.GatedLinearRegression(options).Fit(one)).Message;
        StringAssert.Contains(message, "All 1 training rows");
        StringAssert.Contains(message, "ValidationFraction 0.99");
    }

    [TestMethod]
    public void AMissingValueNamesTheColumnAndRow()
    {
        var ml = new MLContext(seed: 4);
        List<RegressionRow> rows = TestData.Regression(30, seed: 3);
        rows[17].Features[2] = float.NaN;
        var e = Assert.ThrowsExactly<InvalidOperationException>(() => ml.Regression.Trainers.GatedLinearRegression().Fit(ml.Data.LoadFromEnumerable(rows)));
        StringAssert.Contains(e.Message, "Row 17");
        StringAssert.Contains(e.Message, "'Features'");
        StringAssert.Contains(e.Message, "index 2");
    }

    [TestMethod]
    public void AMissingValueWhenScoringNamesTheColumnIndexAndRow()
    {
        var ml = new MLContext(seed: 4);
        var model = ml.Regression.Trainers.GatedLinearRegression().Fit(ml.Data.LoadFromEnumerable(TestData.Regression(50, seed: 3)));
        List<RegressionRow> rows = TestData.Regression(10, seed: 5);
        rows[6].Features[1] = float.NaN;
        var e = Assert.ThrowsExactly<InvalidOperationException>(() => model.Transform(ml.Data.LoadFromEnumerable(rows)).GetColumn<float>("Score").ToArray());
        StringAssert.Contains(e.Message, "Row 6");
        StringAssert.Contains(e.Message, "'Features'");
        StringAssert.Contains(e.Message, "index 1");
    }

    [TestMethod]
    public void AFeatureVectorOfTheWrongSizeIsRejectedWhenScoring()
    {
        var ml = new MLContext(seed: 5);
        var model = ml.Regression.Trainers.GatedLinearRegression().Fit(ml.Data.LoadFromEnumerable(TestData.Regression(50, seed: 4)));
        IDataView wide = ml.Data.LoadFromEnumerable(new[] { new WideRow { Features = [1, 2, 3, 4, 5] } });
        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => model.Transform(wide));
        StringAssert.Contains(e.Message, "Feature column 'Features' holds 5 values; the model was trained on 3");
    }
}
