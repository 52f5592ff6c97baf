using Microsoft.ML.GatedLinear.Data;
using Microsoft.ML.GatedLinear.Numerics;

namespace Microsoft.ML.GatedLinear.Training;

/// <summary>Streams an in-memory data set through an online learner for several epochs, shuffling with a seed.</summary>
public static class OnlineTrainer
{
    /// <summary>Trains <paramref name="learner"/> on <paramref name="data"/>.</summary>
    /// <param name="learner">The model; it keeps learning from wherever it is.</param>
    /// <param name="data">The rows; every row is validated first, so a bad row stops training before any update.</param>
    /// <param name="options">Epochs, shuffling, batch size, progress and cancellation; default <see cref="OnlineTrainingOptions"/>.</param>
    /// <param name="validateLabel">Checks one label; throws naming the row.</param>
    public static void Train<TLabel>(IOnlineLearner<TLabel> learner, LabeledData<TLabel> data, OnlineTrainingOptions? options, Action<TLabel, long> validateLabel)
    {
        ArgumentNullException.ThrowIfNull(learner);
        ArgumentNullException.ThrowIfNull(data);
        options ??= new OnlineTrainingOptions();
        options.Validate();
        InputValidation.ValidateNotEmpty(data.RowCount);
        if (data.FeatureCount != learner.FeatureCount)
        {
            throw new ArgumentException($"The data has {data.FeatureCount} features per row; the model expects {learner.FeatureCount}.", nameof(data));
        }

        for (int i = 0; i < data.RowCount; i++)
        {
            InputValidation.ValidateRow(data.Row(i), learner.FeatureCount, i, data.FeatureNames);
            validateLabel(data.Labels[i], i);
        }

        var random = new SeededRandom(options.Seed);
        int[] order = Enumerable.Range(0, data.RowCount).ToArray();
        int batch = Math.Min(options.BatchSize, data.RowCount);
        var rows = new float[batch * data.FeatureCount];
        var labels = new TLabel[batch];
        long total = (long)options.Epochs * data.RowCount, seen = 0;
        for (int epoch = 1; epoch <= options.Epochs; epoch++)
        {
            if (options.Shuffle)
            {
                random.Shuffle(order.AsSpan());
            }

            for (int first = 0; first < order.Length; first += batch)
            {
                options.CancellationToken.ThrowIfCancellationRequested();
                int count = Math.Min(batch, order.Length - first);
                for (int i = 0; i < count; i++)
                {
                    data.Row(order[first + i]).CopyTo(rows.AsSpan(i * data.FeatureCount, data.FeatureCount));
                    labels[i] = data.Labels[order[first + i]];
                }

                learner.Learn(rows.AsSpan(0, count * data.FeatureCount), labels.AsSpan(0, count));
                seen += count;
                options.Progress?.Report(new TrainingProgress(epoch, options.Epochs, seen, total));
            }
        }
    }
}
