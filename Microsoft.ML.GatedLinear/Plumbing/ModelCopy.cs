namespace Microsoft.ML.Trainers.GatedLinear;

/// <summary>A deep copy of a core model through its model format: continued training must not touch the original.</summary>
internal static class ModelCopy
{
    public static T Of<T>(T model, Action<T, Stream> save, Func<Stream, T> load)
    {
        using var copy = new MemoryStream();
        save(model, copy);
        copy.Position = 0;
        return load(copy);
    }
}
