using Microsoft.ML.GatedLinear.Gon;
using Microsoft.ML.GatedLinear.Numerics;
using Microsoft.ML.GatedLinear.Training;
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
        return network.Fit(images, new OnlineTrainingOptions { Epochs = epochs, Seed = options.Seed }).TrainingLoss[^1];
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
    public void AnImplicitGonLearnsAndRendersAtAnyResolution()
    {
        var options = new GonOptions { LatentDimension = 4, HiddenSizes = [32, 32], BatchSize = 32, LearningRate = 1e-3, ImageWidth = Side, ImageHeight = Side };
        double first = Train(options, 1, out _);
        double last = Train(options, 15, out GradientOriginNetwork network);
        Assert.IsTrue(last < 0.7 * first, $"implicit GON outer loss {first} → {last}");

        float[] images = Blobs(3, seed: 4);
        float[] native = network.Render(images, Side, Side), fine = network.Render(images, 2 * Side - 1, 2 * Side - 1);
        CollectionAssert.AreEqual(network.Reconstruct(images), native);
        Assert.AreEqual(3 * 15 * 15, fine.Length);
        // On the finer grid every other pixel is a pixel of the native grid (same coordinates).
        Assert.AreEqual(native[Side + 3], fine[2 * (2 * Side - 1) + 6], 1e-5);
        Assert.ThrowsExactly<ArgumentException>(() => GradientOriginNetwork.Create(10, options));
    }

    [TestMethod]
    public void TrainingReportsProgressAndStopsWhenCancelled()
    {
        var network = GradientOriginNetwork.Create(Side * Side, Small());
        var reports = new List<long>();
        using var cancel = new CancellationTokenSource();
        var progress = new Recorder(p =>
        {
            reports.Add(p.RowsSeen);
            if (p.RowsSeen >= 64)
            {
                cancel.Cancel();
            }
        });
        Assert.ThrowsExactly<OperationCanceledException>(() => network.Fit(Blobs(256, seed: 5), new OnlineTrainingOptions { CancellationToken = cancel.Token, Progress = progress }));
        CollectionAssert.AreEqual(new long[] { 32, 64 }, reports);
    }

    private sealed class Recorder(Action<GatedLinear.Training.TrainingProgress> report) : IProgress<GatedLinear.Training.TrainingProgress>
    {
        public void Report(GatedLinear.Training.TrainingProgress value) => report(value);
    }

    [TestMethod]
    public void BadInputIsRejected()
    {
        var network = GradientOriginNetwork.Create(4, new GonOptions { LatentDimension = 2, HiddenSizes = [4] });
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => network.Fit([0f, 1f, float.NaN, 0f])).Message, "feature 2");
        Assert.ThrowsExactly<ArgumentException>(() => network.Encode([0f, 1f, 0f]));
        Assert.Throws<ArgumentException>(() => GradientOriginNetwork.Create(4, new GonOptions { LatentDimension = 0 }));
    }
}

[TestClass]
public class GradientOriginNetworkFeatureTests
{
    private static float[] Images(int count) => Enumerable.Range(0, count * 16).Select(i => (float)(0.5 + 0.5 * Math.Sin(i * 0.37 + i / 16 * 1.3))).ToArray();

