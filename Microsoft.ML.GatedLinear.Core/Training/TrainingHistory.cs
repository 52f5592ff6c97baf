namespace Microsoft.ML.GatedLinear.Training;

/// <summary>What a training run did, epoch by epoch.</summary>
public sealed class TrainingHistory
{
    internal TrainingHistory(IReadOnlyList<double> trainingLoss)
    {
        TrainingLoss = trainingLoss;
    }

    /// <summary>Epochs run.</summary>
    public int Epochs => TrainingLoss.Count;

    /// <summary>
    /// Each epoch's mean loss per row, measured while learning (GaLU: the batch loss before each step; GON: the outer
    /// loss). NaN for the gated linear networks, which do not measure a loss while they learn.
    /// </summary>
    public IReadOnlyList<double> TrainingLoss { get; }
}
