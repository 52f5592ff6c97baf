using Microsoft.ML.Data;
using Microsoft.ML.GatedLinear.Bernoulli;
using Microsoft.ML.GatedLinear.Data;
using System.Numerics.Tensors;

namespace Microsoft.ML.GatedLinear.Classification;

/// <summary>
/// A fitted one-vs-all B-GLN: appends <c>Score</c> (class probabilities, a known-size vector of Single whose
/// slot names are the class names) and <c>PredictedLabel</c> (the label's key type, carrying its key values,
/// so MapKeyToValue recovers the original class).
/// </summary>
public sealed class GatedLinearMulticlassClassificationTransformer : GatedLinearPredictionTransformer<BernoulliGlnClassifier>
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

    private protected override OutputColumnsMapper CreateMapper(DataViewSchema inputSchema) => new Mapper(this, inputSchema);

    private sealed class Mapper : OutputColumnsMapper
    {
        private readonly BernoulliGlnClassifier _model;

        public Mapper(GatedLinearMulticlassClassificationTransformer parent, DataViewSchema inputSchema)
            : base(inputSchema, parent.FeatureColumnName, b => AddColumns(b, parent))
        {
            _model = parent.Model;
            ModelShape.RequireFeatureCount(FeatureColumn, FeatureCount, _model.FeatureCount);
        }

        private static void AddColumns(DataViewSchema.Builder builder, GatedLinearMulticlassClassificationTransformer parent)
        {
            int classes = parent.Model.ClassCount;
            var scoreAnnotations = new DataViewSchema.Annotations.Builder();
            DataViewSchema.Column? keyValues = parent.LabelAnnotations.Schema.GetColumnOrNull(AnnotationNames.KeyValues);
            if (keyValues is { Type: VectorDataViewType { ItemType: TextDataViewType } })
            {
                VBuffer<ReadOnlyMemory<char>> names = default;
                parent.LabelAnnotations.GetValue(AnnotationNames.KeyValues, ref names);
                scoreAnnotations.Add(AnnotationNames.SlotNames, new VectorDataViewType(TextDataViewType.Instance, classes), (ref VBuffer<ReadOnlyMemory<char>> value) => names.CopyTo(ref value));
            }

            builder.AddColumn(DefaultColumnNames.Score, new VectorDataViewType(NumberDataViewType.Single, classes), scoreAnnotations.ToAnnotations());
            builder.AddColumn(DefaultColumnNames.PredictedLabel, parent.LabelType, parent.LabelAnnotations);
        }

        public override Delegate CreateGetter(DataViewRow input, int outputIndex)
        {
            var reader = new FeatureVectorReader(input, FeatureColumn);
            var features = new float[FeatureCount];
            var probabilities = new float[_model.ClassCount];
            void Predict()
            {
                reader.Read(features);
                _model.PredictProbabilities(features, probabilities);
            }

            if (OutputSchema[outputIndex].Name == DefaultColumnNames.Score)
            {
                return (ValueGetter<VBuffer<float>>)((ref VBuffer<float> value) =>
                {
                    Predict();
                    var editor = VBufferEditor.Create(ref value, probabilities.Length);
                    probabilities.CopyTo(editor.Values);
                    value = editor.Commit();
                });
            }

            // Keys are 1-based: class k is key k + 1.
            return (ValueGetter<uint>)((ref uint value) =>
            {
                Predict();
                value = (uint)TensorPrimitives.IndexOfMax<float>(probabilities) + 1;
            });
        }
    }
}
