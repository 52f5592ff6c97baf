using System.Reflection;

namespace Microsoft.ML.Trainers.GatedLinear;

/// <summary>
/// The one reader table of the saved transformers: every <see cref="ISavedTransformer{TSelf}"/> in this assembly, found
/// once by reflection, under its kind tag.
/// </summary>
internal static class SavedTransformers
{
    private static readonly Dictionary<Type, (string Kind, Func<BinaryReader, ITransformer> Read)> ByType = typeof(SavedTransformers).Assembly.GetTypes()
        .Where(t => t.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(ISavedTransformer<>)))
        .ToDictionary(t => t, t => ((string, Func<BinaryReader, ITransformer>))typeof(SavedTransformers).GetMethod(nameof(Entry), BindingFlags.NonPublic | BindingFlags.Static)!.MakeGenericMethod(t).Invoke(null, null)!);

    private static readonly Dictionary<string, Func<BinaryReader, ITransformer>> ByKind = ByType.Values.ToDictionary(e => e.Kind, e => e.Read);

    /// <summary>Every kind tag, for tests.</summary>
    public static IEnumerable<string> Kinds => ByKind.Keys;

    /// <summary>Writes the kind tag, then the transformer.</summary>
    public static void Write(BinaryWriter writer, ISavedTransformer transformer)
    {
        writer.Write(ByType[transformer.GetType()].Kind);
        transformer.Write(writer);
    }

    /// <summary>Reads a kind tag and the transformer it names.</summary>
    /// <exception cref="Microsoft.ML.GatedLinear.Persistence.ModelFormatException">The tag names no known transformer.</exception>
    public static ITransformer Read(BinaryReader reader)
    {
        string kind = reader.ReadString();
        return ByKind.TryGetValue(kind, out Func<BinaryReader, ITransformer>? read)
            ? read(reader)
            : throw new Microsoft.ML.GatedLinear.Persistence.ModelFormatException($"The model file holds an unknown MLGated transformer kind '{kind}'.");
    }

    private static (string, Func<BinaryReader, ITransformer>) Entry<T>()
        where T : ITransformer, ISavedTransformer<T>
        => (T.Kind, reader => T.Read(reader));
}
