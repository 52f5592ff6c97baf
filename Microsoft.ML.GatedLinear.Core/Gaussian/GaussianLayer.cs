using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using Microsoft.ML.GatedLinear.Gating;
using Microsoft.ML.GatedLinear.Numerics;

namespace Microsoft.ML.GatedLinear.Gaussian;

/// <summary>
/// A layer of Gaussian GLN neurons: each has 2^s weight rows (one per context) over its m inputs, and counts how often
/// each row was updated (the pseudo-counts contextual bandits explore with). With weight averaging, each row also has
/// an averaged copy that predictions read.
/// </summary>
internal sealed class GaussianLayer : GatedLayer
{
    // averagedWeights are required exactly when averagingHorizon (H of RecordUpdate) is positive.
    public GaussianLayer(int neuronCount, int inputCount, int contextCount, float[] weights, long[] updateCounts, float[]? averagedWeights = null, int averagingHorizon = 0)
        : base(neuronCount, inputCount, contextCount, weights)
    {
        if (updateCounts.LongLength != (long)neuronCount * contextCount
            || (averagingHorizon > 0 ? averagedWeights?.LongLength != weights.LongLength : averagedWeights is not null))
        {
            throw new ArgumentException($"A layer of {neuronCount} neurons with {contextCount} contexts needs {(long)neuronCount * contextCount} counts, and as many averaged weights as weights exactly when it averages.");
        }

        UpdateCounts = updateCounts;
        AveragedWeights = averagedWeights;
        AveragingHorizon = averagingHorizon;
    }

    /// <summary>A layer whose every row starts at 1/m: the plain geometric average of its inputs.</summary>
    public static GaussianLayer Create(int neuronCount, int inputCount, int contextCount, int averagingHorizon)
    {
        var weights = new float[(long)neuronCount * contextCount * inputCount];
        weights.AsSpan().Fill(1f / inputCount);
        return new GaussianLayer(neuronCount, inputCount, contextCount, weights, new long[(long)neuronCount * contextCount], averagingHorizon > 0 ? (float[])weights.Clone() : null, averagingHorizon);
    }

    /// <summary>Updates applied to each [neuron, context] row.</summary>
    public long[] UpdateCounts { get; }

    /// <summary>The averaged rows (same layout as <see cref="GatedLayer.Weights"/>), or null when the layer does not average.</summary>
    public float[]? AveragedWeights { get; }

    /// <summary>H, or 0 when predictions read the learned rows.</summary>
    public int AveragingHorizon { get; }

    /// <summary>Takes <paramref name="other"/>'s weights, update counts and averaged weights (a copy of this layer).</summary>
    public override void CopyFrom(GatedLayer other)
    {
        base.CopyFrom(other);
        var layer = (GaussianLayer)other;
        layer.UpdateCounts.CopyTo(UpdateCounts, 0);
        layer.AveragedWeights?.CopyTo(AveragedWeights!, 0);
    }

    /// <summary>The row predictions read: the averaged row when the layer averages, else the learned row.</summary>
    public Span<float> PredictionRow(int neuron, int context)
        => (AveragedWeights ?? Weights).AsSpan(RowStart(neuron, context), InputCount);

    /// <summary>Updates applied so far to the row of <paramref name="neuron"/> for <paramref name="context"/>.</summary>
    public long UpdateCount(int neuron, int context) => UpdateCounts[RowIndex(neuron, context)];

    /// <summary>Every neuron's reported Gaussian from its prediction row, written into <paramref name="outputs"/>.</summary>
    public void Predict(in GaussianInputs inputs, ReadOnlySpan<int> contexts, in GaussianInputs outputs, in GaussianConstraints constraints, NeuronScratch scratch)
    {
        inputs.Weigh();
        for (int k = 0; k < NeuronCount; k++)
        {
            GaussianNeuron.Output(PredictionRow(k, contexts[k]), inputs, constraints, scratch.Mean, scratch.Precision);
            GaussianNeuron.ClampMean(scratch.Mean, constraints);
            outputs.Set(k, scratch.Mean, scratch.Precision);
        }
    }

    /// <summary>
    /// Predicts with, then updates, each neuron's learned active row. The outputs (and each neuron's log density of the
    /// target) are the pre-update predictions, so this equals a forward pass followed by the local updates; every neuron
    /// sees the learned rows below it, so its local problem is the same with or without averaging. The log densities are
    /// left out when <paramref name="logDensities"/> is empty (only switching aggregation reads them).
    /// </summary>
    public void PredictAndUpdate(in GaussianInputs inputs, ReadOnlySpan<int> contexts, in GaussianInputs outputs, Span<double> logDensities, ReadOnlySpan<float> target, float learningRate, in GaussianConstraints constraints, NeuronScratch scratch)
    {
        inputs.Weigh();
        PredictAndUpdate(0, NeuronCount, inputs, GradientMoments.Of(inputs), contexts, outputs, logDensities, target, learningRate, constraints, scratch);
    }

