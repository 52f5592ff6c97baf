using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.ML.Data;
using Microsoft.ML.GatedLinear.Persistence;

namespace Microsoft.ML.Trainers.GatedLinear;

/// <summary>
/// The table of contents of a <see cref="GatedLinearModel"/> zip: every entry with its length, SHA-256 and the number of
/// chain links it holds, in chain order, and the column names and types the whole chain outputs. The manifest carries its
/// own SHA-256 in a second entry. .NET's <see cref="ZipArchive"/> does not verify CRC-32 on read, so these checksums are
/// what detects a corrupted entry, and the expected chain is what detects a step dropped or reordered. They guard
/// against damage, not against a forger who rewrites the manifest and its checksum together.
/// </summary>
internal sealed class ZipManifest
{
    public const string EntryName = "manifest.json";
    public const string ChecksumEntryName = "manifest.sha256";
    public const int FormatVersion = 3;
    private const long MaxManifestBytes = 1 << 20;
    private const int MaxEntries = 10_000;

    public int Version { get; init; } = FormatVersion;

    public List<Entry> Entries { get; init; } = [];

    /// <summary>"name: type" of every column the chain outputs, hidden ones included, in schema order.</summary>
    public List<string> OutputSchema { get; init; } = [];

    public sealed record Entry(string Name, long Length, string Sha256, int Links);

    /// <summary>"name: type" of every column of <paramref name="schema"/>, in order.</summary>
    public static List<string> Describe(DataViewSchema schema) => [.. schema.Select(c => $"{c.Name}: {c.Type}")];

    /// <summary>Writes <paramref name="bytes"/> as entry <paramref name="name"/> holding <paramref name="links"/> chain links, and lists it.</summary>
    public void Add(ZipArchive zip, string name, byte[] bytes, int links)
    {
        using (Stream entry = zip.CreateEntry(name).Open())
        {
            entry.Write(bytes);
        }

        Entries.Add(new Entry(name, bytes.Length, Convert.ToHexString(SHA256.HashData(bytes)), links));
    }

    public void Write(ZipArchive zip)
    {
        byte[] manifest = JsonSerializer.SerializeToUtf8Bytes(this, ZipManifestJson.Options);
        using (Stream entry = zip.CreateEntry(EntryName).Open())
        {
            entry.Write(manifest);
        }

        using var checksum = new StreamWriter(zip.CreateEntry(ChecksumEntryName).Open());
        checksum.Write(Convert.ToHexString(SHA256.HashData(manifest)));
    }

    /// <summary>Reads and checks the manifest: its checksum, its version, and that it lists exactly the zip's other entries.</summary>
    public static ZipManifest Read(ZipArchive zip)
    {
        if (zip.Entries.Count > MaxEntries)
        {
            throw new ModelFormatException($"The model file is corrupted: it holds {zip.Entries.Count} entries.");
        }

        ZipArchiveEntry entry = zip.GetEntry(EntryName) ?? throw new ModelFormatException($"This is not an MLGated ML.NET model: it has no {EntryName}. (A zip from MLContext.Model.Save loads with mlContext.Model.Load; models that contain MLGated transformers are saved and loaded with GatedLinearModel.)");
        byte[] manifest = ReadEntry(entry, MaxManifestBytes);
        string expected = System.Text.Encoding.ASCII.GetString(ReadEntry(zip.GetEntry(ChecksumEntryName) ?? throw new ModelFormatException($"The model file is corrupted: {ChecksumEntryName} is missing."), 64));
        if (!string.Equals(expected, Convert.ToHexString(SHA256.HashData(manifest)), StringComparison.Ordinal))
        {
            throw new ModelFormatException("The model file is corrupted: its manifest does not match the manifest's checksum.");
        }

        ZipManifest? read;
        try
        {
            read = JsonSerializer.Deserialize<ZipManifest>(manifest, ZipManifestJson.Options);
        }
        catch (JsonException e)
        {
            throw new ModelFormatException($"The model file is corrupted: its manifest is not valid ({e.Message}).", e);
        }

        if (read is null || read.Version != FormatVersion)
        {
            throw new ModelFormatException($"Unsupported MLGated model version {read?.Version}; this library reads version {FormatVersion}.");
        }

        if (read.Entries is null || read.OutputSchema is null || read.Entries.Any(e => e is null || e.Name is null || e.Sha256 is null || e.Links < 0) || read.OutputSchema.Any(c => c is null) || read.Entries.Count == 0)
        {
            throw new ModelFormatException("The model file is corrupted: its manifest has incomplete entries.");
        }

        var listed = new HashSet<string>(read.Entries.Select(e => e.Name)) { EntryName, ChecksumEntryName };
        ZipArchiveEntry? stray = zip.Entries.FirstOrDefault(e => !listed.Contains(e.FullName));
        if (stray is not null || listed.Count != read.Entries.Count + 2)
        {
            throw new ModelFormatException($"The model file is corrupted: {(stray is null ? "its manifest lists an entry twice" : $"entry '{stray.FullName}' is not in its manifest")}.");
        }

        return read;
    }

    /// <summary>The bytes of a listed entry, after checking its length (before reading) and its SHA-256.</summary>
    public static MemoryStream Open(ZipArchive zip, Entry listed)
    {
        ZipArchiveEntry entry = zip.GetEntry(listed.Name) ?? throw new ModelFormatException($"The model file is corrupted: entry '{listed.Name}' is missing.");
        if (entry.Length != listed.Length)
        {
            throw new ModelFormatException($"The model file is corrupted: entry '{listed.Name}' holds {entry.Length} bytes, its manifest says {listed.Length}.");
        }

        byte[] bytes = ReadEntry(entry, ModelFile.MaxPayloadBytes);
        if (!string.Equals(listed.Sha256, Convert.ToHexString(SHA256.HashData(bytes)), StringComparison.Ordinal))
        {
            throw new ModelFormatException($"The model file is corrupted: entry '{listed.Name}' does not match its checksum.");
        }

        return new MemoryStream(bytes, writable: false);
    }

    // The declared length is checked first and the read is capped at it: a zip can lie about lengths.
    private static byte[] ReadEntry(ZipArchiveEntry entry, long limit)
    {
        if (entry.Length > limit)
        {
            throw new ModelFormatException($"The model file is corrupted: entry '{entry.FullName}' declares {entry.Length} bytes.");
        }

        var bytes = new byte[entry.Length];
        using Stream source = entry.Open();
        int total = 0, read;
        while (total < bytes.Length && (read = source.Read(bytes, total, bytes.Length - total)) > 0)
        {
            total += read;
        }

        if (total < bytes.Length || source.ReadByte() >= 0)
        {
            throw new ModelFormatException($"The model file is corrupted: entry '{entry.FullName}' does not hold the {entry.Length} bytes it declares.");
        }

        return bytes;
    }
}

internal static class ZipManifestJson
{
    public static readonly JsonSerializerOptions Options = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase, MaxDepth = 8 };
}
