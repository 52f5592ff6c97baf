using Microsoft.ML.GatedLinear.Numerics;
using Microsoft.ML.GatedLinear.Training;

namespace Microsoft.ML.Trainers.GatedLinear;

/// <summary>
/// What the first pass over the training data found (<see cref="CursorRows.Scan"/>): the rows the later passes stream,
/// the rows held out, and the moments of every row's features and labels. Every model of a fit is shaped by it.
/// </summary>
internal sealed record ScannedRows(CursorRows Rows, InMemoryRows HeldOut, RunningMoments Features, RunningMoments Labels)
{
    /// <summary>Every training row, held out or not: the rows the standardization (and a B-GLN's discriminant) is fitted on.</summary>
    public long TrainingRowCount => Rows.RowCount + HeldOut.RowCount;
}
