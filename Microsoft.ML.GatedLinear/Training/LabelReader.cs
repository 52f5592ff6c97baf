using Microsoft.ML.Data;

namespace Microsoft.ML.Trainers.GatedLinear;

/// <summary>Reads a row's label into a span of floats; returns false when the label is missing.</summary>
internal delegate bool LabelReader(Span<float> label);

/// <summary>The label kinds the trainers accept, each checked against the column's type by name.</summary>
internal static class LabelReaders
{
    /// <summary>A Single label (regression), or a known-size vector of Single (vector regression).</summary>
    public static int RegressionDimension(DataViewSchema.Column column) => column.Type switch
    {
        NumberDataViewType t when t == NumberDataViewType.Single => 1,
        VectorDataViewType { ItemType: NumberDataViewType t, IsKnownSize: true } v when t == NumberDataViewType.Single => v.Size,
        _ => throw new ArgumentOutOfRangeException(nameof(column), $"Label column '{column.Name}' has type {column.Type}; regression needs Single (or a known-size vector of Single for a vector target)."),
    };

    public static Func<DataViewRow, LabelReader> Regression(DataViewSchema.Column column, int dimension) => row =>
    {
        if (dimension == 1 && column.Type is not VectorDataViewType)
        {
            ValueGetter<float> get = row.GetGetter<float>(column);
            return label =>
            {
                float value = 0;
                get(ref value);
                label[0] = value;
                return float.IsFinite(value);
            };
        }

        ValueGetter<VBuffer<float>> vector = row.GetGetter<VBuffer<float>>(column);
        VBuffer<float> buffer = default;
        return label =>
        {
            vector(ref buffer);
            buffer.CopyTo(label);
            foreach (float v in label)
            {
                if (!float.IsFinite(v))
                {
                    return false;
                }
            }

            return true;
        };
    };

    /// <summary>A Boolean label (binary classification): true is class 1.</summary>
    public static Func<DataViewRow, LabelReader> Boolean(DataViewSchema.Column column)
    {
        if (column.Type != BooleanDataViewType.Instance)
        {
            throw new ArgumentOutOfRangeException(nameof(column), $"Label column '{column.Name}' has type {column.Type}; binary classification needs Boolean.");
        }

        return row =>
        {
            ValueGetter<bool> get = row.GetGetter<bool>(column);
            return label =>
            {
                bool value = false;
                get(ref value);
                label[0] = value ? 1 : 0;
                return true;
            };
        };
    }

    /// <summary>The number of classes of a key label (multiclass), or throws naming the column.</summary>
    public static int ClassCount(DataViewSchema.Column column)
        => column.Type is KeyDataViewType { RawType: var raw } key && raw == typeof(uint) && key.Count is >= 2 and <= int.MaxValue
            ? (int)key.Count
            : throw new ArgumentOutOfRangeException(nameof(column), $"Label column '{column.Name}' has type {column.Type}; multiclass classification needs a UInt32 key type with at least two values (use mlContext.Transforms.Conversion.MapValueToKey).");

    /// <summary>A key label: key k is class k − 1; key 0 (missing) is a missing label.</summary>
    public static Func<DataViewRow, LabelReader> Key(DataViewSchema.Column column)
    {
        ClassCount(column);
        return row =>
        {
            ValueGetter<uint> get = row.GetGetter<uint>(column);
            return label =>
            {
                uint value = 0;
                get(ref value);
                label[0] = value - 1f;
                return value != 0;
            };
        };
    }
}
