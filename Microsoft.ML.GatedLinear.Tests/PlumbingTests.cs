using Microsoft.ML.Data;
using Microsoft.ML.Trainers.GatedLinear;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.GatedLinear.Tests;

[TestClass]
public class PlumbingTests
{
    [TestMethod]
    public void ABinaryProbabilityIsNeverExactlyZeroOrOneSoItsLogLossStaysFinite()
    {
        // In float σ(20) is exactly 1: a wrong prediction that confident had an infinite log loss.
        foreach (float logit in new[] { 20f, 40f, 1e30f })
        {
            float p = BinaryClassificationMapper.Probability(logit), q = BinaryClassificationMapper.Probability(-logit);
            Assert.IsTrue(p < 1 && q > 0, $"σ({logit}) = {p}, σ({-logit}) = {q}");
            Assert.IsTrue(double.IsFinite(-Math.Log(1 - p)) && double.IsFinite(-Math.Log(q)));
        }

        Assert.AreEqual(0.5f, BinaryClassificationMapper.Probability(0));
        Assert.AreEqual(1f / (1f + MathF.Exp(-3f)), BinaryClassificationMapper.Probability(3f), "inside the margin σ is unchanged");
    }

    [TestMethod]
    public void AMapperScoresEachRowOnceWhateverItsColumnsAsk()
    {
        var ml = new MLContext(seed: 1);
        IDataView data = ml.Data.LoadFromEnumerable(TestData.Xor(50, seed: 3));
        int calls = 0;
        var mapper = new BinaryClassificationMapper(data.Schema, "Features", 2, features =>
        {
            calls++;
            return features[0];
        });
        IDataView scored = mapper.Apply(data);
        using DataViewRowCursor cursor = scored.GetRowCursor(scored.Schema);
        ValueGetter<float> score = cursor.GetGetter<float>(scored.Schema["Score"]), probability = cursor.GetGetter<float>(scored.Schema["Probability"]);
        ValueGetter<bool> label = cursor.GetGetter<bool>(scored.Schema["PredictedLabel"]);
        int rows = 0;
        float value = 0;
        bool predicted = false;
        while (cursor.MoveNext())
        {
            rows++;
            score(ref value);
            probability(ref value);
            label(ref predicted);
            score(ref value);
        }

        Assert.AreEqual(50, rows);
        Assert.AreEqual(rows, calls, "one model run per row for Score, Probability and PredictedLabel");
    }

    [TestMethod]
    public void EveryPublicTransformerHasASaveContractAndAReader()
    {
        Type[] transformers = typeof(GatedLinearCatalog).Assembly.GetExportedTypes()
            .Where(t => !t.IsAbstract && typeof(ITransformer).IsAssignableFrom(t))
            .ToArray();
        Assert.AreEqual(7, transformers.Length, string.Join(", ", transformers.Select(t => t.Name)));
        foreach (Type transformer in transformers)
        {
            Assert.IsTrue(transformer.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(ISavedTransformer<>)), transformer.Name);
        }

        Assert.AreEqual(transformers.Length, SavedTransformers.Kinds.Distinct().Count(), "one kind tag per transformer");
    }
}