    /// <summary>
    /// <see cref="PredictAndUpdate(in GaussianInputs, ReadOnlySpan{int}, in GaussianInputs, Span{double}, ReadOnlySpan{float}, float, in GaussianConstraints, NeuronScratch)"/>
    /// for neurons <paramref name="first"/> … <paramref name="end"/> − 1 only, on inputs already weighed and their
    /// <paramref name="moments"/> (<see cref="GradientMoments.Of"/>, formed once for all ranges): neurons of a
    /// layer touch nothing in common but its inputs, so disjoint ranges can run on different cores (each with its own
    /// <paramref name="scratch"/>) and give the same bits as one loop.
    /// </summary>
    public void PredictAndUpdate(int first, int end, in GaussianInputs inputs, in GradientMoments moments, ReadOnlySpan<int> contexts, in GaussianInputs outputs, Span<double> logDensities, ReadOnlySpan<float> target, float learningRate, in GaussianConstraints constraints, NeuronScratch scratch)
    {
        bool scalar = inputs.Dimension == 1;
        int k = first;
        if (GaussianNeuron.LearnsInLanes(InputCount, inputs.Dimension))
        {
            Span<int> rowStarts = stackalloc int[GaussianNeuron.Lanes];
            for (; k + GaussianNeuron.Lanes <= end; k += GaussianNeuron.Lanes)
            {
                for (int l = 0; l < GaussianNeuron.Lanes; l++)
                {
                    rowStarts[l] = RowStart(k + l, contexts[k + l]);
                }

                GaussianNeuron.OutputAndUpdateLanes(Weights, rowStarts, inputs, moments, target[0], learningRate, constraints, outputs.Means.Slice(k, GaussianNeuron.Lanes), outputs.Precisions.Slice(k, GaussianNeuron.Lanes), scratch.Values);
                for (int l = 0; l < GaussianNeuron.Lanes; l++)
                {
                    RecordUpdate(k + l, contexts[k + l]);
                }
            }
        }

        for (; k < end; k++)
        {
            Span<float> row = ActiveRow(k, contexts[k]);
            if (scalar)
            {
                (scratch.Mean[0], scratch.Precision[0]) = GaussianNeuron.OutputAndUpdate(row, inputs, moments, target[0], learningRate, constraints, scratch.Values);
            }
            else
            {
                GaussianNeuron.Output(row, inputs, constraints, scratch.Mean, scratch.Precision);
                GaussianNeuron.Update(row, inputs, scratch.Mean, scratch.Precision, target, learningRate, constraints, scratch.Gradient.AsSpan(0, row.Length), scratch.Values);
            }

            GaussianNeuron.ClampMean(scratch.Mean, constraints);
            outputs.Set(k, scratch.Mean, scratch.Precision);
            RecordUpdate(k, contexts[k]);
        }

        if (!logDensities.IsEmpty)
        {
            LogDensities(first, end, outputs, target, logDensities, scratch);
        }
    }

    /// <summary>
    /// Writes log N(y; μ_k, diag(1/Λ_k)) = Σ_d ½ log Λ_kd − ½ Λ_kd (y_d − μ_kd)² − ½ log 2π for neurons
    /// <paramref name="first"/> … <paramref name="end"/> − 1, from the Gaussians they reported in
    /// <paramref name="outputs"/>: for the whole range at once, since the logarithm is the costly part and vectorizes.
    /// </summary>
    private static void LogDensities(int first, int end, in GaussianInputs outputs, ReadOnlySpan<float> target, Span<double> logDensities, NeuronScratch scratch)
    {
        int count = end - first;
        Span<float> logPrecisions = scratch.Values.AsSpan(0, count), quadratics = scratch.Gradient.AsSpan(0, count);
        Span<double> densities = logDensities[first..end];
        densities.Fill(-NormalDistribution.HalfLogTwoPi * outputs.Dimension);
        for (int d = 0; d < outputs.Dimension; d++)
        {
            ReadOnlySpan<float> precisions = outputs.PrecisionRow(d)[first..end];
            TensorPrimitives.Subtract(outputs.MeanRow(d)[first..end], target[d], quadratics);
            TensorPrimitives.Multiply(quadratics, quadratics, quadratics);
            TensorPrimitives.Multiply(quadratics, precisions, quadratics);
            TensorPrimitives.Log(precisions, logPrecisions);
            for (int k = 0; k < count; k++)
            {
                densities[k] += 0.5 * ((double)logPrecisions[k] - quadratics[k]);
            }
        }
    }

    /// <summary>
    /// Counts an update of the row just made and, when the layer averages, folds the row's new value into its
    /// average with weight 1/min(n, H) (n = the row's updates): the plain mean of its first H values, then an
    /// exponential average over roughly the last H.
    /// </summary>
    public void RecordUpdate(int neuron, int context)
    {
        long n = ++UpdateCounts[RowIndex(neuron, context)];
        if (AveragingHorizon > 0)
        {
            // a ← a·(1 − t) + w·t, the formula of float.Lerp, in a loop of refs: most rows are a few inputs long.
            int start = RowStart(neuron, context);
            float t = 1f / Math.Min(n, AveragingHorizon), keep = 1f - t;
            ref float a0 = ref AveragedWeights![start];
            ref float w0 = ref Weights[start];
            int m = InputCount, j = 0;
            for (; j <= m - Vector<float>.Count; j += Vector<float>.Count)
            {
                (Vector.LoadUnsafe(ref a0, (nuint)j) * keep + Vector.LoadUnsafe(ref w0, (nuint)j) * t).StoreUnsafe(ref a0, (nuint)j);
            }

            for (; j < m; j++)
            {
                Unsafe.Add(ref a0, j) = Unsafe.Add(ref a0, j) * keep + Unsafe.Add(ref w0, j) * t;
            }
        }
    }

    /// <summary>Per-neuron buffers: one neuron's mean and precision (double), its gradient and a scratch row (float).</summary>
    internal sealed class NeuronScratch(int dimension, int precisionRows, int widestRow)
    {
        public double[] Mean { get; } = new double[dimension];

        public double[] Precision { get; } = new double[precisionRows];

        public float[] Gradient { get; } = new float[widestRow];

        public float[] Values { get; } = new float[widestRow];
    }
}
