namespace Microsoft.ML.Trainers.GatedLinear;

/// <summary>A transformer <see cref="GatedLinearModel"/> stores in the MLGated format: it writes itself after its kind tag.</summary>
internal interface ISavedTransformer
{
    void Write(BinaryWriter writer);
}

/// <summary>
/// The "save me" contract of a gated linear transformer: its kind tag, and how it reads itself back.
/// <see cref="SavedTransformers"/> finds every implementation, so a new transformer touches only its own file.
/// </summary>
internal interface ISavedTransformer<TSelf> : ISavedTransformer
    where TSelf : ITransformer, ISavedTransformer<TSelf>
{
    /// <summary>The tag that names this transformer in a saved model.</summary>
    static abstract string Kind { get; }

    /// <summary>Reads what <see cref="ISavedTransformer.Write"/> wrote.</summary>
    static abstract TSelf Read(BinaryReader reader);
}
