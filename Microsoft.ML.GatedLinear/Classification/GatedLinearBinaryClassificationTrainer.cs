using Microsoft.ML.Data;
using Microsoft.ML.GatedLinear.Bernoulli;
using Microsoft.ML.GatedLinear.Data;
using Microsoft.ML.GatedLinear.Training;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.GatedLinear.Classification;

/// <summary>Trains a binary Bernoulli gated linear network on a Boolean label, online, by local convex updates.</summary>
public sealed class GatedLinearBinaryClassificationTrainer : GatedLinearTrainer<GatedLinearBinaryClassificationTransformer, BernoulliGlnClassifier>
{
    private readonly Options _options;

    internal GatedLinearBinaryClassificationTrainer(IHostEnvironment environment, Options options)
        : base(environment, "GatedLinearBinaryClassification", options)
    {
        _options = options;
    }

    /// <summary>Options of <see cref="GatedLinearBinaryClassificationTrainer"/>; one epoch by default.</summary>
    public sealed class Options : GatedLinearTrainerOptions
    {
        /// <summary>
        /// The network's hyperparameters, defaults as documented on <see cref="BernoulliGlnOptions"/>. The trainer
        /// supplies the training data's feature statistics and the seed, overriding those settings there.
        /// </summary>
        public BernoulliGlnOptions Network { get; set; } = new();
    }

    private protected override TrainingStream CreateStream(IDataView data, GatedLinearTrainerOptions options)
        => new(data, options, LabelReaders.Boolean, 1);

    private protected override BernoulliGlnClassifier CreateModel(TrainingStream stream, TrainingStream.Statistics features, TrainingStream.Statistics labels, int seed)
        => ClassifierTraining.Create(_options.Network, stream, features, 2, seed);

    private protected override BernoulliGlnClassifier Continue(GatedLinearBinaryClassificationTransformer previous, TrainingStream stream)
        => ClassifierTraining.Copy(previous.Model, stream, 2);

    private protected override Action<ReadOnlySpan<float>, ReadOnlySpan<float>> Learner(BernoulliGlnClassifier model) => ClassifierTraining.Learner(model);

    private protected override GatedLinearBinaryClassificationTransformer CreateTransformer(BernoulliGlnClassifier model, TrainingStream stream)
        => new(model, stream.FeatureColumn.Name);

    private protected override SchemaShape.Column[] OutputColumns(SchemaShape.Column label)
    {
        if (label.ItemType != BooleanDataViewType.Instance || label.Kind != SchemaShape.Column.VectorKind.Scalar)
        {
            throw new ArgumentOutOfRangeException(nameof(label), $"Label column '{label.Name}' must be Boolean for binary classification.");
        }

        return
        [
            SchemaShapeColumns.Scalar(DefaultColumnNames.Score, NumberDataViewType.Single),
            SchemaShapeColumns.Scalar(DefaultColumnNames.Probability, NumberDataViewType.Single),
            SchemaShapeColumns.Scalar(DefaultColumnNames.PredictedLabel, BooleanDataViewType.Instance),
        ];
    }
}
