using Microsoft.ML.GatedLinear.Numerics;

namespace Microsoft.ML.GatedLinear.Training;

/// <summary>Learns from a batch of rows (row-major features, row-major labels); returns the batch's mean loss, or NaN when the learner does not measure one.</summary>
internal delegate double BatchLearner(ReadOnlySpan<float> rows, ReadOnlySpan<float> labels);

/// <summary>
/// What one epoch did: the rows learned and their mean training loss (NaN when not measured); with early stopping, also
/// the held-out loss after it and the best epoch so far (NaN and 0 without).
/// </summary>
internal readonly record struct EpochSummary(int Epoch, int MaxEpochs, long Rows, double TrainingLoss, double ValidationLoss = double.NaN, int BestEpoch = 0);

/// <summary>
/// The one training loop: epochs over a row source in stored or seeded-shuffled order, rows gathered into batches for
/// the learner, progress after every batch, cancellation between batches, and a hook after every epoch that may stop
/// training early.
/// </summary>
internal static class EpochDriver
{
    /// <summary>Runs up to <see cref="OnlineTrainingOptions.Epochs"/> epochs.</summary>
    /// <param name="source">The rows; its checks run as it streams.</param>
    /// <param name="options">Epochs, shuffling and its seed, progress, cancellation.</param>
    /// <param name="batchSize">Rows per call of <paramref name="learn"/>.</param>
    /// <param name="learn">The model's batch step.</param>
    /// <param name="afterEpoch">Called after every epoch; returning false ends training.</param>
    public static TrainingHistory Run(IRowSource source, OnlineTrainingOptions options, int batchSize, BatchLearner learn, Func<EpochSummary, bool>? afterEpoch = null)
    {
        options.Validate();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        var random = new SeededRandom(options.Seed);
        int features = source.FeatureCount, width = source.LabelWidth;
        long perEpoch = source.RowCount, total = perEpoch * options.Epochs, seen = 0;
        int capacity = (int)Math.Min(batchSize, Math.Max(1, perEpoch));
        var rows = new float[capacity * features];
        var labels = new float[capacity * width];
        var losses = new List<double>();
        for (int epoch = 1; epoch <= options.Epochs; epoch++)
        {
            int filled = 0;
            long learned = 0;
            double lossSum = 0;
            void Learn()
            {
                options.CancellationToken.ThrowIfCancellationRequested();
                lossSum += learn(rows.AsSpan(0, filled * features), labels.AsSpan(0, filled * width)) * filled;
                learned += filled;
                seen += filled;
                filled = 0;
                options.Progress?.Report(new TrainingProgress(epoch, options.Epochs, seen, total));
            }

            source.Stream(options.Shuffle ? random : null, (x, y) =>
            {
                x.CopyTo(rows.AsSpan(filled * features, features));
                y.CopyTo(labels.AsSpan(filled * width, width));
                if (++filled == capacity)
                {
                    Learn();
                }
            });
            if (filled > 0)
            {
                Learn();
            }

            losses.Add(lossSum / learned);
            if (afterEpoch?.Invoke(new EpochSummary(epoch, options.Epochs, learned, losses[^1])) == false)
            {
                break;
            }
        }

        return new TrainingHistory(losses);
    }
}
