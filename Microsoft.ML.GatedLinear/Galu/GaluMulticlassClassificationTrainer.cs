using Microsoft.ML.Data;
using Microsoft.ML.GatedLinear.Galu;
using Microsoft.ML.GatedLinear.Numerics;
using Microsoft.ML.GatedLinear.Training;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.Trainers.GatedLinear;

/// <summary>Trains a multiclass GaLU classifier on a key-typed label.</summary>
public sealed class GaluMulticlassClassificationTrainer : GaluClassificationTrainer<GaluMulticlassClassificationTransformer>
{
    /// <summary>Options of <see cref="GaluMulticlassClassificationTrainer"/>.</summary>
    public sealed class Options : GaluTrainerOptionsBase
    {
    }

    internal GaluMulticlassClassificationTrainer(IHostEnvironment environment, Options options)
        : base(environment, "GaluMulticlassClassification", options)
    {
    }

    private protected override int ClassCount(CursorRows rows) => LabelReaders.ClassCount(rows.LabelColumn);

    private protected override CursorRows CreateRows(IDataView data, int seed, ValidationSplit split) => Rows(data, seed, split, LabelReaders.Key, 1);

    private protected override GaluMulticlassClassificationTransformer CreateTransformer(IGaluPredictor model, CursorRows rows)
    {
        (KeyDataViewType type, DataViewSchema.Annotations annotations) = ClassLabels.KeyOf(rows.LabelColumn);
        return new(model, rows.FeatureColumn.Name, type, annotations);
    }

    private protected override SchemaShape.Column[] OutputColumns(SchemaShape.Column label)
        => label.IsKey && label.Kind == SchemaShape.Column.VectorKind.Scalar
            ? [SchemaShapeColumns.Vector(DefaultColumnNames.Score, NumberDataViewType.Single), SchemaShapeColumns.Key(DefaultColumnNames.PredictedLabel, label.ItemType, label.Annotations)]
            : throw new ArgumentOutOfRangeException(nameof(label), $"Label column '{label.Name}' must be a key type for multiclass classification (use mlContext.Transforms.Conversion.MapValueToKey).");
}
