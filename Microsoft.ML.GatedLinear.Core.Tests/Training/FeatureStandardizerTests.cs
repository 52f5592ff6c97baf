using Microsoft.ML.GatedLinear.Numerics;
using Microsoft.ML.GatedLinear.Training;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.GatedLinear.Tests.Training;

[TestClass]
public class FeatureStandardizerTests
{
    [TestMethod]
    public void OnlineStatisticsMatchTwoPassStatistics()
    {
        var random = new SeededRandom(4);
        float[][] rows = Enumerable.Range(0, 500).Select(_ => new[] { (float)(3 + 2 * random.NextGaussian()), (float)(-1 + 0.1 * random.NextGaussian()), 7f }).ToArray();
        var s = FeatureStandardizer.CreateOnline(3);
        foreach (float[] row in rows)
        {
            s.Observe(row);
        }

        for (int j = 0; j < 2; j++)
        {
            double mean = rows.Average(r => (double)r[j]);
            double std = Math.Sqrt(rows.Sum(r => (r[j] - mean) * (r[j] - mean)) / (rows.Length - 1));
            Assert.AreEqual(mean, s.Mean[j], 1e-9);
            var z = new float[3];
            s.Transform(rows[0], z);
            Assert.AreEqual((rows[0][j] - mean) / std, z[j], 1e-4);
        }

        var constant = new float[3];
        s.Transform(rows[0], constant);
        Assert.AreEqual(0f, constant[2], "a constant feature is centred, not blown up");
    }

    [TestMethod]
    public void SuppliedStatisticsAreFixed()
    {
        var s = FeatureStandardizer.CreateSupplied([1.0, 2.0], [2.0, 0.0]);
        s.Observe([100f, 100f]);
        var z = new float[2];
        s.Transform([5f, 3f], z);
        CollectionAssert.AreEqual(new[] { 2f, 1f }, z);
        Assert.ThrowsExactly<ArgumentException>(() => FeatureStandardizer.CreateSupplied([double.NaN], [1.0]));
    }

    [TestMethod]
    public void IdentityCopiesTheRow()
    {
        var s = FeatureStandardizer.CreateIdentity(2);
        s.Observe([4f, 5f]);
        var z = new float[2];
        s.Transform([4f, 5f], z);
        CollectionAssert.AreEqual(new[] { 4f, 5f }, z);
    }
}
