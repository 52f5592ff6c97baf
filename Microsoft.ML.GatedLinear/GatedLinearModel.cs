using System.IO.Compression;
using Microsoft.ML.Data;
using Microsoft.ML.GatedLinear.Bernoulli;
using Microsoft.ML.GatedLinear.Classification;
using Microsoft.ML.GatedLinear.Data;
using Microsoft.ML.GatedLinear.Galu;
using Microsoft.ML.GatedLinear.GaluTrainers;
using Microsoft.ML.GatedLinear.Gon;
using Microsoft.ML.GatedLinear.GonFeaturizer;
using Microsoft.ML.GatedLinear.Gaussian;
using Microsoft.ML.GatedLinear.Persistence;
using Microsoft.ML.GatedLinear.Regression;

namespace Microsoft.ML.GatedLinear;

/// <summary>
/// Saves and loads a fitted model — one transformer or a whole <see cref="TransformerChain{TLastTransformer}"/> —
/// that contains gated linear transformers. <c>MLContext.Model.Save</c> cannot serialize third-party
/// transformers, so the chain is split: runs of ML.NET transformers are saved by ML.NET, ours in the MLGated
/// format, all as entries of one zip file.
/// </summary>
public static class GatedLinearModel
{
    private const string SchemaEntry = "input-schema.mlnet";
    private const int FormatVersion = 1;

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
            if (IsOurs(link))
            {
                FlushMlNet();
                string name = $"{manifest.Count:D3}.mlgated";
                using (var writer = new BinaryWriter(zip.CreateEntry(name).Open()))
                {
                    WriteOurs(writer, link);
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
                    links.Add(ReadOurs(reader));
                }
            }

