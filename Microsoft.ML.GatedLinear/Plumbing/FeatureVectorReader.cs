using Microsoft.ML.Data;

namespace Microsoft.ML.Trainers.GatedLinear;

/// <summary>
/// Reads a feature column — a Single, or a known-size vector of Single, dense or sparse — into a dense
/// span, the form the core engine takes. Sparse vectors are expanded with zeros for the implicit entries.
/// </summary>
internal sealed class FeatureVectorReader
{
    private readonly DataViewRow _row;
    private readonly DataViewSchema.Column _column;
    private readonly ValueGetter<VBuffer<float>>? _vectorGetter;
    private readonly ValueGetter<float>? _scalarGetter;
    private VBuffer<float> _buffer;

    public FeatureVectorReader(DataViewRow row, DataViewSchema.Column column)
    {
        _row = row;
        _column = column;
        if (column.Type is VectorDataViewType)
        {
            _vectorGetter = row.GetGetter<VBuffer<float>>(column);
        }
        else
        {
            _scalarGetter = row.GetGetter<float>(column);
        }
    }

    /// <summary>The number of features a column of this type holds, or throws naming the column.</summary>
    public static int FeatureCount(DataViewSchema.Column column)
    {
        switch (column.Type)
        {
            case VectorDataViewType { ItemType: NumberDataViewType item, IsKnownSize: true } vector when item == NumberDataViewType.Single:
                return vector.Size;
            case NumberDataViewType scalar when scalar == NumberDataViewType.Single:
                return 1;
            default:
                throw new ArgumentOutOfRangeException(nameof(column), $"Feature column '{column.Name}' has type {column.Type}; it must be Single or a known-size vector of Single (concatenate or convert columns first, e.g. with mlContext.Transforms.Concatenate).");
        }
    }

    /// <summary>
    /// Reads the current row for a prediction: as <see cref="Read"/>, and a non-finite value fails naming the column, the
    /// index and the row (a model given NaN would predict NaN silently).
    /// </summary>
    public void ReadFinite(Span<float> features)
    {
        Read(features);
        for (int j = 0; j < features.Length; j++)
        {
            if (!float.IsFinite(features[j]))
            {
                throw new InvalidOperationException($"Row {_row.Position}: column '{_column.Name}' has a non-finite value ({features[j]}) at index {j}. Impute missing values before scoring.");
            }
        }
    }

    /// <summary>Reads the current row into <paramref name="features"/> (dense, its length the feature count).</summary>
    public void Read(Span<float> features)
    {
        if (_scalarGetter is not null)
        {
            float value = 0;
            _scalarGetter(ref value);
            features[0] = value;
            return;
        }

        _vectorGetter!(ref _buffer);
        if (_buffer.Length != features.Length)
        {
            throw new InvalidOperationException($"Row {_row.Position}: column '{_column.Name}' holds {_buffer.Length} values; the model expects {features.Length}.");
        }

        ReadOnlySpan<float> values = _buffer.GetValues();
        if (_buffer.IsDense)
        {
            values.CopyTo(features);
            return;
        }

        features.Clear();
        ReadOnlySpan<int> indices = _buffer.GetIndices();
        for (int i = 0; i < indices.Length; i++)
        {
            features[indices[i]] = values[i];
        }
    }
}
