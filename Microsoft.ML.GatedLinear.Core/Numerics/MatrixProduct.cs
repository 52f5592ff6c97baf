using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Microsoft.ML.GatedLinear.Numerics;

/// <summary>Which operand of <see cref="MatrixProduct.Multiply"/> is read transposed.</summary>
internal enum ProductLayout
{
    /// <summary>Y = A·B, A [rows × inner], B [inner × columns].</summary>
    Plain,

    /// <summary>Y = Aᵀ·B, A stored [inner × rows], B [inner × columns].</summary>
    TransposeA,

    /// <summary>Y = A·Bᵀ, A [rows × inner], B stored [columns × inner].</summary>
    TransposeB,
}

/// <summary>
/// Y = A·B, Aᵀ·B or A·Bᵀ for dense row-major float matrices, without forming a transpose (a plain transpose writes each
/// element to a different cache line and cost a fifth of a GON training step). A·B and Aᵀ·B share a register-blocked
/// kernel: 4 rows × 16 columns of Y held in eight 256-bit accumulators while k runs over the inner dimension, A read
/// through strides so its transpose costs nothing, column tiles outermost so a tile of B stays in L1 while every row
/// block passes over it. A·Bᵀ reads rows of A and B alike, so it is 4 × 2 blocks of dot products. Row blocks are split
/// across cores for large products.
/// </summary>
/// <remarks>
/// For A·B and Aᵀ·B every entry is Σₖ a_ik·b_kj accumulated in order of k with fused multiply-adds; for A·Bᵀ it is eight
/// interleaved partial sums over k added in a fixed order. Either way a product is bit-identical on every run, whatever
/// the thread count.
/// </remarks>
internal static class MatrixProduct
{
    private const int BlockRows = 4;
    private const int TileColumns = 16;

    /// <summary>Multiply-adds below which a second core costs more to wake than it saves (about a million).</summary>
    internal const long ParallelWork = 1 << 20;

    /// <summary>Writes the product <paramref name="layout"/> names into <paramref name="y"/> [rows × columns].</summary>
    /// <remarks>
    /// Operands are array segments (a whole array converts implicitly), so a matrix can sit inside a larger parameter
    /// vector. A product of more than about a million multiply-adds is split across up to
    /// <paramref name="maxDegreeOfParallelism"/> cores (default: all); the result does not depend on the split.
    /// </remarks>
    public static void Multiply(ArraySegment<float> a, ArraySegment<float> b, ArraySegment<float> y, int rows, int inner, int columns, ProductLayout layout = ProductLayout.Plain, int maxDegreeOfParallelism = int.MaxValue)
    {
        if (inner == 0)
        {
            y.AsSpan(0, rows * columns).Clear();
            return;
        }

        int blocks = (rows + BlockRows - 1) / BlockRows;
        int parts = (long)rows * inner * columns > ParallelWork ? Math.Min(blocks, Math.Min(maxDegreeOfParallelism, Environment.ProcessorCount)) : 1;
        if (parts > 1)
        {
            // Contiguous ranges of row blocks: the parts never write the same row.
            Parallel.For(0, parts, part => MultiplyRows(a, b, y, (int)((long)blocks * part / parts) * BlockRows, Math.Min(rows, (int)((long)blocks * (part + 1) / parts) * BlockRows), rows, inner, columns, layout));
        }
        else
        {
            MultiplyRows(a, b, y, 0, rows, rows, inner, columns, layout);
        }
    }

