using System.Globalization;
using Microsoft.ML.GatedLinear.Training;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.Trainers.GatedLinear;

/// <summary>
/// Writes training progress to an ML.NET channel (and so to MLContext.Log) about every <see cref="Interval"/> rows, with
/// the totals; polls the MLContext's cancellation after every batch.
/// </summary>
internal sealed class ChannelProgress(IChannel channel, HostCancellation cancellation) : IProgress<TrainingProgress>
{
    private const long Interval = 100_000;
    private long _reported;

    public void Report(TrainingProgress value)
    {
        cancellation.Poll();
        if (value.RowsSeen - _reported >= Interval)
        {
            _reported = value.RowsSeen;
            channel.Info(MessageSensitivity.None, string.Create(CultureInfo.InvariantCulture, $"Epoch {value.Epoch}/{value.Epochs}: {value.RowsSeen} of {value.TotalRows} rows learned in all ({value.Fraction:P0})."));
        }
    }
}
