using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.ML.Data;
using Microsoft.ML.GatedLinear.Persistence;
using Microsoft.ML.Trainers.GatedLinear;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.GatedLinear.Tests;

/// <summary>The integrity of <see cref="GatedLinearModel"/> zips: the manifest's checksums and expected chain, and a fuzz.</summary>
[TestClass]
public class ModelZipTests
{
    private static readonly Lazy<byte[]> Saved = new(() =>
    {
        var ml = new MLContext(seed: 4);
        IDataView data = ml.Data.LoadFromEnumerable(TestData.Regression(200, seed: 4));
        var model = ml.Transforms.NormalizeMeanVariance("Features")
            .Append(ml.Regression.Trainers.GatedLinearRegression(numberOfEpochs: 2))
            .Append(ml.Transforms.CopyColumns("Prediction", "Score"))
            .Fit(data);
        using var file = new MemoryStream();
        GatedLinearModel.Save(ml, model, data.Schema, file);
        return file.ToArray();
    });

    private static ModelFormatException LoadFails(byte[] zip) =>
        Assert.ThrowsExactly<ModelFormatException>(() => GatedLinearModel.Load(new MLContext(seed: 1), new MemoryStream(zip), out _));

    [TestMethod]
    public void TheManifestListsEveryEntryWithItsChecksumAndTheChainsOutput()
    {
        using var zip = new ZipArchive(new MemoryStream(Saved.Value));
        Assert.AreEqual("input-schema.mlnet,001.mlnet,002.mlgated,003.mlnet,manifest.json,manifest.sha256", string.Join(',', zip.Entries.Select(e => e.FullName)));
        JsonObject manifest = JsonNode.Parse(zip.GetEntry("manifest.json")!.Open())!.AsObject();
        Assert.AreEqual(3, (int)manifest["version"]!);
        CollectionAssert.AreEqual(new[] { 0, 1, 1, 1 }, manifest["entries"]!.AsArray().Select(e => (int)e!["links"]!).ToArray());
        StringAssert.Contains(string.Join('|', manifest["outputSchema"]!.AsArray().Select(c => (string)c!)), "Prediction: Single");
        Assert.IsNotNull(GatedLinearModel.Load(new MLContext(seed: 1), new MemoryStream(Saved.Value), out _));
    }

    [TestMethod]
    public void AChangedEntryFailsItsChecksumEvenWhereTheZipsOwnCrcIsRight()
    {
        // Rewritten through ZipArchive, so the zip's CRC-32 matches the changed bytes; only the manifest can tell.
        byte[] zip = Rewrite(Saved.Value, (name, bytes) => name == "002.mlgated" ? Flip(bytes, bytes.Length / 2) : bytes, resign: false);
        StringAssert.Contains(LoadFails(zip).Message, "entry '002.mlgated' does not match its checksum");
    }

    [TestMethod]
    public void AStepDroppedFromTheManifestOrTheZipOrAStrayEntryFails()
    {
        byte[] manifestWithoutAStep = Rewrite(Saved.Value, (name, bytes) => name == "manifest.json" ? DropEntry(bytes, "001.mlnet") : bytes, resign: false);
        StringAssert.Contains(LoadFails(manifestWithoutAStep).Message, "does not match the manifest's checksum");

        byte[] zipWithoutAStep = Rewrite(Saved.Value, (name, bytes) => name == "001.mlnet" ? null : bytes, resign: false);
        StringAssert.Contains(LoadFails(zipWithoutAStep).Message, "entry '001.mlnet' is missing");

        byte[] stray = Rewrite(Saved.Value, (name, bytes) => bytes, resign: false, extra: "999.mlnet");
        StringAssert.Contains(LoadFails(stray).Message, "entry '999.mlnet' is not in its manifest");

        // Re-signed as a careful forger would, with the last step gone: the chain no longer outputs the columns listed.
        byte[] resigned = Rewrite(Saved.Value, (name, bytes) => name == "003.mlnet" ? null : bytes, resign: true);
        StringAssert.Contains(LoadFails(resigned).Message, "does not output the columns its manifest lists");
    }

    [TestMethod]
    [DataRow(0)]
    [DataRow(1)]
    [DataRow(2)]
    public void AnEntryML_NETCannotReadFailsAsAModelFormatError(int kind)
    {
        // The input-schema entry (an ML.NET model) replaced by noise, an empty zip, or a zip holding an unrelated file,
        // and the manifest re-signed so the entry reaches ML.NET's loader: whatever that throws arrives as ModelFormatException.
        byte[] Replacement()
        {
            var inner = new MemoryStream();
            if (kind == 0)
            {
                inner.Write(Enumerable.Range(0, 300).Select(i => (byte)(i * 37)).ToArray());
            }
            else
            {
                using var zip = new ZipArchive(inner, ZipArchiveMode.Create, leaveOpen: true);
                if (kind == 2)
                {
                    using var writer = new StreamWriter(zip.CreateEntry("Model/Model.key").Open());
                    writer.Write("not a model");
                }
            }

            return inner.ToArray();
        }

        byte[] rewritten = Rewrite(Saved.Value, (name, bytes) => name == "input-schema.mlnet" ? Replacement() : bytes, resign: true);
        StringAssert.Contains(LoadFails(rewritten).Message, "This is not a readable MLGated ML.NET model");
    }

