using Microsoft.ML.GatedLinear.Bernoulli;
using Microsoft.ML.GatedLinear.Data;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.GatedLinear.Tests.Bernoulli;

[TestClass]
public class BadInputTests
{
    private static BernoulliGlnClassifier Binary() => BernoulliGlnClassifier.Create(2, 2, new BernoulliGlnOptions { LayerSizes = [4, 1] });

    [TestMethod]
    [DataRow(float.NaN)]
    [DataRow(float.PositiveInfinity)]
    [DataRow(float.NegativeInfinity)]
    public void NonFiniteFeaturesAreRejectedNamingFeatureAndRow(float bad)
    {
        var data = new LabeledData<int>([0f, 1f, 2f, bad], [0, 1], 2, ["height", "weight"]);
        var e = Assert.ThrowsExactly<ArgumentException>(() => Binary().Fit(data));
        StringAssert.Contains(e.Message, "Row 1");
        StringAssert.Contains(e.Message, "'weight'");

        var model = Binary();
        e = Assert.ThrowsExactly<ArgumentException>(() => model.Learn([bad, 0f], 1));
        StringAssert.Contains(e.Message, "feature 0");
        Assert.ThrowsExactly<ArgumentException>(() => model.PredictProbability([0f, bad]));
        Assert.AreEqual(0, model.UpdateCount);
    }

    [TestMethod]
    public void ABadRowInABatchStopsItBeforeAnyUpdate()
    {
        var model = Binary();
        var e = Assert.ThrowsExactly<ArgumentException>(() => model.Learn([0f, 0f, 1f, float.NaN, 2f, 2f], [0, 1, 0]));
        StringAssert.Contains(e.Message, "Row 1");
        Assert.AreEqual(0, model.UpdateCount);
        CollectionAssert.AreEqual(ModelBytes.Of(Binary()), ModelBytes.Of(model));
    }

    [TestMethod]
    public void WrongRowLengthIsRejected()
    {
        var model = Binary();
        var e = Assert.ThrowsExactly<ArgumentException>(() => model.Learn([1f, 2f, 3f], 0));
        StringAssert.Contains(e.Message, "3 feature values; the model expects 2");
        Assert.ThrowsExactly<ArgumentException>(() => model.PredictClass([1f]));
        Assert.ThrowsExactly<ArgumentException>(() => model.Learn([1f, 2f, 3f], [0, 1]));
        Assert.ThrowsExactly<ArgumentException>(() => model.Fit(new LabeledData<int>([1f, 2f, 3f], [0], 3)));
    }

    [TestMethod]
    [DataRow(2, 2)]
    [DataRow(2, -1)]
    [DataRow(5, 5)]
    public void LabelsOutsideTheClassRangeAreRejected(int classes, int label)
    {
        var model = BernoulliGlnClassifier.Create(2, classes, new BernoulliGlnOptions { LayerSizes = [2, 1] });
        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => model.Learn([0f, 0f], label));
        StringAssert.Contains(e.Message, $"label {label}");
        e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => model.Fit(new LabeledData<int>([0f, 0f, 1f, 1f], [0, label], 2)));
        StringAssert.Contains(e.Message, "Row 1");
    }

    [TestMethod]
    public void EmptyDataIsRejected()
    {
        var e = Assert.ThrowsExactly<ArgumentException>(() => Binary().Fit(new LabeledData<int>([], [], 2)));
        StringAssert.Contains(e.Message, "no rows");
    }

    [TestMethod]
    public void InvalidOptionsAreRejectedByName()
    {
        void Expect(string name, BernoulliGlnOptions options)
        {
            var e = Assert.Throws<ArgumentException>(() => BernoulliGlnClassifier.Create(2, 2, options), name);
            Assert.AreEqual(name, e.ParamName);
        }

        Expect("LayerSizes", new BernoulliGlnOptions { LayerSizes = [4, 2] });
        Expect("LayerSizes", new BernoulliGlnOptions { LayerSizes = [0, 1] });
        Expect("ContextDimension", new BernoulliGlnOptions { ContextDimension = -1 });
        Expect("ContextDimension", new BernoulliGlnOptions { ContextDimension = 17 });
        Expect("WeightBound", new BernoulliGlnOptions { WeightBound = 0 });
        Expect("PredictionClipping", new BernoulliGlnOptions { PredictionClipping = 0.5 });
        Expect("InputClipping", new BernoulliGlnOptions { InputClipping = double.NaN });
        Expect("BiasProbability", new BernoulliGlnOptions { BiasProbability = 1 });
        Expect("SuppliedMean", new BernoulliGlnOptions { Standardization = GatedLinear.Training.StandardizationMode.Supplied });
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => BernoulliGlnClassifier.Create(2, 1));
    }

    [TestMethod]
    public void PredictProbabilityIsForBinaryModelsOnly()
    {
        var model = BernoulliGlnClassifier.Create(2, 3, new BernoulliGlnOptions { LayerSizes = [2, 1] });
        Assert.ThrowsExactly<InvalidOperationException>(() => model.PredictProbability([0f, 0f]));
    }
}
