namespace Microsoft.ML.GatedLinear.Training;

/// <summary>What a training run did, epoch by epoch, and which epoch's model it kept.</summary>
public sealed class TrainingHistory
{
    internal TrainingHistory(IReadOnlyList<double> trainingLoss)
        : this(trainingLoss, [], trainingLoss.Count, 0, false)
    {
    }

    internal TrainingHistory(IReadOnlyList<double> trainingLoss, IReadOnlyList<double> validationLoss, int bestEpoch, long heldOutRows, bool learnedHeldOutRows)
    {
        TrainingLoss = trainingLoss;
        ValidationLoss = validationLoss;
        BestEpoch = bestEpoch;
        HeldOutRows = heldOutRows;
        LearnedHeldOutRows = learnedHeldOutRows;
    }

    /// <summary>Epochs run over the training rows (at most <see cref="OnlineTrainingOptions.Epochs"/>).</summary>
    public int Epochs => TrainingLoss.Count;

    /// <summary>
    /// Each epoch's mean loss per row, measured while learning (GaLU: the batch loss before each step; GON: the outer
    /// loss). NaN for the gated linear networks, which do not measure a loss while they learn.
    /// </summary>
    public IReadOnlyList<double> TrainingLoss { get; }

    /// <summary>The held-out rows' mean loss after each epoch (the model's own loss); empty when no rows were held out.</summary>
    public IReadOnlyList<double> ValidationLoss { get; }

    /// <summary>The held-out loss of the epoch kept (<see cref="BestEpoch"/>); NaN when no rows were held out.</summary>
    public double BestValidationLoss => BestEpoch >= 1 && BestEpoch <= ValidationLoss.Count ? ValidationLoss[BestEpoch - 1] : double.NaN;

    /// <summary>The epoch whose model was kept: the one with the lowest held-out loss, or the last without held-out rows.</summary>
    public int BestEpoch { get; }

    /// <summary>Rows held out to choose the epoch (0 when training ran for a fixed number of epochs).</summary>
    public long HeldOutRows { get; }

    /// <summary>Whether the held-out rows were learned once after the best epoch was restored.</summary>
    public bool LearnedHeldOutRows { get; }
}
