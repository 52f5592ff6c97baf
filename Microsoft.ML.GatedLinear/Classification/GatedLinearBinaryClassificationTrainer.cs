using Microsoft.ML.Data;
using Microsoft.ML.GatedLinear.Bernoulli;
using Microsoft.ML.GatedLinear.Data;
using Microsoft.ML.GatedLinear.Training;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.Trainers.GatedLinear;

/// <summary>Trains a binary Bernoulli gated linear network on a Boolean label, online, by local convex updates.</summary>
public sealed class GatedLinearBinaryClassificationTrainer : GatedLinearClassificationTrainer<GatedLinearBinaryClassificationTransformer>
{
    internal GatedLinearBinaryClassificationTrainer(IHostEnvironment environment, Options options)
        : base(environment, "GatedLinearBinaryClassification", options)
    {
    }

    /// <summary>Options of <see cref="GatedLinearBinaryClassificationTrainer"/>: up to 50 epochs, stopped on held-out rows, by default (see <see cref="GatedLinearTrainerOptions.NumberOfEpochs"/>).</summary>
    public sealed class Options : GatedLinearClassificationOptions
    {
    }

    private protected override CursorRows CreateRows(IDataView data, int seed, ValidationSplit split) => Rows(data, seed, split, LabelReaders.Boolean, 1);

    private protected override int ClassCount(CursorRows rows) => 2;

    private protected override GatedLinearBinaryClassificationTransformer CreateTransformer(BernoulliGlnClassifier model, CursorRows rows)
        => new(model, rows.FeatureColumn.Name);

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
