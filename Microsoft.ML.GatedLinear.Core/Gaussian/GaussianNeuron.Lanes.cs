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
    /// Whether a layer of rows this long learns <see cref="Lanes"/> neurons at once: its rows are shorter than five
    /// vectors of eight, where a neuron's fixed work (its mean, error, step and checks) outweighs its row's (a step of
    /// 512 neurons over 18 inputs took 32 ns in lanes against 61–73 alone, over 34 inputs 54 against 66, over 66 no
    /// less); the lanes can sum them in the order <see cref="OutputAndUpdate"/> does (<see cref="SumInRowOrder"/>) — in
    /// input order below two of its vectors, else by its eight-wide accumulators; and the hardware has 256-bit vectors.
    /// </summary>
    public static bool LearnsInLanes(int inputCount, int dimension)
        => dimension == 1 && inputCount < 5 * Lanes && (inputCount < 2 * Vector<float>.Count || Vector<float>.Count == Lanes) && Vector256.IsHardwareAccelerated;

    /// <summary>
    /// <see cref="OutputAndUpdate"/> for <see cref="Lanes"/> neurons of one layer at once, neuron l in vector lane l: their
    /// rows (at <paramref name="rowStarts"/> in <paramref name="weights"/>) are gathered into vectors by input, every sum
    /// is formed with the same float and double operations in the same order (<see cref="SumInRowOrder"/>), and the rows
    /// are scattered back — so each neuron ends bit for bit where <see cref="OutputAndUpdate"/> would leave it. A wide
    /// first layer over a few to a few dozen features is hundreds of such neurons, whose rows are too short for their
    /// vector sums to outweigh their scalar work. What the neurons pass up is written as the layer's outputs
    /// take it: <paramref name="reportedMeans"/> receives each mean before the step clamped to [−r, r],
    /// <paramref name="reportedPrecisions"/> each clamped precision.
    /// </summary>
    public static void OutputAndUpdateLanes(Span<float> weights, ReadOnlySpan<int> rowStarts, in GaussianInputs inputs, in GradientMoments moments, float target, float learningRate, in GaussianConstraints constraints, Span<float> reportedMeans, Span<float> reportedPrecisions, Span<float> scratch)
    {
        ReadOnlySpan<float> lambda = inputs.PrecisionRow(0), weightedMean = inputs.WeightedMeanRow(0);
        int m = lambda.Length;
        if (!LearnsInLanes(m, 1) || weightedMean.Length != m || rowStarts.Length != Lanes || reportedMeans.Length != Lanes || reportedPrecisions.Length != Lanes)
        {
            throw new ArgumentException($"{Lanes} rows shorter than {5 * Lanes} inputs (and summed in order below {2 * Vector<float>.Count}), with {Lanes} means and precisions, are stepped at once.");
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
        for (int j = 0; j < m; j++)
        {
            Vector256.Create(
                Unsafe.Add(ref w0, s0 + j), Unsafe.Add(ref w0, s1 + j), Unsafe.Add(ref w0, s2 + j), Unsafe.Add(ref w0, s3 + j),
                Unsafe.Add(ref w0, s4 + j), Unsafe.Add(ref w0, s5 + j), Unsafe.Add(ref w0, s6 + j), Unsafe.Add(ref w0, s7 + j)).StoreUnsafe(ref t0, (nuint)(j * Lanes));
        }

        // The one-neuron kernel's order: input order below two of its vectors, else whole vectors of eight, then the tail
        // (LearnsInLanes admits no other vector width).
        int blocks = m < 2 * Vector<float>.Count ? 0 : m / Lanes;
        Vector256<float> rawPrecisionSum = SumInRowOrder(ref t0, lambda, blocks), weightedMeanSum = SumInRowOrder(ref t0, weightedMean, blocks);
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
        for (int j = 0; j < m; j++)
        {
            Vector256<float> boxed = Vector256.MinNative(Vector256.MaxNative(Vector256.LoadUnsafe(ref t0, (nuint)(j * Lanes)) + stepC * lambda[j] + stepMinusE * weightedMean[j], lower), upper);
            boxed.StoreUnsafe(ref t0, (nuint)(j * Lanes));
            Unsafe.Add(ref w0, s0 + j) = boxed.GetElement(0);
            Unsafe.Add(ref w0, s1 + j) = boxed.GetElement(1);
            Unsafe.Add(ref w0, s2 + j) = boxed.GetElement(2);
            Unsafe.Add(ref w0, s3 + j) = boxed.GetElement(3);
            Unsafe.Add(ref w0, s4 + j) = boxed.GetElement(4);
            Unsafe.Add(ref w0, s5 + j) = boxed.GetElement(5);
            Unsafe.Add(ref w0, s6 + j) = boxed.GetElement(6);
            Unsafe.Add(ref w0, s7 + j) = boxed.GetElement(7);
        }

        // The new precision as OutputAndUpdate forms it: its vector part in float, then the tail's products added in double.
        (Vector256<double> updatedLow, Vector256<double> updatedHigh) = Vector256.Widen(BlockSum(ref t0, lambda, blocks));
        for (int j = blocks * Lanes; j < m; j++)
        {
            (Vector256<double> low, Vector256<double> high) = Vector256.Widen(Vector256.LoadUnsafe(ref t0, (nuint)(j * Lanes)) * lambda[j]);
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

    /// <summary>
    /// Σ_j w_j·a_j for every lane's row (w_j of lane l at transposed[j·<see cref="Lanes"/> + l]) in the order
    /// <see cref="OutputAndUpdate"/> sums one row: <see cref="BlockSum"/> over its first <paramref name="blocks"/> vectors
    /// of eight (none when it sums the row in input order), then the remaining inputs one by one.
    /// </summary>
    private static Vector256<float> SumInRowOrder(ref float transposed, ReadOnlySpan<float> a, int blocks)
    {
        Vector256<float> sum = BlockSum(ref transposed, a, blocks);
        for (int j = blocks * Lanes; j < a.Length; j++)
        {
            sum += Vector256.LoadUnsafe(ref transposed, (nuint)(j * Lanes)) * a[j];
        }

        return sum;
    }

    /// <summary>
    /// What <see cref="OutputAndUpdate"/>'s vector loop makes of a row's first <paramref name="blocks"/> vectors of eight,
    /// for every lane: its two accumulators take the even and the odd vectors in turn, so position i collects inputs
    /// i, i + 16, … and i + 8, i + 24, …; their sum is reduced as <see cref="Vector.Sum{T}(Vector{T})"/> reduces a
    /// 256-bit vector, ((p0 + p1) + (p2 + p3)) + ((p4 + p5) + (p6 + p7)). Zero for no blocks.
    /// </summary>
    private static Vector256<float> BlockSum(ref float transposed, ReadOnlySpan<float> a, int blocks)
    {
        if (blocks == 0)
        {
            return Vector256<float>.Zero;
        }

        return ((Position(ref transposed, a, blocks, 0) + Position(ref transposed, a, blocks, 1)) + (Position(ref transposed, a, blocks, 2) + Position(ref transposed, a, blocks, 3)))
            + ((Position(ref transposed, a, blocks, 4) + Position(ref transposed, a, blocks, 5)) + (Position(ref transposed, a, blocks, 6) + Position(ref transposed, a, blocks, 7)));
    }

    // Position i of the two accumulators, added: even vectors' inputs into one, odd vectors' into the other, each from zero.
    private static Vector256<float> Position(ref float transposed, ReadOnlySpan<float> a, int blocks, int i)
    {
        Vector256<float> even = Vector256<float>.Zero, odd = Vector256<float>.Zero;
        for (int b = 0; b < blocks; b += 2)
        {
            int j = b * Lanes + i;
            even += Vector256.LoadUnsafe(ref transposed, (nuint)(j * Lanes)) * a[j];
        }

        for (int b = 1; b < blocks; b += 2)
        {
            int j = b * Lanes + i;
            odd += Vector256.LoadUnsafe(ref transposed, (nuint)(j * Lanes)) * a[j];
        }

        return even + odd;
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