    [TestMethod]
    public void ModelsSavedByMLContextAreToldWhereToLoad()
    {
        var ml = new MLContext(seed: 1);
        IDataView data = ml.Data.LoadFromEnumerable(TestData.Regression(50, seed: 1));
        using var file = new MemoryStream();
        ml.Model.Save(ml.Transforms.NormalizeMinMax("Features").Fit(data), data.Schema, file);
        StringAssert.Contains(LoadFails(file.ToArray()).Message, "loads with mlContext.Model.Load");
    }

    [TestMethod]
    public void TwoThousandMutatedZipsLoadOrFailAsAModelFormatErrorWithinBoundedMemory()
    {
        byte[] original = Saved.Value;
        var random = new Random(21);
        var ml = new MLContext(seed: 1);
        int loaded = 0;
        for (int trial = 0; trial < 2000; trial++)
        {
            byte[] bytes;
            string mutation;
            switch (trial % 4)
            {
                case 0:
                    bytes = (byte[])original.Clone();
                    int at = random.Next(bytes.Length);
                    bytes[at] ^= (byte)(1 + random.Next(255));
                    mutation = $"byte {at} of the zip flipped";
                    break;
                case 1:
                    int length = random.Next(original.Length);
                    bytes = original[..length];
                    mutation = $"zip truncated to {length}";
                    break;
                default:
                    // Inside an entry, with the manifest re-signed half the time: the entry's own parser must cope.
                    string[] names = ["input-schema.mlnet", "001.mlnet", "002.mlgated", "003.mlnet"];
                    string target = names[random.Next(names.Length)];
                    int position = random.Next(1 << 16);
                    bool resign = trial % 4 == 3;
                    bytes = Rewrite(original, (name, content) => name == target ? Flip(content, position % content.Length) : content, resign);
                    mutation = $"entry {target} byte {position} flipped{(resign ? ", re-signed" : "")}";
                    break;
            }

            long before = GC.GetAllocatedBytesForCurrentThread();
            try
            {
                GatedLinearModel.Load(ml, new MemoryStream(bytes), out _);
                loaded++;
            }
            catch (ModelFormatException)
            {
            }
            catch (Exception e)
            {
                Assert.Fail($"trial {trial} ({mutation}): {e.GetType().Name}: {e.Message}");
            }

            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.IsTrue(allocated < 64L * original.Length + (32 << 20), $"trial {trial} ({mutation}): {allocated} bytes allocated for a {bytes.Length}-byte zip");
        }

        Console.WriteLine($"{loaded} of 2000 mutated zips loaded");
    }

    private static byte[] Flip(byte[] bytes, int at)
    {
        byte[] copy = (byte[])bytes.Clone();
        copy[at] ^= 0x5A;
        return copy;
    }

    private static byte[] DropEntry(byte[] manifest, string name)
    {
        JsonObject json = JsonNode.Parse(manifest)!.AsObject();
        JsonArray entries = json["entries"]!.AsArray();
        entries.Remove(entries.First(e => (string)e!["name"]! == name));
        return System.Text.Encoding.UTF8.GetBytes(json.ToJsonString());
    }

    /// <summary>
    /// Rewrites a model zip entry by entry (<paramref name="change"/> returns the new bytes, or null to drop the entry);
    /// with <paramref name="resign"/> the manifest's lengths and checksums are recomputed to match, as a careful forger would.
    /// </summary>
    private static byte[] Rewrite(byte[] original, Func<string, byte[], byte[]?> change, bool resign, string? extra = null)
    {
        var contents = new List<(string Name, byte[] Bytes)>();
        using (var source = new ZipArchive(new MemoryStream(original)))
        {
            foreach (ZipArchiveEntry entry in source.Entries)
            {
                using var bytes = new MemoryStream();
                using (Stream input = entry.Open())
                {
                    input.CopyTo(bytes);
                }

                if (change(entry.FullName, bytes.ToArray()) is byte[] changed)
                {
                    contents.Add((entry.FullName, changed));
                }
            }
        }

        if (extra is not null)
        {
            contents.Add((extra, [1, 2, 3]));
        }

        if (resign)
        {
            int at = contents.FindIndex(c => c.Name == ZipManifest.EntryName);
            JsonObject manifest = JsonNode.Parse(contents[at].Bytes)!.AsObject();
            JsonArray entries = manifest["entries"]!.AsArray();
            foreach (JsonNode? entry in entries.ToArray())
            {
                byte[]? bytes = contents.FirstOrDefault(c => c.Name == (string)entry!["name"]!).Bytes;
                if (bytes is null)
                {
                    entries.Remove(entry);
                    continue;
                }

                entry!["length"] = bytes.Length;
                entry["sha256"] = Convert.ToHexString(SHA256.HashData(bytes));
            }

            byte[] signed = System.Text.Encoding.UTF8.GetBytes(manifest.ToJsonString());
            contents[at] = (ZipManifest.EntryName, signed);
            int checksum = contents.FindIndex(c => c.Name == ZipManifest.ChecksumEntryName);
            contents[checksum] = (ZipManifest.ChecksumEntryName, System.Text.Encoding.ASCII.GetBytes(Convert.ToHexString(SHA256.HashData(signed))));
        }

        using var target = new MemoryStream();
        using (var zip = new ZipArchive(target, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach ((string name, byte[] bytes) in contents)
            {
                using Stream output = zip.CreateEntry(name).Open();
                output.Write(bytes);
            }
        }

        return target.ToArray();
    }
}