    [TestMethod]
    public void APartialTrailingRowOrANonFiniteValueIsRefusedNamingTheRow()
    {
        var network = GradientOriginNetwork.Create(16, new GonOptions { LatentDimension = 3, HiddenSizes = [8], BatchSize = 8 });
        float[] images = Images(4);
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => network.Fit([.. images, 0.5f])).Message, "65 values do not make whole rows of 16");
        images[2 * 16 + 5] = float.NaN;
        string message = Assert.ThrowsExactly<ArgumentException>(() => network.Fit(images)).Message;
        StringAssert.Contains(message, "Row 2 has a non-finite value (NaN) in feature 5");
    }

    [TestMethod]
    public void LatentsThatOverflowFloatAreRefusedNotReturnedAsNaN()
    {
        // Every weight of a saved network set to 1e30 inside a valid checksum: finite, so the file loads.
        var original = GradientOriginNetwork.Create(16, new GonOptions { LatentDimension = 3, HiddenSizes = [8], BatchSize = 8 });
        using var saved = new MemoryStream();
        original.Save(saved);
        byte[] payload = GatedLinear.Persistence.ModelFile.Read(new MemoryStream(saved.ToArray()), GatedLinear.Persistence.ModelKind.GradientOriginNetwork);
        const int header = 4 + 4 + (4 + 4) + 8 + 4 + 1 + 1 + 4 + 4 + 4; // dimension, latent, hidden sizes, options
        for (int at = header; at < payload.Length - 1;) // length-prefixed weight arrays, then one byte (no latent distribution)
        {
            int length = System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(payload.AsSpan(at));
            for (int i = 0; i < length; i++)
            {
                System.Buffers.Binary.BinaryPrimitives.WriteSingleLittleEndian(payload.AsSpan(at + 4 + 4 * i), 1e30f);
            }

            at += 4 + 4 * length;
        }

        using var file = new MemoryStream();
        GatedLinear.Persistence.ModelFile.Write(file, GatedLinear.Persistence.ModelKind.GradientOriginNetwork, payload);
        file.Position = 0;
        GradientOriginNetwork network = GradientOriginNetwork.Load(file);
        var error = Assert.ThrowsExactly<InvalidOperationException>(() => network.Encode(Images(2)));
        StringAssert.Contains(error.Message, "The latent of row 0 is");
        StringAssert.Contains(error.Message, "overflow float");
    }

    [TestMethod]
    public void SaveAndLoadKeepLatentsReconstructionsAndTheFittedDistribution()
    {
        var network = GradientOriginNetwork.Create(16, new GonOptions { LatentDimension = 3, HiddenSizes = [8], BatchSize = 8 });
        float[] images = Images(32);
        network.Fit(images);
        network.FitLatentDistribution(images);
        using var file = new MemoryStream();
        network.Save(file);
        file.Position = 0;
        GradientOriginNetwork copy = GradientOriginNetwork.Load(file);
        CollectionAssert.AreEqual(network.Encode(images), copy.Encode(images));
        CollectionAssert.AreEqual(network.Reconstruct(images), copy.Reconstruct(images));
        CollectionAssert.AreEqual(network.Sample(4, seed: 2), copy.Sample(4, seed: 2));

        byte[] corrupted = file.ToArray();
        corrupted[^20] ^= 1;
        Assert.ThrowsExactly<GatedLinear.Persistence.ModelFormatException>(() => GradientOriginNetwork.Load(new MemoryStream(corrupted)));
    }

    [TestMethod]
    [Timeout(10_000)]
    public void AHeaderClaimingAHugeNetworkFailsBeforeAnythingIsAllocated()
    {
        // A valid file (checksum and all) whose header claims a hidden layer of 10⁸ units and holds no weights: the
        // loader must refuse it from the sizes alone instead of building and randomly filling a 1.6 GB decoder.
        var w = new GatedLinear.Persistence.PayloadWriter();
        w.Write(16);
        w.Write(3);
        w.Write([100_000_000]);
        w.Write(0.001);
        w.Write(8);
        w.Write(false);
        w.Write(false);
        w.Write(0);
        w.Write(0);
        w.Write(1);
        w.Write(false);
        using var file = new MemoryStream();
        GatedLinear.Persistence.ModelFile.Write(file, GatedLinear.Persistence.ModelKind.GradientOriginNetwork, w.ToArray());
        file.Position = 0;

        long before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.ThrowsExactly<GatedLinear.Persistence.ModelFormatException>(() => GradientOriginNetwork.Load(file));
        StringAssert.Contains(error.Message, "implies at least");
        Assert.IsTrue(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20, "the refusal allocated more than a megabyte");
    }

    [TestMethod]
    public void AVariationalGonTrainsAndSamples()
    {
        var network = GradientOriginNetwork.Create(16, new GonOptions { LatentDimension = 3, HiddenSizes = [16], BatchSize = 8, Variational = true, LearningRate = 3e-3 });
        float[] images = Images(64);
        TrainingHistory history = network.Fit(images, new OnlineTrainingOptions { Epochs = 31 });
        double first = history.TrainingLoss[0], last = history.TrainingLoss[^1];

        Assert.IsTrue(last < first, $"negative ELBO per row {first} → {last}");
        float[] samples = network.Sample(5, seed: 3);
        Assert.AreEqual(5 * 16, samples.Length);
        Assert.IsTrue(samples.All(v => v is >= 0 and <= 1), "a sigmoid decoder's samples are intensities");
    }

    [TestMethod]
    public void SlerpRunsAlongTheArcBetweenLatents()
    {
        float[] a = [1f, 0f], b = [0f, 2f];
        CollectionAssert.AreEqual(a, GradientOriginNetwork.Slerp(a, b, 0));
        float[] end = GradientOriginNetwork.Slerp(a, b, 1);
        Assert.AreEqual(0, end[0], 1e-6);
        Assert.AreEqual(2, end[1], 1e-6);
        float[] middle = GradientOriginNetwork.Slerp(a, b, 0.5);
        Assert.AreEqual(middle[0] / middle[1], 0.5, 1e-5, "equal angular weights: sin(π/4)·a + sin(π/4)·b");
        Assert.ThrowsExactly<InvalidOperationException>(() => GradientOriginNetwork.Create(16, new GonOptions { LatentDimension = 3, HiddenSizes = [4] }).Sample(1, seed: 1));
    }
}