            return new TransformerChain<ITransformer>(links.ToArray());
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or InvalidCastException or FormatException or InvalidOperationException)
        {
            throw new ModelFormatException($"This is not a readable MLGated ML.NET model: {e.Message}", e);
        }
    }

    private static bool IsOurs(ITransformer link)
        => link is GatedLinearRegressionTransformer or GatedLinearBinaryClassificationTransformer or GatedLinearMulticlassClassificationTransformer
            or GaluRegressionTransformer or GaluBinaryClassificationTransformer or GaluMulticlassClassificationTransformer
            or GradientOriginTransformer;

    private static void WriteOurs(BinaryWriter writer, ITransformer link)
    {
        switch (link)
        {
            case GatedLinearRegressionTransformer regression:
                writer.Write("regression");
                writer.Write(regression.FeatureColumnName);
                regression.Model.Save(writer.BaseStream);
                break;
            case GatedLinearBinaryClassificationTransformer binary:
                writer.Write("binary");
                writer.Write(binary.FeatureColumnName);
                binary.Model.Save(writer.BaseStream);
                break;
            case GatedLinearMulticlassClassificationTransformer multiclass:
                writer.Write("multiclass");
                writer.Write(multiclass.FeatureColumnName);
                WriteLabel(writer, multiclass.LabelType, multiclass.LabelAnnotations);
                multiclass.Model.Save(writer.BaseStream);
                break;
            case GradientOriginTransformer gon:
                writer.Write("gon");
                writer.Write(gon.FeatureColumnName);
                writer.Write(gon.OutputColumnName);
                gon.Model.Save(writer.BaseStream);
                break;
            case GaluRegressionTransformer galu:
                writer.Write("galu-regression");
                writer.Write(galu.FeatureColumnName);
                writer.Write(galu.ResidualVariance);
                WriteGalu(writer, galu.Model);
                break;
            case GaluBinaryClassificationTransformer galu:
                writer.Write("galu-binary");
                writer.Write(galu.FeatureColumnName);
                WriteGalu(writer, galu.Model);
                break;
            case GaluMulticlassClassificationTransformer galu:
                writer.Write("galu-multiclass");
                writer.Write(galu.FeatureColumnName);
                WriteLabel(writer, galu.LabelType, galu.LabelAnnotations);
                WriteGalu(writer, galu.Model);
                break;
        }
    }

    private static void WriteLabel(BinaryWriter writer, KeyDataViewType labelType, DataViewSchema.Annotations annotations)
    {
        writer.Write(labelType.Count);
        string[] names = KeyNames(annotations);
        writer.Write(names.Length);
        foreach (string name in names)
        {
            writer.Write(name);
        }
    }

    private static void WriteGalu(BinaryWriter writer, IGaluPredictor model)
    {
        writer.Write(model is ClosedFormGalu ? "closed" : "deep");
        model.Save(writer.BaseStream);
    }

    private static IGaluPredictor ReadGalu(BinaryReader reader) => reader.ReadString() switch
    {
        "closed" => ClosedFormGalu.Load(reader.BaseStream),
        "deep" => DeepGaluNetwork.Load(reader.BaseStream),
        var other => throw new ModelFormatException($"The model file holds an unknown GaLU model kind '{other}'."),
    };

    private static (KeyDataViewType Type, DataViewSchema.Annotations Annotations) ReadLabel(BinaryReader reader)
    {
        ulong count = reader.ReadUInt64();
        int nameCount = reader.ReadInt32();
        if (count is < 2 or > int.MaxValue || (nameCount != 0 && (ulong)nameCount != count))
        {
            throw new ModelFormatException($"The model file is corrupted: a label with {count} classes and {nameCount} class names.");
        }

        var names = new ReadOnlyMemory<char>[nameCount];
        for (int i = 0; i < nameCount; i++)
        {
            names[i] = reader.ReadString().AsMemory();
        }

        var annotations = new DataViewSchema.Annotations.Builder();
        if (nameCount > 0)
        {
            annotations.Add(AnnotationNames.KeyValues, new VectorDataViewType(TextDataViewType.Instance, nameCount), (ref VBuffer<ReadOnlyMemory<char>> value) => new VBuffer<ReadOnlyMemory<char>>(names.Length, names).CopyTo(ref value));
        }

        return (new KeyDataViewType(typeof(uint), count), annotations.ToAnnotations());
    }

    private static ITransformer ReadOurs(BinaryReader reader)
    {
        string kind = reader.ReadString(), feature = reader.ReadString();
        switch (kind)
        {
            case "regression":
                return new GatedLinearRegressionTransformer(GaussianGlnRegressor.Load(reader.BaseStream), feature);
            case "binary":
                return new GatedLinearBinaryClassificationTransformer(BernoulliGlnClassifier.Load(reader.BaseStream), feature);
            case "multiclass":
            {
                (KeyDataViewType type, DataViewSchema.Annotations annotations) = ReadLabel(reader);
                return new GatedLinearMulticlassClassificationTransformer(BernoulliGlnClassifier.Load(reader.BaseStream), feature, type, annotations);
            }

            case "galu-regression":
            {
                double variance = reader.ReadDouble();
                return new GaluRegressionTransformer(ReadGalu(reader), feature, variance);
            }

            case "gon":
            {
                string output = reader.ReadString();
                return new GradientOriginTransformer(GradientOriginNetwork.Load(reader.BaseStream), feature, output);
            }

            case "galu-binary":
                return new GaluBinaryClassificationTransformer(ReadGalu(reader), feature);
            case "galu-multiclass":
            {
                (KeyDataViewType type, DataViewSchema.Annotations annotations) = ReadLabel(reader);
                return new GaluMulticlassClassificationTransformer(ReadGalu(reader), feature, type, annotations);
            }

            default:
                throw new ModelFormatException($"The model file holds an unknown MLGated transformer kind '{kind}'.");
        }
    }

    /// <summary>The label's class names; only text key values are stored (others are dropped, keys still work).</summary>
    private static string[] KeyNames(DataViewSchema.Annotations annotations)
    {
        if (annotations.Schema.GetColumnOrNull(AnnotationNames.KeyValues) is not { Type: VectorDataViewType { ItemType: TextDataViewType } })
        {
            return [];
        }

        VBuffer<ReadOnlyMemory<char>> names = default;
        annotations.GetValue(AnnotationNames.KeyValues, ref names);
        return names.DenseValues().Select(n => n.ToString()).ToArray();
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
