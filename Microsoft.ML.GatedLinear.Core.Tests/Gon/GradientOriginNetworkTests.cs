using Microsoft.ML.GatedLinear.Gon;
using Microsoft.ML.GatedLinear.Numerics;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.GatedLinear.Tests.Gon;

[TestClass]
public class GradientOriginNetworkTests
{
    private const int Side = 8;

    /// <summary>8×8 images of one Gaussian blob at a random position: data with a two-dimensional latent structure.</summary>
    private static float[] Blobs(int count, int seed)
    {
        var random = new SeededRandom(seed);
        var images = new float[count * Side * Side];
        for (int n = 0; n < count; n++)
        {
            double cx = 1.5 + 5 * random.NextDouble(), cy = 1.5 + 5 * random.NextDouble();
            for (int y = 0; y < Side; y++)
            {
                for (int x = 0; x < Side; x++)
                {
                    images[n * Side * Side + y * Side + x] = (float)Math.Exp(-((x - cx) * (x - cx) + (y - cy) * (y - cy)) / 3.0);
                }
            }
        }

        return images;
    }

    private static double Train(GonOptions options, int epochs, out GradientOriginNetwork network)
    {
        float[] images = Blobs(256, seed: 1);
        network = GradientOriginNetwork.Create(Side * Side, options);
        var random = new SeededRandom(options.Seed);
        double loss = 0;
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            loss = network.TrainEpoch(images, random);
        }

        return loss;
    }

    private static GonOptions Small(bool detach = false) => new() { LatentDimension = 4, HiddenSizes = [32, 32], BatchSize = 32, LearningRate = 3e-3, DetachInnerGradient = detach };

    [TestMethod]
    public void TheOuterLossFallsAndReconstructionsImprove()
    {
        double first = Train(Small(), 1, out _);
        double last = Train(Small(), 30, out GradientOriginNetwork network);
        Assert.IsTrue(last < 0.5 * first, $"outer loss per image: {first} after 1 epoch, {last} after 30");

        float[] images = Blobs(16, seed: 2);
        float[] reconstructed = network.Reconstruct(images);
        double error = images.Zip(reconstructed, (a, b) => (double)(a - b) * (a - b)).Sum() / 16;
        double blank = images.Sum(v => (double)v * v) / 16;
        Assert.IsTrue(error < 0.5 * blank, $"held-out squared error per image {error} vs {blank} for a blank image");
        Assert.AreEqual(16 * 4, network.Encode(images).Length);
    }

    [TestMethod]
    public void DetachingTheInnerGradientTrainsWorse()
    {
        double secondOrder = Train(Small(), 30, out _);
        double detached = Train(Small(detach: true), 30, out _);
        Assert.IsTrue(detached > 1.2 * secondOrder, $"loss with the inner gradient detached {detached}, through it {secondOrder}");
    }

    [TestMethod]
    public void TheSameSeedGivesTheSameNetwork()
    {
        Train(Small(), 2, out GradientOriginNetwork a);
        Train(Small(), 2, out GradientOriginNetwork b);
        float[] images = Blobs(4, seed: 3);
        CollectionAssert.AreEqual(a.Reconstruct(images), b.Reconstruct(images));
    }

    [TestMethod]
    public void BadInputIsRejected()
    {
        var network = GradientOriginNetwork.Create(4, new GonOptions { LatentDimension = 2, HiddenSizes = [4] });
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => network.TrainBatch([0f, 1f, float.NaN, 0f])).Message, "feature 2");
        Assert.ThrowsExactly<ArgumentException>(() => network.Encode([0f, 1f, 0f]));
        Assert.Throws<ArgumentException>(() => GradientOriginNetwork.Create(4, new GonOptions { LatentDimension = 0 }));
    }
}
