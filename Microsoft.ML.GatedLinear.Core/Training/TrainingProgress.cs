namespace Microsoft.ML.GatedLinear.Training;

/// <summary>Where a training run is.</summary>
/// <param name="Epoch">The current epoch, 1-based.</param>
/// <param name="Epochs">Epochs in the run.</param>
/// <param name="RowsSeen">Rows learned so far in this run, over all epochs.</param>
/// <param name="TotalRows">Rows the whole run will learn.</param>
public readonly record struct TrainingProgress(int Epoch, int Epochs, long RowsSeen, long TotalRows)
{
    /// <summary>Fraction done, in [0, 1].</summary>
    public double Fraction => TotalRows == 0 ? 1 : (double)RowsSeen / TotalRows;
}
