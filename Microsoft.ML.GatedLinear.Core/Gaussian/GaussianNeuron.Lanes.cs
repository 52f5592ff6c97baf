using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Microsoft.ML.GatedLinear.Gaussian;

internal static partial class GaussianNeuron
{
    /// <summary>Neurons <see cref="OutputAndUpdateLanes"/> steps at once: one per lane of a 256-bit vector.</summary>
    public const int Lanes = 8;

    /// <summary>
    /// Whether a layer of rows this long learns <see cref="Lanes"/> neurons at once: its rows are shorter than two
    /// vectors, so <see cref="OutputAndUpdate"/> would sum them on scalars, and the hardware has 256-bit vectors.
    /// </summary>
    public static bool LearnsInLanes(int inputCount, int dimension)
        => dimension == 1 && inputCount < 2 * Math.Min(Lanes, Vector<float>.Count) && Vector256.IsHardwareAccelerated;

    /// <summary>
    /// <see cref="OutputAndUpdate"/> for <see cref="Lanes"/> neurons of one layer at once, neuron l in vector lane l: their
    /// rows (at <paramref name="rowStarts"/> in <paramref name="weights"/>) are gathered into vectors by input, every sum
    /// runs over the inputs in the same order with the same float and double operations (on rows shorter than two
    /// vectors the scalar kernel sums in order too), and the rows are scattered back — so each neuron ends bit for bit where
    /// <see cref="OutputAndUpdate"/> would leave it. A wide first layer over a handful of features is hundreds of such
    /// neurons, each too short to fill a vector by itself. What the neurons pass up is written as the layer's outputs
    /// take it: <paramref name="reportedMeans"/> receives each mean before the step clamped to [−r, r],
    /// <paramref name="reportedPrecisions"/> each clamped precision.
    /// </summary>
    public static void OutputAndUpdateLanes(Span<float> weights, ReadOnlySpan<int> rowStarts, in GaussianInputs inputs, in GradientMoments moments, float target, float learningRate, in GaussianConstraints constraints, Span<float> reportedMeans, Span<float> reportedPrecisions, Span<float> scratch)
    {
        ReadOnlySpan<float> lambda = inputs.PrecisionRow(0), weightedMean = inputs.WeightedMeanRow(0);
        int m = lambda.Length;
        if (m >= 2 * Lanes || weightedMean.Length != m || rowStarts.Length != Lanes || reportedMeans.Length != Lanes || reportedPrecisions.Length != Lanes)
        {
            throw new ArgumentException($"{Lanes} rows shorter than {2 * Lanes} inputs, with {Lanes} means and precisions, are stepped at once.");
        }

        // Every row lies inside the weights, so the unchecked reads and writes below stay inside them.
        int s0 = rowStarts[0], s1 = rowStarts[1], s2 = rowStarts[2], s3 = rowStarts[3], s4 = rowStarts[4], s5 = rowStarts[5], s6 = rowStarts[6], s7 = rowStarts[7];
        foreach (int start in rowStarts)
        {
            if (start < 0 || start > weights.Length - m)
            {
                throw new ArgumentOutOfRangeException(nameof(rowStarts), $"A row at {start} of {m} weights is outside the {weights.Length} weights.");
            }
        }

        // Input j of every lane, contiguous: transposed[j·Lanes + l] is weight j of lane l's row. Each vector is built
        // from the eight rows and stored whole (eight scalar stores read back as one vector would stall the load).
        Span<float> transposed = stackalloc float[m * Lanes];
        ref float t0 = ref MemoryMarshal.GetReference(transposed);
        ref float w0 = ref MemoryMarshal.GetReference(weights);
        Vector256<float> rawPrecisionSum = Vector256<float>.Zero, weightedMeanSum = Vector256<float>.Zero;
        for (int j = 0; j < m; j++)
        {
            Vector256<float> w = Vector256.Create(
                Unsafe.Add(ref w0, s0 + j), Unsafe.Add(ref w0, s1 + j), Unsafe.Add(ref w0, s2 + j), Unsafe.Add(ref w0, s3 + j),
                Unsafe.Add(ref w0, s4 + j), Unsafe.Add(ref w0, s5 + j), Unsafe.Add(ref w0, s6 + j), Unsafe.Add(ref w0, s7 + j));
            w.StoreUnsafe(ref t0, (nuint)(j * Lanes));
            rawPrecisionSum += w * lambda[j];
            weightedMeanSum += w * weightedMean[j];
        }

        (Vector256<double> precisionLow, Vector256<double> precisionHigh) = Vector256.Widen(rawPrecisionSum);
        (Vector256<double> meanSumLow, Vector256<double> meanSumHigh) = Vector256.Widen(weightedMeanSum);
        (Vector256<double> cLow, Vector256<double> eLow, Vector256<double> meanLow, Vector256<double> clampedLow) = ErrorTerms(precisionLow, meanSumLow, target, constraints);
        (Vector256<double> cHigh, Vector256<double> eHigh, Vector256<double> meanHigh, Vector256<double> clampedHigh) = ErrorTerms(precisionHigh, meanSumHigh, target, constraints);
        Vector256<double> meanBound = Vector256.Create(constraints.MeanBound);
        Vector256.Narrow(Vector256.MinNative(Vector256.MaxNative(meanLow, -meanBound), meanBound), Vector256.MinNative(Vector256.MaxNative(meanHigh, -meanBound), meanBound)).CopyTo(reportedMeans);
        Vector256.Narrow(clampedLow, clampedHigh).CopyTo(reportedPrecisions);

        Vector256<float> c = Vector256.Narrow(cLow, cHigh), minusE = Vector256.Narrow(-eLow, -eHigh);
        Vector256<float> norm = Vector256.Narrow(Norm(moments, cLow, eLow), Norm(moments, cHigh, eHigh)), cap = Vector256.Create(constraints.MaxGradientNorm);
        Vector256<float> step = Vector256.ConditionalSelect(Vector256.GreaterThan(norm, cap), Vector256.Create(learningRate * constraints.MaxGradientNorm) / norm, Vector256.Create(learningRate));
        Vector256<float> stepC = -step * c, stepMinusE = -step * minusE;
        Vector256<float> upper = Vector256.Create(constraints.WeightBound), lower = -upper;
        Vector256<double> updatedLow = Vector256<double>.Zero, updatedHigh = Vector256<double>.Zero;
        for (int j = 0; j < m; j++)
        {
            Vector256<float> boxed = Vector256.MinNative(Vector256.MaxNative(Vector256.LoadUnsafe(ref t0, (nuint)(j * Lanes)) + stepC * lambda[j] + stepMinusE * weightedMean[j], lower), upper);
            Unsafe.Add(ref w0, s0 + j) = boxed.GetElement(0);
            Unsafe.Add(ref w0, s1 + j) = boxed.GetElement(1);
            Unsafe.Add(ref w0, s2 + j) = boxed.GetElement(2);
            Unsafe.Add(ref w0, s3 + j) = boxed.GetElement(3);
            Unsafe.Add(ref w0, s4 + j) = boxed.GetElement(4);
            Unsafe.Add(ref w0, s5 + j) = boxed.GetElement(5);
            Unsafe.Add(ref w0, s6 + j) = boxed.GetElement(6);
            Unsafe.Add(ref w0, s7 + j) = boxed.GetElement(7);
            (Vector256<double> low, Vector256<double> high) = Vector256.Widen(boxed * lambda[j]);
            updatedLow += low;
            updatedHigh += high;
        }

        // FinishStep changes a row only when its new precision left (0, max] or fell below min: rare once learning settles.
        Vector256<double> minimum = Vector256.Create(constraints.MinPrecision), maximum = Vector256.Create(constraints.MaxPrecision);
        uint finishing = (Vector256.LessThan(updatedLow, minimum) | Vector256.GreaterThan(updatedLow, maximum)).ExtractMostSignificantBits()
            | (Vector256.LessThan(updatedHigh, minimum) | Vector256.GreaterThan(updatedHigh, maximum)).ExtractMostSignificantBits() << 4;
        for (int l = 0; finishing != 0 && l < Lanes; l++)
        {
            if ((finishing & (1u << l)) != 0)
            {
                FinishStep(weights.Slice(rowStarts[l], m), lambda, l < 4 ? updatedLow.GetElement(l) : updatedHigh.GetElement(l - 4), constraints, scratch);
            }
        }
    }

