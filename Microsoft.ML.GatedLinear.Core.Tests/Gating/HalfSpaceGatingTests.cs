using Microsoft.ML.GatedLinear.Gating;
using Microsoft.ML.GatedLinear.Numerics;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.GatedLinear.Tests.Gating;

[TestClass]
public class HalfSpaceGatingTests
{
    [TestMethod]
    public void ContextIndexPacksOneBitPerHyperplane()
    {
        // Neuron 0: planes x ≥ 0 (bit 0) and y ≥ 1 (bit 1). Neuron 1: plane −x ≥ 0.5 (bit 0).
        float[] normals = [1, 0, 0, 1, -1, 0];
        float[] offsets = [0, 1, 0.5f];
        var gating = new HalfSpaceGating(2, 1, 2, [1, 0, -1, 0], [0, 0.5f]);
        var pair = new HalfSpaceGating(1, 2, 2, normals[..4], offsets[..2]);
        var contexts = new int[1];

        pair.ComputeContexts([2f, 3f], contexts);
        Assert.AreEqual(0b11, contexts[0]);
        pair.ComputeContexts([2f, 0f], contexts);
        Assert.AreEqual(0b01, contexts[0]);
        pair.ComputeContexts([-2f, 3f], contexts);
        Assert.AreEqual(0b10, contexts[0]);
        pair.ComputeContexts([-2f, 0f], contexts);
        Assert.AreEqual(0b00, contexts[0]);

        var two = new int[2];
        gating.ComputeContexts([-1f, 0f], two);
        CollectionAssert.AreEqual(new[] { 0, 1 }, two);
    }

    [TestMethod]
    public void RandomHyperplanesHaveUnitNormalsAndScaledOffsets()
    {
        var gating = HalfSpaceGating.CreateRandom(200, 3, 10, offsetScale: 2.0, new SeededRandom(1));
        for (int p = 0; p < 600; p++)
        {
            double norm = Math.Sqrt(gating.Normals.Slice(p * 10, 10).ToArray().Sum(v => (double)v * v));
            Assert.AreEqual(1.0, norm, 1e-5);
        }

        double variance = gating.Offsets.ToArray().Sum(b => (double)b * b) / 600;
        Assert.AreEqual(4.0, variance, 0.8);
    }

    [TestMethod]
    public void FeatureAxisHyperplanesThresholdOneFeatureEach()
    {
        var gating = HalfSpaceGating.CreateRandom(100, 3, 7, offsetScale: 1.0, new SeededRandom(2), HyperplaneDirection.FeatureAxis);
        var axes = new int[7];
        for (int p = 0; p < 300; p++)
        {
            float[] normal = gating.Normals.Slice(p * 7, 7).ToArray();
            Assert.AreEqual(6, normal.Count(v => v == 0), $"plane {p}");
            Assert.AreEqual(1f, normal.Sum(), $"plane {p}");
            axes[Array.IndexOf(normal, 1f)]++;
        }

        Assert.IsTrue(axes.All(count => count is > 20 and < 70), string.Join(", ", axes));

        // A row's bit for plane k of neuron 0 is whether its feature on that axis reaches the offset.
        float[] z = [0.3f, -1.2f, 2.0f, 0.0f, -0.4f, 0.9f, -2.5f];
        var contexts = new int[100];
        gating.ComputeContexts(z, contexts);
        int expected = 0;
        for (int k = 0; k < 3; k++)
        {
            int axis = gating.Normals.Slice(k * 7, 7).IndexOf(1f);
            expected |= z[axis] >= gating.Offsets[k] ? 1 << k : 0;
        }

        Assert.AreEqual(expected, contexts[0]);
    }

    [TestMethod]
    [DataRow(50, DisplayName = "50 features")]
    [DataRow(4, DisplayName = "4 features")]
    [DataRow(100, DisplayName = "100 features (matrix product, one tile of planes)")]
    [DataRow(300, DisplayName = "300 features (matrix product, tiles of 27 neurons' planes)")]
    public void BatchContextsEqualSingleRowContexts(int d)
    {
        var random = new SeededRandom(2);
        const int rows = 700;
        var gating = HalfSpaceGating.CreateRandom(33, 4, d, 1.0, random);
        float[] batch = Enumerable.Range(0, rows * d).Select(_ => (float)random.NextGaussian()).ToArray();
        var batched = new int[rows * 33];
        gating.ComputeContexts(batch, rows, batched);

        var single = new int[33];
        for (int r = 0; r < rows; r++)
        {
            gating.ComputeContexts(batch.AsSpan(r * d, d), single);
            CollectionAssert.AreEqual(single, batched.AsSpan(r * 33, 33).ToArray(), $"row {r}");
        }

        Assert.IsTrue(batched.Distinct().Count() == 16, "all 16 contexts should occur");
    }

