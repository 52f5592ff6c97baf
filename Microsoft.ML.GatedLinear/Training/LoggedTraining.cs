using System.Globalization;
using Microsoft.ML.GatedLinear.Training;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.Trainers.GatedLinear;

/// <summary>
/// Runs the core's training over scanned cursor rows — with early stopping on the held-out rows when there are any and
/// the model can stop early — with progress and a line per epoch in the MLContext log, stopping when the options' token
/// or the MLContext (<c>CancelExecution</c>) cancels.
/// </summary>
internal static class LoggedTraining
{
    public static TrainingHistory Run(IHost host, IChannel channel, object model, CursorRows rows, InMemoryRows heldOut, OnlineTrainingOptions training, int batchSize, BatchLearner learn)
    {
        using var cancellation = new HostCancellation(host, training.CancellationToken);
        cancellation.Poll();
        training.CancellationToken = cancellation.Token;
        training.Progress = new ChannelProgress(channel, cancellation);
        void Report(EpochSummary epoch)
        {
            // Invariant, as the other figures the log gives: a reader parses the same text on every machine.
            string loss = double.IsNaN(epoch.TrainingLoss) ? string.Empty : string.Create(CultureInfo.InvariantCulture, $", training loss {epoch.TrainingLoss:0.####} per row");
            string heldOutLoss = double.IsNaN(epoch.ValidationLoss) ? string.Empty : string.Create(CultureInfo.InvariantCulture, $", held-out loss {epoch.ValidationLoss:0.####} (best: epoch {epoch.BestEpoch})");
            channel.Info(MessageSensitivity.None, $"Epoch {epoch.Epoch} of at most {epoch.MaxEpochs}: learned {epoch.Rows} rows{loss}{heldOutLoss}.");
        }

        TrainingHistory history = model is IEarlyStoppable stoppable
            ? EarlyStopping.Run(stoppable, rows, heldOut, training, batchSize, learn, Report)
            : EpochDriver.Run(rows, training, batchSize, learn, epoch =>
            {
                Report(epoch);
                return true;
            });
        if (history.HeldOutRows > 0)
        {
            channel.Info(MessageSensitivity.None, $"Kept the model of epoch {history.BestEpoch} of {history.Epochs}{(history.LearnedHeldOutRows ? $", then learned the {history.HeldOutRows} held-out rows once" : string.Empty)}.");
        }

        return history;
    }
}
