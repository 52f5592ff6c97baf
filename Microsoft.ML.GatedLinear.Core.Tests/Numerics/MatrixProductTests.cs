using Microsoft.ML.GatedLinear.Numerics;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.GatedLinear.Tests.Numerics;

[TestClass]
public class MatrixProductTests
{
    private static float[] Random(int count, int seed)
    {
        var random = new SeededRandom(seed);
        return Enumerable.Range(0, count).Select(_ => (float)random.NextGaussian()).ToArray();
    }

    /// <summary>Σₖ a_ik·b_kj fused in order of k: the sum the kernel promises, entry by entry.</summary>
    private static float[] Reference(float[] a, float[] b, int rows, int inner, int columns)
    {
        var y = new float[rows * columns];
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < columns; j++)
            {
                float sum = 0;
                for (int k = 0; k < inner; k++)
                {
                    sum = MathF.FusedMultiplyAdd(a[i * inner + k], b[k * columns + j], sum);
                }

                y[i * columns + j] = sum;
            }
        }

        return y;
    }

    [TestMethod]
    [DataRow(1, 1, 1)]
    [DataRow(3, 5, 15)]
    [DataRow(4, 7, 16)]
    [DataRow(5, 9, 17)]
    [DataRow(9, 32, 40)]
    [DataRow(64, 33, 256)]
    [DataRow(7, 0, 20)]
    public void EveryEntryIsTheFusedSumInOrderOfK(int rows, int inner, int columns)
    {
        float[] a = Random(rows * inner, 1), b = Random(inner * columns, 2);
        float[] y = Enumerable.Repeat(float.NaN, rows * columns).ToArray();
        MatrixProduct.Multiply(a, b, y, rows, inner, columns);
        CollectionAssert.AreEqual(Reference(a, b, rows, inner, columns), y, "bit for bit, tails and blocks alike (NaN where an entry was not written)");
    }

    [TestMethod]
    public void ALargeProductSplitAcrossCoresEqualsTheReference()
    {
        // 130 × 100 × 200 = 2.6 M multiply-adds: above the threshold where rows are spread over the cores.
        const int rows = 130, inner = 100, columns = 200;
        float[] a = Random(rows * inner, 3), b = Random(inner * columns, 4), y = new float[rows * columns];
        MatrixProduct.Multiply(a, b, y, rows, inner, columns);
        CollectionAssert.AreEqual(Reference(a, b, rows, inner, columns), y);
    }

    [TestMethod]
    [DataRow(3, 5, 15)]
    [DataRow(5, 9, 17)]
    [DataRow(64, 33, 256)]
    public void TheTransposedAProductIsThePlainProductOfTheTranspose(int rows, int inner, int columns)
    {
        float[] stored = Random(inner * rows, 6), b = Random(inner * columns, 7), y = new float[rows * columns];
        MatrixProduct.Multiply(stored, b, y, rows, inner, columns, ProductLayout.TransposeA);
        CollectionAssert.AreEqual(Reference(Transposed(stored, inner, rows), b, rows, inner, columns), y, "bit for bit: the same sums in the same order");
    }

    [TestMethod]
    [DataRow(1, 1, 1)]
    [DataRow(3, 5, 15)]
    [DataRow(5, 9, 17)]
    [DataRow(9, 40, 3)]
    [DataRow(64, 256, 33)]
    public void TheTransposedBProductAgreesWithTheReferenceAndDoesNotDependOnItsBlock(int rows, int inner, int columns)
    {
        float[] a = Random(rows * inner, 8), stored = Random(columns * inner, 9), y = new float[rows * columns];
        MatrixProduct.Multiply(a, stored, y, rows, inner, columns, ProductLayout.TransposeB);
        float[] reference = Reference(a, Transposed(stored, columns, inner), rows, inner, columns);
        for (int e = 0; e < y.Length; e++)
        {
            Assert.AreEqual(reference[e], y[e], 1e-5 * Math.Sqrt(inner), $"entry {e}: partial sums in another order, within rounding");
        }

        // The last row computed alone (outside any block of four) gets the same bits as within the product.
        var last = new float[columns];
        MatrixProduct.Multiply(a[((rows - 1) * inner)..], stored, last, 1, inner, columns, ProductLayout.TransposeB);
        CollectionAssert.AreEqual(y[((rows - 1) * columns)..], last);
    }

    private static float[] Transposed(float[] m, int rows, int columns)
    {
        var t = new float[m.Length];
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < columns; j++)
            {
                t[j * rows + i] = m[i * columns + j];
            }
        }

        return t;
    }
}
