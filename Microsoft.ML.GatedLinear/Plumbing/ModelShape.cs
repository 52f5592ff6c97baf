namespace Microsoft.ML.Trainers.GatedLinear;

/// <summary>Checks that a data column fits the model that will read it.</summary>
internal static class ModelShape
{
    public static void RequireFeatureCount(DataViewSchema.Column column, int columnCount, int modelCount)
    {
        if (columnCount != modelCount)
        {
            throw new ArgumentOutOfRangeException(nameof(column), $"Feature column '{column.Name}' holds {columnCount} values; the model was trained on {modelCount}.");
        }
    }
}
