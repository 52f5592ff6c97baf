using Microsoft.ML.Data;
using Microsoft.ML.GatedLinear.Bernoulli;
using Microsoft.ML.GatedLinear.Data;

namespace Microsoft.ML.Trainers.GatedLinear;

/// <summary>
/// A fitted one-vs-all B-GLN: appends <c>Score</c> (class probabilities, a known-size vector of Single whose
/// slot names are the class names) and <c>PredictedLabel</c> (the label's key type, carrying its key values,
/// so MapKeyToValue recovers the original class).
/// </summary>
public sealed class GatedLinearMulticlassClassificationTransformer : GatedLinearPredictionTransformer<BernoulliGlnClassifier>, ISavedTransformer<GatedLinearMulticlassClassificationTransformer>
{
    internal GatedLinearMulticlassClassificationTransformer(BernoulliGlnClassifier model, string featureColumnName, KeyDataViewType labelType, DataViewSchema.Annotations labelAnnotations)
        : base(model, featureColumnName, model.FeatureCount)
    {
        LabelType = labelType;
        LabelAnnotations = labelAnnotations;
    }

    /// <summary>The key type of the training label, reused for <c>PredictedLabel</c>.</summary>
    public KeyDataViewType LabelType { get; }

    /// <summary>The training label's KeyValues annotation (if it had one).</summary>
    internal DataViewSchema.Annotations LabelAnnotations { get; }

    /// <summary>The exact decomposition of class <paramref name="classIndex"/>'s logit (0-based) into per-feature contributions.</summary>
    public LogitAttribution Explain(ReadOnlySpan<float> features, int classIndex) => Model.Explain(features, classIndex);

    static string ISavedTransformer<GatedLinearMulticlassClassificationTransformer>.Kind => "multiclass";

    static GatedLinearMulticlassClassificationTransformer ISavedTransformer<GatedLinearMulticlassClassificationTransformer>.Read(BinaryReader reader)
    {
        string feature = reader.ReadString();
        (KeyDataViewType type, DataViewSchema.Annotations annotations) = ClassLabels.Read(reader);
        BernoulliGlnClassifier model = BernoulliGlnClassifier.Load(reader.BaseStream);
        ClassLabels.RequireClassCount(type, model.ClassCount);
        return new(model, feature, type, annotations);
    }

    void ISavedTransformer.Write(BinaryWriter writer)
    {
        writer.Write(FeatureColumnName);
        ClassLabels.Write(writer, LabelType, LabelAnnotations);
        Model.Save(writer.BaseStream);
    }

    private protected override OutputColumnsMapper CreateMapper(DataViewSchema inputSchema)
        => new MulticlassClassificationMapper(inputSchema, FeatureColumnName, Model.FeatureCount, Model.ClassCount, LabelType, LabelAnnotations, Model.PredictProbabilities);
}