    /// <summary>Four lanes of <see cref="GradientMoments.SquaredNorm"/>'s square root, formed in the same order.</summary>
    private static Vector256<double> Norm(in GradientMoments moments, Vector256<double> c, Vector256<double> e)
        => Vector256.Sqrt(Vector256.MaxNative(c * c * moments.PrecisionSquares - 2 * c * e * moments.Cross + e * e * moments.WeightedMeanSquares, Vector256<double>.Zero));

    /// <summary>
    /// Four lanes of the step's scalars, as <see cref="OutputAndUpdate"/> forms them: c = (e² − σ²)/2 + e·μ, the error
    /// e = y − μ, the unclamped mean μ and the clamped precision.
    /// </summary>
    private static (Vector256<double> C, Vector256<double> E, Vector256<double> Mean, Vector256<double> Precision) ErrorTerms(Vector256<double> rawPrecision, Vector256<double> weightedMeanSum, float target, in GaussianConstraints constraints)
    {
        Vector256<double> mean = Vector256.ConditionalSelect(Vector256.GreaterThan(rawPrecision, Vector256<double>.Zero), weightedMeanSum / rawPrecision, Vector256<double>.Zero);
        Vector256<double> precision = Vector256.MinNative(Vector256.MaxNative(rawPrecision, Vector256.Create(constraints.MinPrecision)), Vector256.Create(constraints.MaxPrecision));
        Vector256<double> e = Vector256.Create((double)target) - mean;
        return ((e * e - Vector256<double>.One / precision) / 2 + e * mean, e, mean, precision);
    }
}
