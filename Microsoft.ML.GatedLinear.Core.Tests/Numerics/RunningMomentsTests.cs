using Microsoft.ML.GatedLinear.Numerics;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.GatedLinear.Tests.Numerics;

[TestClass]
public class RunningMomentsTests
{
    [TestMethod]
    public void OnePassEqualsTheTwoPassMeanAndVariance()
    {
        var random = new SeededRandom(3);
        float[][] rows = Enumerable.Range(0, 500).Select(_ => new[] { (float)(1e4 + random.NextGaussian()), (float)(-3 * random.NextDouble()) }).ToArray();
        var moments = new RunningMoments(2);
        foreach (float[] row in rows)
        {
            moments.Add(row);
        }

        for (int j = 0; j < 2; j++)
        {
            double mean = rows.Average(r => (double)r[j]);
            double squares = rows.Sum(r => (r[j] - mean) * (r[j] - mean));
            Assert.AreEqual(mean, moments.Mean[j], 1e-9 * Math.Abs(mean));
            Assert.AreEqual(squares / (rows.Length - 1), moments.SampleVariance(j), 1e-9 * squares / rows.Length);
            Assert.AreEqual(squares / rows.Length, moments.PopulationVariance(j), 1e-9 * squares / rows.Length);
        }

        Assert.AreEqual(500, moments.Count);
        Assert.AreEqual(0, new RunningMoments(1).SampleVariance(0), "no variance before two rows");
    }
}
