using Microsoft.ML.Data;
using Microsoft.ML.GatedLinear.Bernoulli;
using Microsoft.ML.GatedLinear.Data;
using Microsoft.ML.GatedLinear.Training;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.Trainers.GatedLinear;

/// <summary>Trains a one-vs-all Bernoulli gated linear network on a key-typed label (see MapValueToKey).</summary>
public sealed class GatedLinearMulticlassClassificationTrainer : GatedLinearClassificationTrainer<GatedLinearMulticlassClassificationTransformer>
{
    internal GatedLinearMulticlassClassificationTrainer(IHostEnvironment environment, Options options)
        : base(environment, "GatedLinearMulticlassClassification", options)
    {
    }

    /// <summary>Options of <see cref="GatedLinearMulticlassClassificationTrainer"/>: up to 50 epochs, stopped on held-out rows, by default (see <see cref="GatedLinearTrainerOptions.NumberOfEpochs"/>).</summary>
    public sealed class Options : GatedLinearClassificationOptions
    {
    }

    private protected override CursorRows CreateRows(IDataView data, int seed, ValidationSplit split) => Rows(data, seed, split, LabelReaders.Key, 1);

    private protected override int ClassCount(CursorRows rows) => LabelReaders.ClassCount(rows.LabelColumn);

    private protected override GatedLinearMulticlassClassificationTransformer CreateTransformer(BernoulliGlnClassifier model, CursorRows rows)
    {
        (KeyDataViewType type, DataViewSchema.Annotations annotations) = ClassLabels.KeyOf(rows.LabelColumn);
        return new(model, rows.FeatureColumn.Name, type, annotations);
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
