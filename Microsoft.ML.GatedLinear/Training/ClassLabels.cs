using Microsoft.ML.Data;
using Microsoft.ML.GatedLinear.Persistence;

namespace Microsoft.ML.Trainers.GatedLinear;

/// <summary>The class labels a multiclass transformer reports: the training label's key type and names.</summary>
internal static class ClassLabels
{
    /// <summary>The training label's key type and its KeyValues annotation, for <c>PredictedLabel</c>.</summary>
    public static (KeyDataViewType Type, DataViewSchema.Annotations Annotations) KeyOf(DataViewSchema.Column label)
    {
        var annotations = new DataViewSchema.Annotations.Builder();
        annotations.Add(label.Annotations, kind => kind == AnnotationNames.KeyValues);
        return ((KeyDataViewType)label.Type, annotations.ToAnnotations());
    }

    /// <summary>Writes the key count and the class names (only text key values are stored; others are dropped, keys still work).</summary>
    public static void Write(BinaryWriter writer, KeyDataViewType labelType, DataViewSchema.Annotations annotations)
    {
        writer.Write(labelType.Count);
        string[] names = KeyNames(annotations);
        writer.Write(names.Length);
        foreach (string name in names)
        {
            writer.Write(name);
        }
    }

    /// <summary>Reads what <see cref="Write"/> wrote.</summary>
    public static (KeyDataViewType Type, DataViewSchema.Annotations Annotations) Read(BinaryReader reader)
    {
        ulong count = reader.ReadUInt64();
        int nameCount = reader.ReadInt32();
        if (count is < 2 or > int.MaxValue || (nameCount != 0 && (ulong)nameCount != count))
        {
            throw new ModelFormatException($"The model file is corrupted: a label with {count} classes and {nameCount} class names.");
        }

        // Each name takes at least its length byte: a count beyond the bytes left is a lie, refused before allocating.
        if (reader.BaseStream.CanSeek && nameCount > reader.BaseStream.Length - reader.BaseStream.Position)
        {
            throw new ModelFormatException($"The model file is corrupted: it claims {nameCount} class names but only {reader.BaseStream.Length - reader.BaseStream.Position} bytes remain.");
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

    /// <summary>Throws unless the saved label has as many classes as the model it goes with.</summary>
    public static void RequireClassCount(KeyDataViewType label, int modelClasses)
    {
        if (label.Count != (ulong)modelClasses)
        {
            throw new ModelFormatException($"The model file is corrupted: its label has {label.Count} classes but its model predicts {modelClasses}.");
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
}

