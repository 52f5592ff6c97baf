using Microsoft.ML.Data;
using Microsoft.ML.GatedLinear.Galu;
using Microsoft.ML.GatedLinear.Numerics;
using Microsoft.ML.GatedLinear.Training;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.Trainers.GatedLinear;

/// <summary>Trains a binary GaLU classifier on a Boolean label.</summary>
public sealed class GaluBinaryClassificationTrainer : GaluClassificationTrainer<GaluBinaryClassificationTransformer>
{
    /// <summary>Options of <see cref="GaluBinaryClassificationTrainer"/>.</summary>
    public sealed class Options : GaluTrainerOptionsBase
    {
    }

    internal GaluBinaryClassificationTrainer(IHostEnvironment environment, Options options)
        : base(environment, "GaluBinaryClassification", options)
    {
    }

    private protected override int ClassCount(CursorRows rows) => 2;

    private protected override CursorRows CreateRows(IDataView data, int seed, ValidationSplit split) => Rows(data, seed, split, LabelReaders.Boolean, 1);

    private protected override GaluBinaryClassificationTransformer CreateTransformer(IGaluPredictor model, CursorRows rows) => new(model, rows.FeatureColumn.Name);

    private protected override SchemaShape.Column[] OutputColumns(SchemaShape.Column label)
        => label.ItemType == BooleanDataViewType.Instance && label.Kind == SchemaShape.Column.VectorKind.Scalar
            ? [SchemaShapeColumns.Scalar(DefaultColumnNames.Score, NumberDataViewType.Single), SchemaShapeColumns.Scalar(DefaultColumnNames.Probability, NumberDataViewType.Single), SchemaShapeColumns.Scalar(DefaultColumnNames.PredictedLabel, BooleanDataViewType.Instance)]
            : throw new ArgumentOutOfRangeException(nameof(label), $"Label column '{label.Name}' must be Boolean for binary classification.");
}
