using System.Buffers;
using Microsoft.ML.GatedLinear.Data;
using Microsoft.ML.GatedLinear.Numerics;

namespace Microsoft.ML.GatedLinear.Training;

/// <summary>
/// Rows held in memory — all of a table's rows or a subset of them — validated once when the source is made (a bad
/// row stops training before any update). A shuffled pass orders the rows by a fresh permutation drawn from the random it
/// is given, so its order depends on that random alone: two models trained over the same rows one after the other (a
/// network and its linear special case) see the orders each would see alone, and models trained at the same time (an
/// ensemble's) may stream the same rows concurrently.
/// </summary>
internal sealed class InMemoryRows : IRowSource
{
    private readonly float[] _features;
    private readonly float[] _labels;
    private readonly int[] _rows;

    private InMemoryRows(float[] features, float[] labels, int featureCount, int labelWidth, int[] rows)
    {
        _features = features;
        _labels = labels;
        FeatureCount = featureCount;
        LabelWidth = labelWidth;
        _rows = rows;
    }

    public int FeatureCount { get; }

    public int LabelWidth { get; }

    public long RowCount => _rows.Length;

    /// <summary>The rows a split trains on and the rows it holds out (either may be empty).</summary>
    public (InMemoryRows Training, InMemoryRows HeldOut) Split(ValidationSplit split)
    {
        ILookup<bool, int> sides = _rows.ToLookup(i => split.IsHeldOut(i));
        return (new(_features, _labels, FeatureCount, LabelWidth, sides[false].ToArray()), new(_features, _labels, FeatureCount, LabelWidth, sides[true].ToArray()));
    }

    /// <summary>A labeled table; <paramref name="writeLabel"/> checks one label (throwing with the row named) and writes its values.</summary>
    public static InMemoryRows Create<TLabel>(LabeledData<TLabel> data, int featureCount, int labelWidth, Action<TLabel, long, Span<float>> writeLabel)
    {
        ArgumentNullException.ThrowIfNull(data);
        InputValidation.ValidateNotEmpty(data.RowCount);
        if (data.FeatureCount != featureCount)
        {
            throw new ArgumentException($"The data has {data.FeatureCount} features per row; the model expects {featureCount}.", nameof(data));
        }

        var labels = new float[(long)data.RowCount * labelWidth];
        for (int i = 0; i < data.RowCount; i++)
        {
            InputValidation.ValidateRow(data.Row(i), featureCount, i, data.FeatureNames);
            writeLabel(data.Labels[i], i, labels.AsSpan(i * labelWidth, labelWidth));
        }

        return new InMemoryRows(data.FeatureArray, labels, featureCount, labelWidth, Enumerable.Range(0, data.RowCount).ToArray());
    }

    /// <summary>Rows their reader has already checked: row-major features and labels (taken, not copied).</summary>
    public static InMemoryRows Unchecked(float[] features, float[] labels, int featureCount, int labelWidth)
        => new(features, labels, featureCount, labelWidth, Enumerable.Range(0, features.Length / featureCount).ToArray());

    /// <summary>Unlabeled rows, row-major [n × <paramref name="featureCount"/>] (taken, not copied).</summary>
    public static InMemoryRows Unlabeled(float[] features, int featureCount)
    {
        ArgumentNullException.ThrowIfNull(features);
        int n = features.Length / featureCount;
        if ((long)n * featureCount != features.Length)
        {
            throw new ArgumentException($"{features.Length} values do not make whole rows of {featureCount}.", nameof(features));
        }

        InputValidation.ValidateNotEmpty(n);
        for (int i = 0; i < n; i++)
        {
            InputValidation.ValidateRow(features.AsSpan(i * featureCount, featureCount), featureCount, i);
        }

        return new InMemoryRows(features, [], featureCount, 0, Enumerable.Range(0, n).ToArray());
    }

    /// <summary>The rows in stored order as row-major arrays: a copy, since a subset's rows are not contiguous in the table.</summary>
    public (float[] Features, float[] Labels) ToArrays()
    {
        var features = new float[_rows.Length * FeatureCount];
        var labels = new float[_rows.Length * LabelWidth];
        for (int k = 0; k < _rows.Length; k++)
        {
            _features.AsSpan(_rows[k] * FeatureCount, FeatureCount).CopyTo(features.AsSpan(k * FeatureCount));
            _labels.AsSpan(_rows[k] * LabelWidth, LabelWidth).CopyTo(labels.AsSpan(k * LabelWidth));
        }

        return (features, labels);
    }

    public void Stream(SeededRandom? shuffle, RowSink sink)
    {
        // The pass's own order, so that passes may run at once.
        int[]? order = shuffle is null ? null : ArrayPool<int>.Shared.Rent(_rows.Length);
        try
        {
            if (order is not null)
            {
                _rows.CopyTo(order, 0);
                shuffle!.Shuffle(order.AsSpan(0, _rows.Length));
            }

            int[] rows = order ?? _rows;
            for (int k = 0; k < _rows.Length; k++)
            {
                int i = rows[k];
                sink(_features.AsSpan(i * FeatureCount, FeatureCount), _labels.AsSpan(i * LabelWidth, LabelWidth));
            }
        }
        finally
        {
            if (order is not null)
            {
                ArrayPool<int>.Shared.Return(order);
            }
        }
    }
}
