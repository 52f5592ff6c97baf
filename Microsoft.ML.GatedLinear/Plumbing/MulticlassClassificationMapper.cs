using System.Numerics.Tensors;
using Microsoft.ML.Data;

namespace Microsoft.ML.Trainers.GatedLinear;

/// <summary>Computes class probabilities from dense features.</summary>
internal delegate void ProbabilityScorer(ReadOnlySpan<float> features, Span<float> probabilities);

/// <summary>
/// Appends <c>Score</c> (class probabilities, with the class names as slot names when the label has text key
/// values) and <c>PredictedLabel</c> (the label's key type and key values, so MapKeyToValue recovers the class).
/// </summary>
internal sealed class MulticlassClassificationMapper : OutputColumnsMapper
{
    private readonly ProbabilityScorer _scorer;
    private readonly int _classes;

    public MulticlassClassificationMapper(DataViewSchema inputSchema, string featureColumnName, int modelFeatures, int classes, KeyDataViewType labelType, DataViewSchema.Annotations labelAnnotations, ProbabilityScorer scorer)
        : base(inputSchema, featureColumnName, b => AddColumns(b, classes, labelType, labelAnnotations))
    {
        ModelShape.RequireFeatureCount(FeatureColumn, FeatureCount, modelFeatures);
        _scorer = scorer;
        _classes = classes;
    }

    private static void AddColumns(DataViewSchema.Builder builder, int classes, KeyDataViewType labelType, DataViewSchema.Annotations labelAnnotations)
    {
        var scoreAnnotations = new DataViewSchema.Annotations.Builder();
        if (labelAnnotations.Schema.GetColumnOrNull(AnnotationNames.KeyValues) is { Type: VectorDataViewType { ItemType: TextDataViewType } })
        {
            VBuffer<ReadOnlyMemory<char>> names = default;
            labelAnnotations.GetValue(AnnotationNames.KeyValues, ref names);
            scoreAnnotations.Add(AnnotationNames.SlotNames, new VectorDataViewType(TextDataViewType.Instance, classes), (ref VBuffer<ReadOnlyMemory<char>> value) => names.CopyTo(ref value));
        }

        builder.AddColumn(DefaultColumnNames.Score, new VectorDataViewType(NumberDataViewType.Single, classes), scoreAnnotations.ToAnnotations());
        builder.AddColumn(DefaultColumnNames.PredictedLabel, labelType, labelAnnotations);
    }

    protected override Delegate?[] CreateActiveGetters(DataViewRow input, Func<int, bool> isActive)
    {
        var reader = new FeatureVectorReader(input, FeatureColumn);
        var features = new float[FeatureCount];
        var probabilities = new float[_classes];
        var prediction = new RowPrediction(input, () =>
        {
            reader.ReadFinite(features);
            _scorer(features, probabilities);
        });
        return Getters(
            isActive,
            () => (ValueGetter<VBuffer<float>>)((ref VBuffer<float> value) =>
            {
                prediction.Ensure();
                var editor = VBufferEditor.Create(ref value, probabilities.Length);
                probabilities.CopyTo(editor.Values);
                value = editor.Commit();
            }),
            () => (ValueGetter<uint>)((ref uint value) =>
            {
                // Keys are 1-based: class k is key k + 1.
                prediction.Ensure();
                value = (uint)TensorPrimitives.IndexOfMax<float>(probabilities) + 1;
            }));
    }
}
