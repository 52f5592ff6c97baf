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
        var manifest = new ZipManifest();
        byte[] SavedByMlNet(IEnumerable<ITransformer> links, DataViewSchema schema)
        {
            using var bytes = new MemoryStream();
            mlContext.Model.Save(new TransformerChain<ITransformer>(links.ToArray()), schema, bytes);
            return bytes.ToArray();
        }

        // An empty chain is ML.NET's own way to store a schema.
        manifest.Add(zip, SchemaEntry, SavedByMlNet([], inputSchema), links: 0);
        var links = model is IEnumerable<ITransformer> chain ? chain.ToList() : [model];
        DataViewSchema schema = inputSchema;
        var pending = new List<ITransformer>();
        DataViewSchema pendingSchema = schema;
        void FlushMlNet()
        {
            if (pending.Count > 0)
            {
                manifest.Add(zip, $"{manifest.Entries.Count:D3}.mlnet", SavedByMlNet(pending, pendingSchema), pending.Count);
                pending.Clear();
            }
        }

        foreach (ITransformer link in links)
        {
            if (link is ISavedTransformer ours)
            {
                FlushMlNet();
                using var bytes = new MemoryStream();
                using (var writer = new BinaryWriter(bytes, System.Text.Encoding.UTF8, leaveOpen: true))
                {
                    SavedTransformers.Write(writer, ours);
                }

                manifest.Add(zip, $"{manifest.Entries.Count:D3}.mlgated", bytes.ToArray(), links: 1);
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
        manifest.OutputSchema.AddRange(ZipManifest.Describe(schema));
        manifest.Write(zip);
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
            ZipManifest manifest = ZipManifest.Read(zip);
            if (manifest.Entries[0] is not { Name: SchemaEntry, Links: 0 })
            {
                throw new ModelFormatException("The model file is corrupted: its first entry is not the input schema.");
            }

            using (Stream entry = ZipManifest.Open(zip, manifest.Entries[0]))
            {
                mlContext.Model.Load(entry, out inputSchema);
            }

            var links = new List<ITransformer>();
            foreach (ZipManifest.Entry listed in manifest.Entries.Skip(1))
            {
                using Stream entry = ZipManifest.Open(zip, listed);
                int before = links.Count;
                if (listed.Name.EndsWith(".mlnet", StringComparison.Ordinal))
                {
                    links.AddRange((TransformerChain<ITransformer>)mlContext.Model.Load(entry, out _));
                }
                else
                {
                    using var reader = new BinaryReader(entry);
                    links.Add(SavedTransformers.Read(reader));
                }

                if (links.Count - before != listed.Links)
                {
                    throw new ModelFormatException($"The model file is corrupted: entry '{listed.Name}' holds {links.Count - before} transformers, its manifest says {listed.Links}.");
                }
            }

            var model = new TransformerChain<ITransformer>(links.ToArray());
            if (!ZipManifest.Describe(model.GetOutputSchema(inputSchema)).SequenceEqual(manifest.OutputSchema))
            {
                throw new ModelFormatException("The model file is corrupted: the loaded chain does not output the columns its manifest lists.");
            }

            return model;
        }
        // ML.NET's loader reports a bad entry in many ways (InvalidOperation, Format, FileNotFound inside its zip,
        // TargetInvocation from a component's constructor, …): whatever it is, the file is what is wrong.
        catch (Exception e) when (e is not ModelFormatException and not OutOfMemoryException and not OperationCanceledException)
        {
            throw new ModelFormatException($"This is not a readable MLGated ML.NET model: {e.Message}", e);
        }
    }
}
