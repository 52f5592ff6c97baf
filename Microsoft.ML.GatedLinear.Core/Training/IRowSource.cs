using Microsoft.ML.GatedLinear.Numerics;

namespace Microsoft.ML.GatedLinear.Training;

/// <summary>Receives one row: its features and its <see cref="IRowSource.LabelWidth"/> label values.</summary>
internal delegate void RowSink(ReadOnlySpan<float> features, ReadOnlySpan<float> label);

/// <summary>
/// Rows that can be streamed in full any number of times — held in memory, or read through a data view's cursors.
/// A source checks each row as it streams it and names the row when one is bad.
/// </summary>
internal interface IRowSource
{
    int FeatureCount { get; }

    /// <summary>Label values per row: 1 for a class or a scalar target, D for a vector target, 0 for unlabeled rows.</summary>
    int LabelWidth { get; }

    /// <summary>Rows one pass streams.</summary>
    long RowCount { get; }

    /// <summary>Streams every row once: in stored order, or in an order drawn from <paramref name="shuffle"/>.</summary>
    void Stream(SeededRandom? shuffle, RowSink sink);
}