    private static void MultiplyRows(ArraySegment<float> aSegment, ArraySegment<float> bSegment, ArraySegment<float> ySegment, int firstRow, int endRow, int rows, int inner, int columns, ProductLayout layout)
    {
        Span<float> a = aSegment, b = bSegment, y = ySegment;
        if (layout == ProductLayout.TransposeB)
        {
            DotRows(a, b, y, firstRow, endRow, inner, columns);
            return;
        }

        // A's entry (i, k) is a[i·rowStride + k·innerStride].
        (int rowStride, int innerStride) = layout == ProductLayout.TransposeA ? (1, rows) : (inner, 1);
        int j = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; j + TileColumns <= columns; j += TileColumns)
            {
                int i = firstRow;
                for (; i + BlockRows <= endRow; i += BlockRows)
                {
                    BlockTile(ref a[i * rowStride], rowStride, innerStride, ref b[j], ref y[i * columns + j], inner, columns);
                }

                for (; i < endRow; i++)
                {
                    RowTile(ref a[i * rowStride], innerStride, ref b[j], ref y[i * columns + j], inner, columns);
                }
            }
        }

        for (int i = firstRow; i < endRow; i++)
        {
            for (int c = j; c < columns; c++)
            {
                float sum = 0;
                for (int k = 0; k < inner; k++)
                {
                    sum = MathF.FusedMultiplyAdd(a[i * rowStride + k * innerStride], b[k * columns + c], sum);
                }

                y[i * columns + c] = sum;
            }
        }
    }

    /// <summary>Rows i…i+3 (A from <paramref name="a"/>), columns j…j+15 (B from <paramref name="b"/>) of Y at <paramref name="y"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void BlockTile(ref float a, int rowStride, int innerStride, ref float b, ref float y, int inner, int columns)
    {
        Vector256<float> y00 = default, y01 = default, y10 = default, y11 = default, y20 = default, y21 = default, y30 = default, y31 = default;
        for (int k = 0; k < inner; k++)
        {
            Vector256<float> b0 = Vector256.LoadUnsafe(ref b), b1 = Vector256.LoadUnsafe(ref b, 8);
            Vector256<float> s = Vector256.Create(a);
            y00 = Vector256.FusedMultiplyAdd(s, b0, y00);
            y01 = Vector256.FusedMultiplyAdd(s, b1, y01);
            s = Vector256.Create(Unsafe.Add(ref a, rowStride));
            y10 = Vector256.FusedMultiplyAdd(s, b0, y10);
            y11 = Vector256.FusedMultiplyAdd(s, b1, y11);
            s = Vector256.Create(Unsafe.Add(ref a, 2 * rowStride));
            y20 = Vector256.FusedMultiplyAdd(s, b0, y20);
            y21 = Vector256.FusedMultiplyAdd(s, b1, y21);
            s = Vector256.Create(Unsafe.Add(ref a, 3 * rowStride));
            y30 = Vector256.FusedMultiplyAdd(s, b0, y30);
            y31 = Vector256.FusedMultiplyAdd(s, b1, y31);
            a = ref Unsafe.Add(ref a, innerStride);
            b = ref Unsafe.Add(ref b, columns);
        }

        Store(y00, y01, ref y);
        Store(y10, y11, ref Unsafe.Add(ref y, columns));
        Store(y20, y21, ref Unsafe.Add(ref y, 2 * columns));
        Store(y30, y31, ref Unsafe.Add(ref y, 3 * columns));
    }

    /// <summary>One row, columns j…j+15 (the rows left over below a block of four).</summary>
    private static void RowTile(ref float a, int innerStride, ref float b, ref float y, int inner, int columns)
    {
        Vector256<float> y0 = default, y1 = default;
        for (int k = 0; k < inner; k++)
        {
            Vector256<float> s = Vector256.Create(a);
            y0 = Vector256.FusedMultiplyAdd(s, Vector256.LoadUnsafe(ref b), y0);
            y1 = Vector256.FusedMultiplyAdd(s, Vector256.LoadUnsafe(ref b, 8), y1);
            a = ref Unsafe.Add(ref a, innerStride);
            b = ref Unsafe.Add(ref b, columns);
        }

        Store(y0, y1, ref y);
    }

    private static void Store(Vector256<float> low, Vector256<float> high, ref float destination)
    {
        low.StoreUnsafe(ref destination);
        high.StoreUnsafe(ref destination, 8);
    }

    /// <summary>Y = A·Bᵀ for rows firstRow…endRow − 1: y_ij = a_i · b_j, four rows of A against two of B at a time.</summary>
    private static void DotRows(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y, int firstRow, int endRow, int inner, int columns)
    {
        int i = firstRow;
        for (; i + BlockRows <= endRow; i += BlockRows)
        {
            int j = 0;
            for (; j + 2 <= columns; j += 2)
            {
                Dots4x2(a.Slice(i * inner, BlockRows * inner), b.Slice(j * inner, 2 * inner), y.Slice(i * columns + j), inner, columns);
            }

            for (; j < columns; j++)
            {
                for (int r = 0; r < BlockRows; r++)
                {
                    y[(i + r) * columns + j] = Dot(a.Slice((i + r) * inner, inner), b.Slice(j * inner, inner));
                }
            }
        }

        for (; i < endRow; i++)
        {
            int j = 0;
            for (; j + 4 <= columns; j += 4)
            {
                Dots1x4(a.Slice(i * inner, inner), b.Slice(j * inner, 4 * inner), y.Slice(i * columns + j, 4), inner);
            }

            for (; j < columns; j++)
            {
                y[i * columns + j] = Dot(a.Slice(i * inner, inner), b.Slice(j * inner, inner));
            }
        }
    }

    /// <summary>
    /// One row of A against four of B, each entry with its own accumulator as in <see cref="Dot"/>: a row left over below
    /// a block of four (a single row's hyperplane projections, say) keeps four multiply-add chains in flight instead of one.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Dots1x4(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y, int inner)
    {
        ref float a0 = ref MemoryMarshal.GetReference(a);
        ref float b0 = ref MemoryMarshal.GetReference(b);
        ref float b1 = ref Unsafe.Add(ref b0, inner);
        ref float b2 = ref Unsafe.Add(ref b1, inner);
        ref float b3 = ref Unsafe.Add(ref b2, inner);
        Vector256<float> s0 = default, s1 = default, s2 = default, s3 = default;
        int k = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; k + Vector256<float>.Count <= inner; k += Vector256<float>.Count)
            {
                Vector256<float> u = Vector256.LoadUnsafe(ref a0, (nuint)k);
                s0 = Vector256.FusedMultiplyAdd(u, Vector256.LoadUnsafe(ref b0, (nuint)k), s0);
                s1 = Vector256.FusedMultiplyAdd(u, Vector256.LoadUnsafe(ref b1, (nuint)k), s1);
                s2 = Vector256.FusedMultiplyAdd(u, Vector256.LoadUnsafe(ref b2, (nuint)k), s2);
                s3 = Vector256.FusedMultiplyAdd(u, Vector256.LoadUnsafe(ref b3, (nuint)k), s3);
            }
        }

        y[0] = Finish(s0, a, b.Slice(0, inner), k);
        y[1] = Finish(s1, a, b.Slice(inner, inner), k);
        y[2] = Finish(s2, a, b.Slice(2 * inner, inner), k);
        y[3] = Finish(s3, a, b.Slice(3 * inner, inner), k);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Dots4x2(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y, int inner, int columns)
    {
        ref float a0 = ref MemoryMarshal.GetReference(a);
        ref float a1 = ref Unsafe.Add(ref a0, inner);
        ref float a2 = ref Unsafe.Add(ref a1, inner);
        ref float a3 = ref Unsafe.Add(ref a2, inner);
        ref float b0 = ref MemoryMarshal.GetReference(b);
        ref float b1 = ref Unsafe.Add(ref b0, inner);
        Vector256<float> s00 = default, s01 = default, s10 = default, s11 = default, s20 = default, s21 = default, s30 = default, s31 = default;
        int k = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; k + Vector256<float>.Count <= inner; k += Vector256<float>.Count)
            {
                Vector256<float> v0 = Vector256.LoadUnsafe(ref b0, (nuint)k), v1 = Vector256.LoadUnsafe(ref b1, (nuint)k);
                Vector256<float> u = Vector256.LoadUnsafe(ref a0, (nuint)k);
                s00 = Vector256.FusedMultiplyAdd(u, v0, s00);
                s01 = Vector256.FusedMultiplyAdd(u, v1, s01);
                u = Vector256.LoadUnsafe(ref a1, (nuint)k);
                s10 = Vector256.FusedMultiplyAdd(u, v0, s10);
                s11 = Vector256.FusedMultiplyAdd(u, v1, s11);
                u = Vector256.LoadUnsafe(ref a2, (nuint)k);
                s20 = Vector256.FusedMultiplyAdd(u, v0, s20);
                s21 = Vector256.FusedMultiplyAdd(u, v1, s21);
                u = Vector256.LoadUnsafe(ref a3, (nuint)k);
                s30 = Vector256.FusedMultiplyAdd(u, v0, s30);
                s31 = Vector256.FusedMultiplyAdd(u, v1, s31);
            }
        }

        y[0] = Finish(s00, a.Slice(0, inner), b.Slice(0, inner), k);
        y[1] = Finish(s01, a.Slice(0, inner), b.Slice(inner, inner), k);
        y[columns] = Finish(s10, a.Slice(inner, inner), b.Slice(0, inner), k);
        y[columns + 1] = Finish(s11, a.Slice(inner, inner), b.Slice(inner, inner), k);
        y[2 * columns] = Finish(s20, a.Slice(2 * inner, inner), b.Slice(0, inner), k);
        y[2 * columns + 1] = Finish(s21, a.Slice(2 * inner, inner), b.Slice(inner, inner), k);
        y[3 * columns] = Finish(s30, a.Slice(3 * inner, inner), b.Slice(0, inner), k);
        y[3 * columns + 1] = Finish(s31, a.Slice(3 * inner, inner), b.Slice(inner, inner), k);
    }

    /// <summary>a · b with the same partial sums as <see cref="Dots4x2"/>, so a row's entries do not depend on its block.</summary>
    private static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        Vector256<float> sum = default;
        int k = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; k + Vector256<float>.Count <= a.Length; k += Vector256<float>.Count)
            {
                sum = Vector256.FusedMultiplyAdd(Vector256.Create(a.Slice(k, Vector256<float>.Count)), Vector256.Create(b.Slice(k, Vector256<float>.Count)), sum);
            }
        }

        return Finish(sum, a, b, k);
    }

    /// <summary>The lanes of <paramref name="partial"/> summed, then a_k·b_k fused in for k from <paramref name="from"/> on.</summary>
    private static float Finish(Vector256<float> partial, ReadOnlySpan<float> a, ReadOnlySpan<float> b, int from)
    {
        float sum = Vector256.Sum(partial);
        for (int k = from; k < a.Length; k++)
        {
            sum = MathF.FusedMultiplyAdd(a[k], b[k], sum);
        }

        return sum;
    }
}
