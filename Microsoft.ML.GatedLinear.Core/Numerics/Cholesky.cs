using System.Numerics.Tensors;

namespace Microsoft.ML.GatedLinear.Numerics;

/// <summary>
/// Cholesky factorization of a symmetric positive semi-definite matrix read through an accessor (so a caller keeping
/// only a triangle, or a matrix corrected on the fly, needs no dense copy), with a ridge raised until it succeeds.
/// </summary>
internal static class Cholesky
{
    /// <summary>
    /// Factors A + λI = LLᵀ into <paramref name="factor"/> ([p × p], lower triangle), starting from λ =
    /// <paramref name="ridge"/>: when a pivot is not safely positive (A singular or ill-conditioned), λ is raised to
    /// 1e-10·trace/p, then ×10, until every pivot is. Returns the λ used.
    /// </summary>
    public static double Factor(int p, Func<int, int, double> a, double ridge, double[] factor)
    {
        double trace = 0;
        for (int i = 0; i < p; i++)
        {
            trace += a(i, i);
        }

        double lambda = ridge;
        while (!TryFactor(p, a, lambda, factor))
        {
            lambda = lambda == 0 || lambda < 1e-10 * trace / p ? Math.Max(1e-10 * trace / p, 1e-12) : lambda * 10;
        }

        return lambda;
    }

    /// <summary>Solves LLᵀx = b in place, given the factor from <see cref="Factor"/>.</summary>
    public static void Solve(ReadOnlySpan<double> factor, int p, Span<double> b)
    {
        for (int i = 0; i < p; i++)
        {
            b[i] = (b[i] - TensorPrimitives.Dot(factor.Slice(i * p, i), b[..i])) / factor[i * p + i];
        }

        for (int i = p - 1; i >= 0; i--)
        {
            double s = b[i];
            for (int k = i + 1; k < p; k++)
            {
                s -= factor[k * p + i] * b[k];
            }

            b[i] = s / factor[i * p + i];
        }
    }

    private static bool TryFactor(int p, Func<int, int, double> a, double lambda, double[] l)
    {
        Array.Clear(l);
        for (int j = 0; j < p; j++)
        {
            ReadOnlySpan<double> lj = l.AsSpan(j * p, j);
            double diagonal = a(j, j) + lambda;
            double d = diagonal - TensorPrimitives.Dot(lj, lj);
            if (!(d > 1e-12 * diagonal) || !double.IsFinite(d))
            {
                return false;
            }

            double root = Math.Sqrt(d);
            l[j * p + j] = root;
            int column = j;
            Parallel.For(j + 1, p, i =>
            {
                ReadOnlySpan<double> pivotRow = l.AsSpan(column * p, column);
                l[i * p + column] = (a(column, i) - TensorPrimitives.Dot(l.AsSpan(i * p, column), pivotRow)) / root;
            });
        }

        return true;
    }
}
