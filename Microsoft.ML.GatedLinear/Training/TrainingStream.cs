using Microsoft.ML.GatedLinear.Data;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.GatedLinear.Training;

/// <summary>
/// Streams labeled rows from an <see cref="IDataView"/> through cursors, never materializing the data set:
/// a first pass for statistics and validation, then one cursor per epoch (seeded shuffle where the view can
/// shuffle), batches handed to the core. Bad rows fail naming the column and row, or are skipped and counted.
/// </summary>
internal sealed class TrainingStream
{
    private readonly IDataView _data;
    private readonly DataViewSchema.Column _features;
    private readonly DataViewSchema.Column _label;
    private readonly Func<DataViewRow, LabelReader> _labelReader;
    private readonly GatedLinearTrainerOptions _options;

    public TrainingStream(IDataView data, GatedLinearTrainerOptions options, Func<DataViewSchema.Column, Func<DataViewRow, LabelReader>> labelReader, int labelWidth)
    {
        _data = data;
        _options = options;
        _features = Column(data.Schema, options.FeatureColumnName, "Feature");
        _label = Column(data.Schema, options.LabelColumnName, "Label");
        FeatureCount = FeatureVectorReader.FeatureCount(_features);
        _labelReader = labelReader(_label);
        LabelWidth = labelWidth;
    }

    public int FeatureCount { get; }

    public int LabelWidth { get; }

    public DataViewSchema.Column FeatureColumn => _features;

    public DataViewSchema.Column LabelColumn => _label;

    public static DataViewSchema.Column Column(DataViewSchema schema, string name, string role)
        => schema.GetColumnOrNull(name) ?? throw new ArgumentOutOfRangeException(nameof(name), $"{role} column '{name}' is not in the data; its columns are: {string.Join(", ", schema.Where(c => !c.IsHidden).Select(c => c.Name))}.");

    /// <summary>
    /// One pass: per-feature and per-label-dimension mean and standard deviation over the rows that will be
    /// trained on. Throws on empty data and (unless skipping) on the first bad row.
    /// </summary>
    public (Statistics Features, Statistics Labels, long Rows, long Skipped) Scan(IChannel channel)
    {
        var features = new Statistics(FeatureCount);
        var labels = new Statistics(LabelWidth);
        (long rows, long skipped) = Pass(null, (x, y) =>
        {
            features.Add(x);
            labels.Add(y);
        });
        if (rows == 0)
        {
            string reason = skipped > 0 ? $" after skipping {skipped} rows with missing values" : string.Empty;
            throw new ArgumentException($"The training data has no rows{reason} (columns '{_label.Name}' and '{_features.Name}').");
        }

        if (skipped > 0)
        {
            channel.Warning(MessageSensitivity.None, $"Skipped {skipped} of {rows + skipped} rows with missing values in '{_features.Name}' or '{_label.Name}'.");
        }

        return (features, labels, rows, skipped);
    }

    /// <summary>Streams <see cref="GatedLinearTrainerOptions.NumberOfEpochs"/> epochs into <paramref name="learn"/> (rows row-major, labels row-major).</summary>
    public void Train(IChannel channel, int seed, Action<ReadOnlySpan<float>, ReadOnlySpan<float>> learn)
    {
        IDataView data = _data;
        if (_options.Shuffle && !data.CanShuffle)
        {
            channel.Info(MessageSensitivity.None, "The training data cannot shuffle itself; shuffling through a pool of rows (mlContext.Data.ShuffleRows).");
            data = new MLContext(seed).Data.ShuffleRows(data, seed);
        }

        var random = new Random(seed);
        int batch = _options.BatchSize;
        var rows = new float[batch * FeatureCount];
        var labels = new float[batch * LabelWidth];
        for (int epoch = 1; epoch <= _options.NumberOfEpochs; epoch++)
        {
            int filled = 0;
            long learned = 0;
            (long count, _) = Pass(_options.Shuffle ? new Random(random.Next()) : null, (x, y) =>
            {
                x.CopyTo(rows.AsSpan(filled * FeatureCount));
                y.CopyTo(labels.AsSpan(filled * LabelWidth));
                if (++filled == batch)
                {
                    _options.CancellationToken.ThrowIfCancellationRequested();
                    learn(rows, labels);
                    filled = 0;
                    learned += batch;
                    if (learned % ProgressInterval < batch)
                    {
                        channel.Info(MessageSensitivity.None, $"Epoch {epoch}/{_options.NumberOfEpochs}: {learned} rows so far.");
                    }
                }
            }, data);
            learn(rows.AsSpan(0, filled * FeatureCount), labels.AsSpan(0, filled * LabelWidth));
            channel.Info(MessageSensitivity.None, $"Epoch {epoch}/{_options.NumberOfEpochs}: learned {count} rows.");
        }
    }

    // Rows between progress messages inside an epoch.
    private const long ProgressInterval = 100_000;

    private delegate void RowAction(ReadOnlySpan<float> features, ReadOnlySpan<float> label);

    private (long Rows, long Skipped) Pass(Random? random, RowAction onRow, IDataView? source = null)
    {
        source ??= _data;
        using DataViewRowCursor cursor = source.GetRowCursor([source.Schema[_features.Name], source.Schema[_label.Name]], random);
        var featureReader = new FeatureVectorReader(cursor, source.Schema[_features.Name]);
        LabelReader labelReader = _labelReader(cursor);
        var x = new float[FeatureCount];
        var y = new float[LabelWidth];
        long row = -1, used = 0, skipped = 0;
        while (cursor.MoveNext())
        {
            row++;
            featureReader.Read(x);
            int bad = Array.FindIndex(x, v => !float.IsFinite(v));
            bool labelPresent = labelReader(y);
            if (bad >= 0 || !labelPresent)
            {
                if (_options.SkipRowsWithMissingValues)
                {
                    skipped++;
                    continue;
                }

                throw bad >= 0
                    ? new InvalidOperationException($"Row {row}: column '{_features.Name}' has a non-finite value ({x[bad]}) at index {bad}. Impute it first, or set SkipRowsWithMissingValues.")
                    : new InvalidOperationException($"Row {row}: column '{_label.Name}' has a missing or non-finite label. Remove such rows, or set SkipRowsWithMissingValues.");
            }

            onRow(x, y);
            used++;
        }

        return (used, skipped);
    }

    /// <summary>Running mean and population standard deviation per dimension (Welford, double precision).</summary>
    internal sealed class Statistics(int dimension)
    {
        private readonly double[] _mean = new double[dimension];
        private readonly double[] _m2 = new double[dimension];
        private long _count;

        public double[] Mean => (double[])_mean.Clone();

        /// <summary>Zero marks a constant dimension (the core then centres without scaling).</summary>
        public double[] StandardDeviation => _m2.Select(m2 => _count > 0 ? Math.Sqrt(m2 / _count) : 0).ToArray();

        public void Add(ReadOnlySpan<float> values)
        {
            _count++;
            for (int j = 0; j < values.Length; j++)
            {
                double delta = values[j] - _mean[j];
                _mean[j] += delta / _count;
                _m2[j] += delta * (values[j] - _mean[j]);
            }
        }
    }
}
