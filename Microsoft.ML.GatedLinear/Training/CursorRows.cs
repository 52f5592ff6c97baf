using Microsoft.ML.GatedLinear.Training;
using Microsoft.ML.GatedLinear.Data;
using Microsoft.ML.GatedLinear.Numerics;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.Trainers.GatedLinear;

/// <summary>
/// The rows of an <see cref="IDataView"/> as the core's row source, read through cursors and never materialized: a
/// first pass (<see cref="Scan"/>) counts and checks them and measures their statistics; each later pass streams them
/// in stored order or shuffled by the view (or, for a view that cannot shuffle itself, through a pool of rows). Bad
/// rows fail naming the column and row, or are skipped and counted.
/// </summary>
internal sealed class CursorRows : IRowSource
{
    private readonly IDataView _data;
    private readonly DataViewSchema.Column _features;
    private readonly DataViewSchema.Column? _label;
    private readonly Func<DataViewRow, LabelReader>? _labelReader;
    private readonly bool _skipMissing;
    private readonly int _poolSeed;
    private IDataView? _pooled;
    private long _rowCount = -1;

    /// <param name="data">The training data.</param>
    /// <param name="featureColumnName">Single or a known-size vector of Single.</param>
    /// <param name="label">The label column and its reader and width; null for unlabeled rows.</param>
    /// <param name="skipMissing">Skip rows with a missing feature or label instead of failing.</param>
    /// <param name="poolSeed">Seeds the pool that shuffles a view which cannot shuffle itself.</param>
    public CursorRows(IDataView data, string featureColumnName, (string Name, Func<DataViewSchema.Column, Func<DataViewRow, LabelReader>> Reader, int Width)? label, bool skipMissing, int poolSeed)
    {
        _data = data;
        _features = Column(data.Schema, featureColumnName, "Feature");
        FeatureCount = FeatureVectorReader.FeatureCount(_features);
        if (label is { } l)
        {
            _label = Column(data.Schema, l.Name, "Label");
            _labelReader = l.Reader(_label.Value);
            LabelWidth = l.Width;
        }

        _skipMissing = skipMissing;
        _poolSeed = poolSeed;
    }

    public int FeatureCount { get; }

    public int LabelWidth { get; }

    public DataViewSchema.Column FeatureColumn => _features;

    public DataViewSchema.Column LabelColumn => _label ?? throw new InvalidOperationException("These rows have no label.");

    /// <summary>Rows a pass streams (known after <see cref="Scan"/>).</summary>
    public long RowCount => _rowCount >= 0 ? _rowCount : throw new InvalidOperationException("Scan the rows before streaming them.");

    public static DataViewSchema.Column Column(DataViewSchema schema, string name, string role)
        => schema.GetColumnOrNull(name) ?? throw new ArgumentOutOfRangeException(nameof(name), $"{role} column '{name}' is not in the data; its columns are: {string.Join(", ", schema.Where(c => !c.IsHidden).Select(c => c.Name))}.");

    /// <summary>
    /// The first pass: counts the rows that will be trained on and measures per-feature and per-label-dimension moments.
    /// Throws on empty data and (unless skipping) on the first bad row.
    /// </summary>
    public (RunningMoments Features, RunningMoments Labels) Scan(IChannel channel)
    {
        var features = new RunningMoments(FeatureCount);
        var labels = new RunningMoments(LabelWidth);
        long skipped = Pass(_data, null, (x, y) =>
        {
            features.Add(x);
            labels.Add(y);
        });
        _rowCount = features.Count;
        string columns = _label is { } label ? $"columns '{label.Name}' and '{_features.Name}'" : $"column '{_features.Name}'";
        if (_rowCount == 0)
        {
            string reason = skipped > 0 ? $" after skipping {skipped} rows with missing values" : string.Empty;
            throw new ArgumentException($"The training data has no rows{reason} ({columns}).");
        }

        if (skipped > 0)
        {
            channel.Warning(MessageSensitivity.None, $"Skipped {skipped} of {_rowCount + skipped} rows with missing values in {columns}.");
        }

        return (features, labels);
    }

    public void Stream(SeededRandom? shuffle, RowSink sink)
    {
        IDataView view = _data;
        if (shuffle is not null && !_data.CanShuffle)
        {
            view = _pooled ??= new MLContext(_poolSeed).Data.ShuffleRows(_data, _poolSeed);
        }

        Pass(view, shuffle is null ? null : new SeededSystemRandom(shuffle), sink);
    }

    /// <summary>One pass over <paramref name="view"/>; returns the number of rows skipped.</summary>
    private long Pass(IDataView view, Random? order, RowSink sink)
    {
        DataViewSchema.Column features = view.Schema[_features.Name];
        DataViewSchema.Column? label = _label is { } l ? view.Schema[l.Name] : null;
        using DataViewRowCursor cursor = view.GetRowCursor(label is { } active ? [features, active] : [features], order);
        var featureReader = new FeatureVectorReader(cursor, features);
        LabelReader? labelReader = _labelReader?.Invoke(cursor);
        var x = new float[FeatureCount];
        var y = new float[LabelWidth];
        long row = -1, skipped = 0;
        while (cursor.MoveNext())
        {
            row++;
            featureReader.Read(x);
            int bad = Array.FindIndex(x, v => !float.IsFinite(v));
            bool labelPresent = labelReader?.Invoke(y) ?? true;
            if (bad >= 0 || !labelPresent)
            {
                if (_skipMissing)
                {
                    skipped++;
                    continue;
                }

                throw bad >= 0
                    ? new InvalidOperationException($"Row {row}: column '{_features.Name}' has a non-finite value ({x[bad]}) at index {bad}. Impute it first, or set SkipRowsWithMissingValues.")
                    : new InvalidOperationException($"Row {row}: column '{_label!.Value.Name}' has a missing or non-finite label. Remove such rows, or set SkipRowsWithMissingValues.");
            }

            sink(x, y);
        }

        return skipped;
    }
}
