using System.Buffers.Binary;
using Microsoft.ML.GatedLinear.Bernoulli;
using Microsoft.ML.GatedLinear.Gating;
using Microsoft.ML.GatedLinear.Persistence;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.GatedLinear.Tests.Persistence;

[TestClass]
public class ModelFileTests
{
    private static byte[] SmallModel()
    {
        var model = BernoulliGlnClassifier.Create(3, 3, new BernoulliGlnOptions { LayerSizes = [3, 1], ContextDimension = 2 });
        model.Fit(Synthetic.Blobs(100, 3, 3, 1.0, seed: 1));
        return ModelBytes.Of(model);
    }

    private static ModelFormatException LoadFails(byte[] bytes, bool seekable = true)
    {
        using Stream stream = seekable ? new MemoryStream(bytes) : new ForwardOnlyStream(bytes);
        return Assert.ThrowsExactly<ModelFormatException>(() => BernoulliGlnClassifier.Load(stream));
    }

    [TestMethod]
    [DataRow(float.NaN)]
    [DataRow(float.PositiveInfinity)]
    public void ANonFiniteWeightInsideAValidChecksumFailsToLoad(float value)
    {
        var model = BernoulliGlnClassifier.Create(3, 3, new BernoulliGlnOptions { LayerSizes = [3, 1], ContextDimension = 2 });
        model.Fit(Synthetic.Blobs(100, 3, 3, 1.0, seed: 1));
        // The file writer checksums whatever it is given: poison one weight in memory, then save.
        var networks = (Array)typeof(BernoulliGlnClassifier).GetField("_networks", System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic)!.GetValue(model)!;
        var layers = (System.Collections.IEnumerable)networks.GetValue(0)!.GetType().GetProperty("Layers")!.GetValue(networks.GetValue(0))!;
        var first = (Microsoft.ML.GatedLinear.Gating.GatedLayer)layers.Cast<object>().First();
        first.Weights[5] = value;

        string message = LoadFails(ModelBytes.Of(model)).Message;
        StringAssert.Contains(message, "non-finite");
        StringAssert.Contains(message, "index 5");
    }

    [TestMethod]
    public void AFlippedPayloadByteFailsTheChecksum()
    {
        byte[] bytes = SmallModel();
        bytes[bytes.Length / 2] ^= 0x40;
        StringAssert.Contains(LoadFails(bytes).Message, "checksum");
    }

    [TestMethod]
    public void TruncatedFilesFailAtEveryLength()
    {
        byte[] bytes = SmallModel();
        foreach (int length in new[] { 0, 5, 19, 20, 100, bytes.Length - 1 })
        {
            StringAssert.Contains(LoadFails(bytes[..length]).Message, "truncated", $"length {length}");
            StringAssert.Contains(LoadFails(bytes[..length], seekable: false).Message, "truncated", $"length {length}, forward-only");
        }
    }

    [TestMethod]
    public void ForeignAndFutureFilesAreRecognised()
    {
        byte[] bytes = SmallModel();
        byte[] foreign = (byte[])bytes.Clone();
        foreign[0] = (byte)'X';
        StringAssert.Contains(LoadFails(foreign).Message, "not an MLGated model");

        byte[] future = (byte[])bytes.Clone();
        BinaryPrimitives.WriteUInt16LittleEndian(future.AsSpan(8), 99);
        StringAssert.Contains(LoadFails(future).Message, "format version 99");

        byte[] otherKind = (byte[])bytes.Clone();
        BinaryPrimitives.WriteUInt16LittleEndian(otherKind.AsSpan(10), 77);
        StringAssert.Contains(LoadFails(otherKind).Message, "unknown model kind");
    }

