namespace Microsoft.ML.GatedLinear.Data;

/// <summary>The house rules for input rows: right length, every value finite; messages name the feature and row.</summary>
internal static class InputValidation
{
    /// <summary>Throws <see cref="ArgumentException"/> unless <paramref name="row"/> has <paramref name="expectedLength"/> finite values.</summary>
    /// <param name="row">The feature values.</param>
    /// <param name="expectedLength">The model's feature count.</param>
    /// <param name="rowIndex">The row's index for the message, or −1 when unknown.</param>
    /// <param name="featureNames">Feature names for the message, if known.</param>
    public static void ValidateRow(ReadOnlySpan<float> row, int expectedLength, long rowIndex = -1, IReadOnlyList<string>? featureNames = null)
    {
        if (row.Length != expectedLength)
        {
            throw new ArgumentException($"{RowText(rowIndex)}has {row.Length} feature values; the model expects {expectedLength}.");
        }

        for (int j = 0; j < row.Length; j++)
        {
            if (!float.IsFinite(row[j]))
            {
                string name = featureNames is null ? $"feature {j}" : $"feature '{featureNames[j]}' (index {j})";
                throw new ArgumentException($"{RowText(rowIndex)}has a non-finite value ({row[j]}) in {name}. Remove or impute missing values before training or prediction.");
            }
        }
    }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> unless <paramref name="label"/> is a class index in [0, classCount).</summary>
    public static void ValidateClassLabel(int label, int classCount, long rowIndex = -1)
    {
        if ((uint)label >= (uint)classCount)
        {
            string range = classCount == 2 ? "0 or 1" : $"a class index from 0 to {classCount - 1}";
            throw new ArgumentOutOfRangeException(nameof(label), label, $"{RowText(rowIndex)}has label {label}; it must be {range}.");
        }
    }

    /// <summary>Throws <see cref="ArgumentException"/> when a data set has no rows.</summary>
    public static void ValidateNotEmpty(int rowCount, string what = "The training data")
    {
        if (rowCount == 0)
        {
            throw new ArgumentException($"{what} has no rows.");
        }
    }

    private static string RowText(long rowIndex) => rowIndex >= 0 ? $"Row {rowIndex} " : "The row ";
}
