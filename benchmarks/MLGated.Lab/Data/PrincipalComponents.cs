using System.Numerics.Tensors;
using Microsoft.ML.GatedLinear.Data;
using Microsoft.ML.GatedLinear.Numerics;

namespace MLGated.Lab;

/// <summary>
/// Principal component projection x ↦ Qᵀ(x − μ) onto the top-r eigenspace of the covariance, found by subspace
/// iteration (Q ← orthonormalize(C·Q)) from a seeded random start. The basis spans the leading subspace; it is
/// not sorted into individual eigenvectors, which a projection used as model input does not need.
/// </summary>
public sealed class PrincipalComponents
{
    private readonly double[] _mean;
    private readonly float[] _basis; // [components × dimension]

    private PrincipalComponents(double[] mean, float[] basis, int components)
    {
        _mean = mean;
        _basis = basis;
        Components = components;
    }

    /// <summary>Input dimension.</summary>
    public int Dimension => _mean.Length;

    /// <summary>Output dimension r.</summary>
    public int Components { get; }

    /// <summary>Fits on row-major data [n × dimension].</summary>
    public static PrincipalComponents Fit(ReadOnlySpan<float> rows, int dimension, int components, int iterations = 60, int seed = 1)
    {
        int n = rows.Length / dimension;
        InputValidation.ValidateNotEmpty(n);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(components, dimension);
        var mean = new double[dimension];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < dimension; j++)
            {
                mean[j] += rows[i * dimension + j];
            }
        }

        for (int j = 0; j < dimension; j++)
        {
            mean[j] /= n;
        }

        var scatter = new NormalEquations(dimension, 1);
        var centred = new float[dimension];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < dimension; j++)
            {
                centred[j] = (float)(rows[i * dimension + j] - mean[j]);
            }

            scatter.Add(centred, [0f]);
        }

        var covariance = new double[dimension * dimension];
        scatter.CopyGram(covariance);
        var random = new SeededRandom(seed);
        var q = new double[components * dimension];
        for (int i = 0; i < q.Length; i++)
        {
            q[i] = random.NextGaussian();
        }

        Orthonormalize(q, components, dimension);
        var next = new double[q.Length];
        for (int iteration = 0; iteration < iterations; iteration++)
        {
            int c = components;
            Parallel.For(0, c, k =>
            {
                ReadOnlySpan<double> v = q.AsSpan(k * dimension, dimension);
                for (int i = 0; i < dimension; i++)
                {
                    next[k * dimension + i] = TensorPrimitives.Dot(covariance.AsSpan(i * dimension, dimension), v);
                }
            });
            (q, next) = (next, q);
            Orthonormalize(q, components, dimension);
        }

        return new PrincipalComponents(mean, Array.ConvertAll(q, v => (float)v), components);
    }

    /// <summary>Writes Qᵀ(x − μ).</summary>
    public void Project(ReadOnlySpan<float> x, Span<float> projected)
    {
        Span<float> centred = stackalloc float[Dimension];
        for (int j = 0; j < Dimension; j++)
        {
            centred[j] = (float)(x[j] - _mean[j]);
        }

        for (int k = 0; k < Components; k++)
        {
            projected[k] = TensorPrimitives.Dot(_basis.AsSpan(k * Dimension, Dimension), centred);
        }
    }

    // Modified Gram–Schmidt on the rows of q.
    private static void Orthonormalize(double[] q, int rows, int dimension)
    {
        for (int k = 0; k < rows; k++)
        {
            Span<double> v = q.AsSpan(k * dimension, dimension);
            for (int j = 0; j < k; j++)
            {
                ReadOnlySpan<double> u = q.AsSpan(j * dimension, dimension);
                TensorPrimitives.MultiplyAdd(u, -TensorPrimitives.Dot(u, v), v, v);
            }

            TensorPrimitives.Divide(v, TensorPrimitives.Norm<double>(v), v);
        }
    }
}
