using Microsoft.ML.GatedLinear.Data;
using Microsoft.ML.GatedLinear.Numerics;
using Microsoft.ML.GatedLinear.Training;

namespace Microsoft.ML.GatedLinear.Gon;

/// <summary>One epoch of mini-batch training in a seeded shuffled order, shared by the GON and its autoencoder baseline so both see the same batches.</summary>
internal static class MiniBatchEpoch
{
    /// <summary>One optimizer step on a batch (row-major); returns the mean loss per row.</summary>
    public delegate double BatchStep(ReadOnlySpan<float> batch);

    /// <summary>Runs <paramref name="step"/> on every batch of a fresh permutation of the rows; returns the mean loss per row.</summary>
    public static double Run(ReadOnlySpan<float> rows, int dimension, int batchSize, SeededRandom random, BatchStep step, CancellationToken cancellation, IProgress<TrainingProgress>? progress)
    {
        int n = rows.Length / dimension;
        InputValidation.ValidateNotEmpty(n);
        int[] order = Enumerable.Range(0, n).ToArray();
        random.Shuffle(order.AsSpan());
        var batch = new float[batchSize * dimension];
        double total = 0;
        for (int first = 0; first < n; first += batchSize)
        {
            cancellation.ThrowIfCancellationRequested();
            int count = Math.Min(batchSize, n - first);
            for (int b = 0; b < count; b++)
            {
                rows.Slice(order[first + b] * dimension, dimension).CopyTo(batch.AsSpan(b * dimension));
            }

            total += step(batch.AsSpan(0, count * dimension)) * count;
            progress?.Report(new TrainingProgress(1, 1, first + count, n));
        }

        return total / n;
    }
}
