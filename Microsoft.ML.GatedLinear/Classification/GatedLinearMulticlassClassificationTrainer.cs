using Microsoft.ML.Data;
using Microsoft.ML.GatedLinear.Bernoulli;
using Microsoft.ML.GatedLinear.Data;
using Microsoft.ML.GatedLinear.Training;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.GatedLinear.Classification;

/// <summary>Trains a one-vs-all Bernoulli gated linear network on a key-typed label (see MapValueToKey).</summary>
public sealed class GatedLinearMulticlassClassificationTrainer : GatedLinearTrainer<GatedLinearMulticlassClassificationTransformer, BernoulliGlnClassifier>
{
    private readonly Options _options;

    internal GatedLinearMulticlassClassificationTrainer(IHostEnvironment environment, Options options)
        : base(environment, "GatedLinearMulticlassClassification", options)
    {
        _options = options;
    }

    /// <summary>Options of <see cref="GatedLinearMulticlassClassificationTrainer"/>; one epoch by default.</summary>
    public sealed class Options : GatedLinearTrainerOptions
    {
        /// <summary>
        /// The network's hyperparameters (one network per class), defaults as documented on
        /// <see cref="BernoulliGlnOptions"/>. The trainer supplies the feature statistics and the seed.
        /// </summary>
        public BernoulliGlnOptions Network { get; set; } = new();
    }

    private protected override TrainingStream CreateStream(IDataView data, GatedLinearTrainerOptions options)
    {
        LabelReaders.ClassCount(TrainingStream.Column(data.Schema, options.LabelColumnName, "Label"));
        return new TrainingStream(data, options, LabelReaders.Key, 1);
    }

    private protected override BernoulliGlnClassifier CreateModel(TrainingStream stream, TrainingStream.Statistics features, TrainingStream.Statistics labels, int seed)
        => ClassifierTraining.Create(_options.Network, stream, features, LabelReaders.ClassCount(stream.LabelColumn), seed);

    private protected override BernoulliGlnClassifier Continue(GatedLinearMulticlassClassificationTransformer previous, TrainingStream stream)
        => ClassifierTraining.Copy(previous.Model, stream, LabelReaders.ClassCount(stream.LabelColumn));

    private protected override Action<ReadOnlySpan<float>, ReadOnlySpan<float>> Learner(BernoulliGlnClassifier model) => ClassifierTraining.Learner(model);

    private protected override GatedLinearMulticlassClassificationTransformer CreateTransformer(BernoulliGlnClassifier model, TrainingStream stream)
    {
        DataViewSchema.Column label = stream.LabelColumn;
        var annotations = new DataViewSchema.Annotations.Builder();
        annotations.Add(label.Annotations, kind => kind == AnnotationNames.KeyValues);
        return new(model, stream.FeatureColumn.Name, (KeyDataViewType)label.Type, annotations.ToAnnotations());
    }

    private protected override SchemaShape.Column[] OutputColumns(SchemaShape.Column label)
    {
        if (!label.IsKey || label.Kind != SchemaShape.Column.VectorKind.Scalar)
        {
            throw new ArgumentOutOfRangeException(nameof(label), $"Label column '{label.Name}' must be a key type for multiclass classification (use mlContext.Transforms.Conversion.MapValueToKey).");
        }

        return
        [
            SchemaShapeColumns.Vector(DefaultColumnNames.Score, NumberDataViewType.Single),
            SchemaShapeColumns.Key(DefaultColumnNames.PredictedLabel, label.ItemType, label.Annotations),
        ];
    }
}
