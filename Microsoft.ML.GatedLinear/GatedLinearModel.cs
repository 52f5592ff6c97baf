using System.IO.Compression;
using Microsoft.ML.Data;
using Microsoft.ML.GatedLinear.Persistence;
using Microsoft.ML.Trainers.GatedLinear;

namespace Microsoft.ML;

/// <summary>
/// Saves and loads a fitted model — one transformer or a whole <see cref="TransformerChain{TLastTransformer}"/> —
/// that contains gated linear transformers. <c>MLContext.Model.Save</c> cannot serialize third-party
/// transformers, so the chain is split: runs of ML.NET transformers are saved by ML.NET, ours in the MLGated
/// format, all as entries of one zip file.
/// </summary>
public static class GatedLinearModel
{
    private const string SchemaEntry = "input-schema.mlnet";
    private const int FormatVersion = 2;

    /// <summary>Saves <paramref name="model"/>, fitted on data with <paramref name="inputSchema"/>, to <paramref name="path"/>.</summary>
    public static void Save(MLContext mlContext, ITransformer model, DataViewSchema inputSchema, string path)
    {
        using FileStream file = File.Create(path);
        Save(mlContext, model, inputSchema, file);
    }

    /// <summary>Saves <paramref name="model"/> to a stream (left open).</summary>
    public static void Save(MLContext mlContext, ITransformer model, DataViewSchema inputSchema, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(inputSchema);
        using var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
        using (Stream entry = zip.CreateEntry(SchemaEntry).Open())
        {
            // An empty chain is ML.NET's own way to store a schema.
            mlContext.Model.Save(new TransformerChain<ITransformer>(), inputSchema, entry);
        }

        var links = model is IEnumerable<ITransformer> chain ? chain.ToList() : [model];
        var manifest = new List<string> { $"mlgated-model {FormatVersion}" };
        DataViewSchema schema = inputSchema;
        var pending = new List<ITransformer>();
        DataViewSchema pendingSchema = schema;
        void FlushMlNet()
        {
            if (pending.Count == 0)
            {
                return;
            }

            string name = $"{manifest.Count:D3}.mlnet";
            using (Stream entry = zip.CreateEntry(name).Open())
            {
                mlContext.Model.Save(new TransformerChain<ITransformer>(pending.ToArray()), pendingSchema, entry);
            }

            manifest.Add(name);
            pending.Clear();
        }

        foreach (ITransformer link in links)
        {
            if (link is ISavedTransformer ours)
            {
                FlushMlNet();
                string name = $"{manifest.Count:D3}.mlgated";
                using (var writer = new BinaryWriter(zip.CreateEntry(name).Open()))
                {
                    SavedTransformers.Write(writer, ours);
                }

                manifest.Add(name);
            }
            else
            {
                if (pending.Count == 0)
                {
                    pendingSchema = schema;
                }

                pending.Add(link);
            }

            schema = link.GetOutputSchema(schema);
        }

        FlushMlNet();
        using var manifestWriter = new StreamWriter(zip.CreateEntry("manifest.txt").Open());
        manifestWriter.Write(string.Join('\n', manifest));
    }

    /// <summary>Loads a model saved by <see cref="Save(MLContext, ITransformer, DataViewSchema, string)"/> as a transformer chain.</summary>
    /// <exception cref="ModelFormatException">The file is not such a model, or is corrupted.</exception>
    public static ITransformer Load(MLContext mlContext, string path, out DataViewSchema inputSchema)
    {
        using FileStream file = File.OpenRead(path);
        return Load(mlContext, file, out inputSchema);
    }

    /// <summary>Loads a model from a stream (left open).</summary>
    /// <exception cref="ModelFormatException">The stream is not such a model, or is corrupted.</exception>
    public static ITransformer Load(MLContext mlContext, Stream stream, out DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        try
        {
            using var zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
            string[] manifest = ReadManifest(zip);
            using (Stream entry = OpenSeekable(zip, SchemaEntry))
            {
                mlContext.Model.Load(entry, out inputSchema);
            }

            var links = new List<ITransformer>();
            foreach (string name in manifest.Skip(1))
            {
                using Stream entry = OpenSeekable(zip, name);
                if (name.EndsWith(".mlnet", StringComparison.Ordinal))
                {
                    links.AddRange((TransformerChain<ITransformer>)mlContext.Model.Load(entry, out _));
                }
                else
                {
                    using var reader = new BinaryReader(entry);
                    links.Add(SavedTransformers.Read(reader));
                }
            }

            return new TransformerChain<ITransformer>(links.ToArray());
        }
        // ML.NET's loader reports a bad entry in many ways (InvalidOperation, Format, FileNotFound inside its zip,
        // TargetInvocation from a component's constructor, …): whatever it is, the file is what is wrong.
        catch (Exception e) when (e is not ModelFormatException and not OutOfMemoryException and not OperationCanceledException)
        {
            throw new ModelFormatException($"This is not a readable MLGated ML.NET model: {e.Message}", e);
        }
    }

    private static string[] ReadManifest(ZipArchive zip)
    {
        ZipArchiveEntry entry = zip.GetEntry("manifest.txt") ?? throw new ModelFormatException("This is not an MLGated ML.NET model: it has no manifest.");
        if (entry.Length > 1 << 20)
        {
            throw new ModelFormatException("The model file is corrupted: its manifest is implausibly large.");
        }

        using var reader = new StreamReader(entry.Open());
        string[] lines = reader.ReadToEnd().Split('\n');
        if (lines[0] != $"mlgated-model {FormatVersion}")
        {
            throw new ModelFormatException($"Unsupported MLGated model header '{lines[0]}'; this library reads 'mlgated-model {FormatVersion}'.");
        }

        return lines;
    }

    // ML.NET's loader and ours need seekable streams; entries are copied into memory one at a time, their size
    // checked against the same ceiling as a model payload.
    private static MemoryStream OpenSeekable(ZipArchive zip, string name)
    {
        ZipArchiveEntry entry = zip.GetEntry(name) ?? throw new ModelFormatException($"The model file is corrupted: entry '{name}' is missing.");
        if (entry.Length > ModelFile.MaxPayloadBytes)
        {
            throw new ModelFormatException($"The model file is corrupted: entry '{name}' declares {entry.Length} bytes.");
        }

        var copy = new MemoryStream();
        using (Stream source = entry.Open())
        {
            source.CopyTo(copy);
        }

        copy.Position = 0;
        return copy;
    }
}
