namespace Microsoft.ML.GatedLinear.Training;

/// <summary>
/// Training that chooses its own number of epochs: after every epoch the model's loss on the held-out rows is
/// measured; the best model so far is kept; training ends when that loss has not improved by more than
/// <see cref="OnlineTrainingOptions.EarlyStoppingTolerance"/> of itself for
/// <see cref="OnlineTrainingOptions.EarlyStoppingPatience"/> epochs or the epochs run out, the best model is restored,
/// the model recalibrates on the held-out rows if it can (<see cref="ICalibratedOnHeldOutRows"/>), and then, if asked,
/// the held-out rows are learned once more.
/// </summary>
internal static class EarlyStopping
{
    /// <summary>
    /// Trains <paramref name="model"/> on rows held in memory: with held-out rows when the options ask for them
    /// (<see cref="OnlineTrainingOptions.HoldsOut"/>), else on every row for the options' epochs.
    /// </summary>
    public static TrainingHistory Fit(IEarlyStoppable model, InMemoryRows rows, OnlineTrainingOptions options, int batchSize, BatchLearner learn)
    {
        options.Validate();
        if (!options.HoldsOut)
        {
            return EpochDriver.Run(rows, options, batchSize, learn);
        }

        (InMemoryRows training, InMemoryRows heldOut) = rows.Split(new ValidationSplit(options.ValidationFraction, options.Seed));
        return training.RowCount == 0 ? EpochDriver.Run(rows, options, batchSize, learn) : Run(model, training, heldOut, options, batchSize, learn);
    }

    /// <summary>Trains <paramref name="model"/> on <paramref name="training"/>, stopping early on <paramref name="heldOut"/>'s loss when it holds rows.</summary>
    /// <remarks><paramref name="onEpoch"/>, if given, is told about every epoch (for progress messages).</remarks>
    public static TrainingHistory Run(IEarlyStoppable model, IRowSource training, IRowSource heldOut, OnlineTrainingOptions options, int batchSize, BatchLearner learn, Action<EpochSummary>? onEpoch = null)
    {
        if (heldOut.RowCount == 0)
        {
            return EpochDriver.Run(training, options, batchSize, learn, epoch =>
            {
                onEpoch?.Invoke(epoch);
                return true;
            });
        }

        var validation = new List<double>();
        double best = double.PositiveInfinity;
        int bestEpoch = 0, progressEpoch = 0;
        object? kept = null;
        TrainingHistory history = EpochDriver.Run(training, options, batchSize, learn, epoch =>
        {
            double loss = model.HeldOutLoss(heldOut);
            validation.Add(loss);
            if (loss < best)
            {
                progressEpoch = loss < best - options.EarlyStoppingTolerance * Math.Abs(best) ? epoch.Epoch : progressEpoch;
                (best, bestEpoch, kept) = (loss, epoch.Epoch, model.Snapshot(kept));
            }

            onEpoch?.Invoke(epoch with { ValidationLoss = loss, BestEpoch = bestEpoch });
            return epoch.Epoch - progressEpoch < options.EarlyStoppingPatience;
        });

        if (kept is not null && bestEpoch != history.Epochs)
        {
            model.Restore(kept);
        }

        // Before the held-out rows are learned, while their errors are still those of unseen rows.
        (model as ICalibratedOnHeldOutRows)?.Calibrate(heldOut);

        if (options.LearnHeldOutRows)
        {
            EpochDriver.Run(heldOut, new OnlineTrainingOptions { Epochs = 1, Shuffle = options.Shuffle, Seed = options.Seed, CancellationToken = options.CancellationToken }, batchSize, learn);
        }

        return new TrainingHistory(history.TrainingLoss, validation, bestEpoch, heldOut.RowCount, options.LearnHeldOutRows);
    }
}
