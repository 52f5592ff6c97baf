using Microsoft.ML.Data;
using System.Numerics.Tensors;

namespace Microsoft.ML.GatedLinear.Data;

/// <summary>Computes a Gaussian prediction (mean and variance per dimension) from dense features.</summary>
internal delegate void GaussianScorer(ReadOnlySpan<float> features, Span<double> mean, Span<double> variance);

/// <summary>Computes a binary classifier's logit from dense features.</summary>
internal delegate float LogitScorer(ReadOnlySpan<float> features);

/// <summary>Computes class probabilities from dense features.</summary>
internal delegate void ProbabilityScorer(ReadOnlySpan<float> features, Span<float> probabilities);

/// <summary>Appends <c>Score</c> and <c>Variance</c> (Single, or vectors of <c>dimension</c>).</summary>
internal sealed class RegressionMapper : OutputColumnsMapper
{
    public const string VarianceColumnName = "Variance";
    private readonly GaussianScorer _scorer;
    private readonly int _dimension;

    public RegressionMapper(DataViewSchema inputSchema, string featureColumnName, int modelFeatures, int dimension, GaussianScorer scorer)
        : base(inputSchema, featureColumnName, b => AddColumns(b, dimension))
    {
        ModelShape.RequireFeatureCount(FeatureColumn, FeatureCount, modelFeatures);
        _scorer = scorer;
        _dimension = dimension;
    }

    private static void AddColumns(DataViewSchema.Builder builder, int dimension)
    {
        DataViewType type = dimension == 1 ? NumberDataViewType.Single : new VectorDataViewType(NumberDataViewType.Single, dimension);
        builder.AddColumn(DefaultColumnNames.Score, type);
        builder.AddColumn(VarianceColumnName, type);
    }

    public override Delegate CreateGetter(DataViewRow input, int outputIndex)
    {
        var reader = new FeatureVectorReader(input, FeatureColumn);
        int d = _dimension;
        var features = new float[FeatureCount];
        double[] mean = new double[d], variance = new double[d];
        double[] source = OutputSchema[outputIndex].Name == VarianceColumnName ? variance : mean;
        void Predict()
        {
            reader.Read(features);
            _scorer(features, mean, variance);
        }

        if (d == 1)
        {
            return (ValueGetter<float>)((ref float value) =>
            {
                Predict();
                value = (float)source[0];
            });
        }

        return (ValueGetter<VBuffer<float>>)((ref VBuffer<float> value) =>
        {
            Predict();
            var editor = VBufferEditor.Create(ref value, d);
            for (int i = 0; i < d; i++)
            {
                editor.Values[i] = (float)source[i];
            }

            value = editor.Commit();
        });
    }
}

/// <summary>Appends <c>Score</c> (the logit), <c>Probability</c> (σ of it) and <c>PredictedLabel</c> (Score &gt; 0).</summary>
internal sealed class BinaryClassificationMapper : OutputColumnsMapper
{
    private readonly LogitScorer _scorer;

    public BinaryClassificationMapper(DataViewSchema inputSchema, string featureColumnName, int modelFeatures, LogitScorer scorer)
        : base(inputSchema, featureColumnName, AddColumns)
    {
        ModelShape.RequireFeatureCount(FeatureColumn, FeatureCount, modelFeatures);
        _scorer = scorer;
    }

    private static void AddColumns(DataViewSchema.Builder builder)
    {
        builder.AddColumn(DefaultColumnNames.Score, NumberDataViewType.Single);
        builder.AddColumn(DefaultColumnNames.Probability, NumberDataViewType.Single);
        builder.AddColumn(DefaultColumnNames.PredictedLabel, BooleanDataViewType.Instance);
    }

    public override Delegate CreateGetter(DataViewRow input, int outputIndex)
    {
        var reader = new FeatureVectorReader(input, FeatureColumn);
        var features = new float[FeatureCount];
        float Logit()
        {
            reader.Read(features);
            return _scorer(features);
        }

        return OutputSchema[outputIndex].Name switch
        {
            DefaultColumnNames.Score => (ValueGetter<float>)((ref float value) => value = Logit()),
            DefaultColumnNames.Probability => (ValueGetter<float>)((ref float value) => value = Numerics.Logistic.Sigmoid(Logit())),
            _ => (ValueGetter<bool>)((ref bool value) => value = Logit() > 0),
        };
    }
}

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

    public override Delegate CreateGetter(DataViewRow input, int outputIndex)
    {
        var reader = new FeatureVectorReader(input, FeatureColumn);
        var features = new float[FeatureCount];
        var probabilities = new float[_classes];
        void Predict()
        {
            reader.Read(features);
            _scorer(features, probabilities);
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