    [TestMethod]
    public void AHugeDeclaredPayloadIsRejectedBeforeAllocating()
    {
        byte[] bytes = SmallModel();
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(12), long.MaxValue);
        StringAssert.Contains(LoadFails(bytes).Message, "at most");

        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(12), ModelFile.MaxPayloadBytes);
        StringAssert.Contains(LoadFails(bytes).Message, "truncated");
        long before = GC.GetAllocatedBytesForCurrentThread();
        StringAssert.Contains(LoadFails(bytes, seekable: false).Message, "truncated");
        Assert.IsTrue(GC.GetAllocatedBytesForCurrentThread() - before < 16 << 20, "a forward-only stream must not allocate the declared length up front");
    }

    [TestMethod]
    public void HostileShapesWithAValidChecksumAreRejected()
    {
        // Rewrite the payload's first field (the feature count) and re-sign it: the shape no longer matches the arrays.
        byte[] payload = ReadPayload(SmallModel());
        BinaryPrimitives.WriteInt32LittleEndian(payload, 1_000_000);
        StringAssert.Contains(LoadFails(Sign(payload)).Message, "corrupted");

        payload = ReadPayload(SmallModel());
        BinaryPrimitives.WriteInt32LittleEndian(payload.AsSpan(8), int.MaxValue); // the layer-size array's length
        StringAssert.Contains(LoadFails(Sign(payload)).Message, "truncated");

        payload = ReadPayload(SmallModel());
        BinaryPrimitives.WriteInt32LittleEndian(payload.AsSpan(4), 0); // class count 0
        StringAssert.Contains(LoadFails(Sign(payload)).Message, "class count");

        byte[] trailing = [.. ReadPayload(SmallModel()), 1, 2, 3];
        StringAssert.Contains(LoadFails(Sign(trailing)).Message, "unexpected bytes");
    }

    [TestMethod]
    public void TheHyperplaneDirectionSurvivesSavingAndOlderFilesReadAsRandom()
    {
        var options = new BernoulliGlnOptions { LayerSizes = [3, 1], ContextDimension = 2, HyperplaneDirection = HyperplaneDirection.FeatureAxis };
        var model = BernoulliGlnClassifier.Create(3, 2, options);
        model.Fit(Synthetic.Blobs(100, 2, 3, 1.0, seed: 1));
        byte[] bytes = ModelBytes.Of(model);
        BernoulliGlnClassifier loaded = ModelBytes.RoundTrip(model);
        Assert.AreEqual(HyperplaneDirection.FeatureAxis, loaded.Options.HyperplaneDirection);
        CollectionAssert.AreEqual(bytes, ModelBytes.Of(loaded));

        // The same payload without its ensemble size, its discriminant and its last field, as format version 2 wrote it.
        byte[] version3 = AsVersion3Payload(ReadPayload(bytes), model.UpdateCount);
        using var stream = new MemoryStream(AsVersion(version3.AsSpan(0, version3.Length - sizeof(int)).ToArray(), 2));
        Assert.AreEqual(HyperplaneDirection.Random, BernoulliGlnClassifier.Load(stream).Options.HyperplaneDirection);
    }

    [TestMethod]
    public void OlderFilesReadAsOneModelPerClass()
    {
        var model = BernoulliGlnClassifier.Create(3, 3, new BernoulliGlnOptions { LayerSizes = [3, 1], ContextDimension = 2 });
        model.Fit(Synthetic.Blobs(100, 3, 3, 1.0, seed: 1));
        byte[] version3 = AsVersion3Payload(ReadPayload(ModelBytes.Of(model)), model.UpdateCount);
        using var stream = new MemoryStream(AsVersion(version3, 3));
        BernoulliGlnClassifier loaded = BernoulliGlnClassifier.Load(stream);
        Assert.AreEqual(1, loaded.EnsembleSize);
        CollectionAssert.AreEqual(ModelBytes.Of(model), ModelBytes.Of(loaded), "read as version 3, saved as the current version: the same model");

        // A version-4 file whose ensemble size says more members than its weights hold fails as corrupted.
        byte[] payload = ReadPayload(ModelBytes.Of(model));
        BinaryPrimitives.WriteInt32LittleEndian(payload.AsSpan(EnsembleSizeOffset(payload, model.UpdateCount)), BernoulliGlnClassifier.MaxEnsembleSize);
        StringAssert.Contains(LoadFails(Sign(payload)).Message, "corrupted");
    }

    [TestMethod]
    public void Version5FilesReadWithoutADiscriminantAndAWrongInputCountFails()
    {
        var model = BernoulliGlnClassifier.Create(3, 3, new BernoulliGlnOptions { LayerSizes = [3, 1], ContextDimension = 2 });
        model.Fit(Synthetic.Blobs(100, 3, 3, 1.0, seed: 2));
        byte[] payload = ReadPayload(ModelBytes.Of(model));
        int count = EnsembleSizeOffset(payload, model.UpdateCount) + sizeof(int) + sizeof(long);
        using var stream = new MemoryStream(AsVersion([.. payload.AsSpan(0, count), .. payload.AsSpan(count + sizeof(int))], 5));
        BernoulliGlnClassifier loaded = BernoulliGlnClassifier.Load(stream);
        Assert.IsFalse(loaded.UsesLinearDiscriminantBase);
        CollectionAssert.AreEqual(ModelBytes.Of(model), ModelBytes.Of(loaded), "read as version 5, saved as the current version: the same model");

        // Three classes have three discriminant inputs (or none): two is corrupted, four out of range.
        BinaryPrimitives.WriteInt32LittleEndian(payload.AsSpan(count), 2);
        StringAssert.Contains(LoadFails(Sign(payload)).Message, "corrupted");
        BinaryPrimitives.WriteInt32LittleEndian(payload.AsSpan(count), 4);
        StringAssert.Contains(LoadFails(Sign(payload)).Message, "discriminant");
    }

    // Where a B-GLN payload's ensemble size (1) is: just before its update count (format version 4), which its count of
    // discriminant inputs (0) follows (format version 6).
    private static int EnsembleSizeOffset(byte[] payload, long updateCount)
    {
        byte[] pattern = new byte[16];
        BinaryPrimitives.WriteInt32LittleEndian(pattern, 1);
        BinaryPrimitives.WriteInt64LittleEndian(pattern.AsSpan(4), updateCount);
        int at = payload.AsSpan().IndexOf(pattern);
        Assert.IsTrue(at > 0, "the ensemble size, update count and discriminant inputs are in the payload");
        return at;
    }

    // The payload of a model without a discriminant as format version 3 wrote it: no ensemble size, no discriminant.
    private static byte[] AsVersion3Payload(byte[] payload, long updateCount)
    {
        int at = EnsembleSizeOffset(payload, updateCount);
        return [.. payload.AsSpan(0, at), .. payload.AsSpan(at + sizeof(int), sizeof(long)), .. payload.AsSpan(at + 2 * sizeof(int) + sizeof(long))];
    }

    private static byte[] AsVersion(byte[] payload, ushort version)
    {
        byte[] file = Sign(payload);
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(8), version);
        return file;
    }

    [TestMethod]
    public void SavingTwiceGivesTheSameBytes()
    {
        var model = BernoulliGlnClassifier.Create(3, 2);
        model.Fit(Synthetic.Blobs(100, 2, 3, 1.0, seed: 1));
        CollectionAssert.AreEqual(ModelBytes.Of(model), ModelBytes.Of(model));
    }

    private static byte[] ReadPayload(byte[] file) => ModelFile.Read(new MemoryStream(file), ModelKind.BernoulliGlnClassifier);

    private static byte[] Sign(byte[] payload)
    {
        using var stream = new MemoryStream();
        ModelFile.Write(stream, ModelKind.BernoulliGlnClassifier, payload);
        return stream.ToArray();
    }

    /// <summary>A stream that cannot seek, like a network or pipe: lengths can't be checked up front.</summary>
    private sealed class ForwardOnlyStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;

        public override long Length => throw new NotSupportedException();
    }
}
