using Microsoft.ML.GatedLinear.Training;
using Microsoft.ML.GatedLinear.Numerics;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.Trainers.GatedLinear;

/// <summary>Runs the core's epoch driver over scanned cursor rows, with progress and a line per epoch in the MLContext log.</summary>
internal static class LoggedTraining
{
    public static TrainingHistory Run(IChannel channel, CursorRows rows, OnlineTrainingOptions training, int batchSize, BatchLearner learn)
    {
        training.Progress = new ChannelProgress(channel);
        return EpochDriver.Run(rows, training, batchSize, learn, epoch =>
        {
            string loss = double.IsNaN(epoch.TrainingLoss) ? string.Empty : $", training loss {epoch.TrainingLoss:0.####} per row";
            channel.Info(MessageSensitivity.None, $"Epoch {epoch.Epoch}/{training.Epochs}: learned {epoch.Rows} rows{loss}.");
            return true;
        });
    }
}