    [TestMethod]
    [DataRow(1)]
    [DataRow(4)]
    [DataRow(64, DisplayName = "64 features (the most the lanes kernel takes)")]
    public void FewFeatureContextsAreEachPlanesSideSummedInFeatureOrder(int d)
    {
        // 33 neurons: whole blocks of vector lanes and a last block of one neuron.
        const int rows = 40, neurons = 33, s = 5;
        var random = new SeededRandom(4);
        var gating = HalfSpaceGating.CreateRandom(neurons, s, d, 0.5, random);
        float[] batch = Enumerable.Range(0, rows * d).Select(_ => (float)random.NextGaussian()).ToArray();
        var contexts = new int[rows * neurons];
        gating.ComputeContexts(batch, rows, contexts);
        for (int r = 0; r < rows; r++)
        {
            for (int n = 0; n < neurons; n++)
            {
                int expected = 0;
                for (int k = 0; k < s; k++)
                {
                    int plane = n * s + k;
                    float projection = 0;
                    for (int j = 0; j < d; j++)
                    {
                        projection += batch[r * d + j] * gating.Normals[plane * d + j];
                    }

                    expected |= projection >= gating.Offsets[plane] ? 1 << k : 0;
                }

                Assert.AreEqual(expected, contexts[r * neurons + n], $"row {r}, neuron {n}");
            }
        }
    }

    [TestMethod]
    [DataRow(8)]
    [DataRow(300)]
    public void ABatchSplitAcrossCoresHasTheContextsOfOneCore(int d)
    {
        var random = new SeededRandom(3);
        const int rows = 501, neurons = 130;
        var gating = HalfSpaceGating.CreateRandom(neurons, 4, d, 1.0, random);
        var oneCore = new ContextBatch(gating);
        var twoCores = new ContextBatch(gating);
        oneCore.Reserve(rows);
        twoCores.Reserve(rows);
        for (int r = 0; r < rows; r++)
        {
            for (int j = 0; j < d; j++)
            {
                oneCore.Z(r)[j] = twoCores.Z(r)[j] = (float)random.NextGaussian();
            }
        }

        oneCore.ComputeContexts(0, rows);
        twoCores.ComputeContexts(0, rows, degreeOfParallelism: 2);
        CollectionAssert.AreEqual(oneCore.Contexts(0, rows).ToArray(), twoCores.Contexts(0, rows).ToArray());
        Assert.IsTrue(oneCore.Contexts(0, rows).ToArray().Distinct().Count() == 16, "all 16 contexts should occur");
    }

    [TestMethod]
    public void TheSameSeedDrawsTheSameHyperplanes()
    {
        var a = HalfSpaceGating.CreateRandom(5, 2, 4, 1.0, new SeededRandom(9));
        var b = HalfSpaceGating.CreateRandom(5, 2, 4, 1.0, new SeededRandom(9));
        var c = HalfSpaceGating.CreateRandom(5, 2, 4, 1.0, new SeededRandom(10));
        Assert.IsTrue(a.Normals.SequenceEqual(b.Normals) && a.Offsets.SequenceEqual(b.Offsets));
        Assert.IsFalse(a.Normals.SequenceEqual(c.Normals));
    }

    [TestMethod]
    public void RejectsAnOutOfRangeContextDimension()
    {
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => HalfSpaceGating.CreateRandom(1, 17, 2, 1.0, new SeededRandom(1)));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => HalfSpaceGating.CreateRandom(1, -1, 2, 1.0, new SeededRandom(1)));
    }

    [TestMethod]
    [DataRow(2)]
    [DataRow(100, DisplayName = "100 features (matrix product kernel)")]
    public void ContextDimensionZeroPutsEveryRowInContextZero(int d)
    {
        var random = new SeededRandom(1);
        var gating = HalfSpaceGating.CreateRandom(3, 0, d, 1.0, random);
        Assert.AreEqual(1, gating.ContextCount);
        float[] batch = Enumerable.Range(0, 3 * d).Select(_ => (float)random.NextGaussian()).ToArray();
        var contexts = new int[9];
        contexts.AsSpan().Fill(-1);
        gating.ComputeContexts(batch, 3, contexts);
        CollectionAssert.AreEqual(new int[9], contexts);
        var one = new int[3] { -1, -1, -1 };
        gating.ComputeContexts(batch.AsSpan(0, d), one);
        CollectionAssert.AreEqual(new int[3], one);
    }
}
