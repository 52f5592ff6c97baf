namespace Microsoft.ML.GatedLinear.Data;

/// <summary>An in-memory table of feature rows with one label per row, for the core's training loops.</summary>
/// <typeparam name="TLabel">The label type: a class index for classifiers, a value for regression.</typeparam>
public sealed class LabeledData<TLabel>
{
    private readonly float[] _features;
    private readonly TLabel[] _labels;

    /// <summary>Wraps row-major features and their labels (no copy).</summary>
    /// <param name="features">Row-major [rows × featureCount].</param>
    /// <param name="labels">One label per row.</param>
    /// <param name="featureCount">Features per row.</param>
    /// <param name="featureNames">Optional names, used in error messages; default "feature j".</param>
    public LabeledData(float[] features, TLabel[] labels, int featureCount, IReadOnlyList<string>? featureNames = null)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(featureCount);
        if (features.LongLength != (long)labels.Length * featureCount)
        {
            throw new ArgumentException($"{labels.Length} labels need {(long)labels.Length * featureCount} feature values ({featureCount} per row); got {features.LongLength}.", nameof(features));
        }

        if (featureNames is not null && featureNames.Count != featureCount)
        {
            throw new ArgumentException($"{featureNames.Count} feature names were given for {featureCount} features.", nameof(featureNames));
        }

        _features = features;
        _labels = labels;
        FeatureCount = featureCount;
        FeatureNames = featureNames;
    }

    /// <summary>Number of rows.</summary>
    public int RowCount => _labels.Length;

    /// <summary>Features per row.</summary>
    public int FeatureCount { get; }

    /// <summary>Feature names, if known.</summary>
    public IReadOnlyList<string>? FeatureNames { get; }

    /// <summary>All features, row-major.</summary>
    public ReadOnlySpan<float> Features => _features;

    /// <summary>The features array itself, for the training sources (no copy).</summary>
    internal float[] FeatureArray => _features;

    /// <summary>All labels.</summary>
    public ReadOnlySpan<TLabel> Labels => _labels;

    /// <summary>The features of row <paramref name="row"/>.</summary>
    public ReadOnlySpan<float> Row(int row) => _features.AsSpan(row * FeatureCount, FeatureCount);

    /// <summary>
    /// A seeded random split, as ML.NET's TrainTestSplit: the rows in an order drawn from <paramref name="seed"/>, the
    /// last round(n·<paramref name="testFraction"/>) of them for testing (copies).
    /// </summary>
    /// <param name="testFraction">The share of rows held out, in (0, 1).</param>
    /// <param name="seed">Seed of the order.</param>
    public (LabeledData<TLabel> Train, LabeledData<TLabel> Test) Split(double testFraction, int seed)
    {
        if (!(testFraction > 0 && testFraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(testFraction), testFraction, "The test fraction must lie strictly between 0 and 1.");
        }

        int[] order = Enumerable.Range(0, RowCount).ToArray();
        new Numerics.SeededRandom(seed).Shuffle(order.AsSpan());
        int trainCount = RowCount - (int)Math.Round(RowCount * testFraction, MidpointRounding.AwayFromZero);
        return (Select(order.AsSpan(0, trainCount)), Select(order.AsSpan(trainCount)));
    }

    /// <summary>A new table holding the given rows, in the given order (copies).</summary>
    public LabeledData<TLabel> Select(ReadOnlySpan<int> rows)
    {
        var features = new float[(long)rows.Length * FeatureCount];
        var labels = new TLabel[rows.Length];
        for (int i = 0; i < rows.Length; i++)
        {
            Row(rows[i]).CopyTo(features.AsSpan(i * FeatureCount, FeatureCount));
            labels[i] = _labels[rows[i]];
        }

        return new LabeledData<TLabel>(features, labels, FeatureCount, FeatureNames);
    }
}
