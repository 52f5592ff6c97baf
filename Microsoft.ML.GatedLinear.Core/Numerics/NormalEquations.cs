using System.Numerics.Tensors;

namespace Microsoft.ML.GatedLinear.Numerics;

/// <summary>
/// Streaming least squares in double precision: accumulates ΦᵀΦ, ΦᵀY and Σ‖y‖² over rows, then solves the ridge
/// problem (ΦᵀΦ + λI)W = ΦᵀY by Cholesky. Memory is O(p²) whatever the number of rows. Rows are buffered and
/// added a batch at a time, so each entry of ΦᵀΦ is a dot product over the batch: the p × p matrix is read once
/// per batch instead of once per row.
/// </summary>
internal sealed class NormalEquations
{
    private const int BatchRows = 256;
    private readonly double[] _gram;     // ΦᵀΦ, upper triangle used, [p × p]
    private readonly double[] _cross;    // ΦᵀY, [p × outputs]
    private readonly double[] _targetSquares;
    private readonly double[] _batch;    // Φᵀ of buffered rows, [p × BatchRows]
    private readonly double[] _batchTargets; // [outputs × BatchRows]
    private int _buffered;

    /// <summary>Equations for <paramref name="features"/> unknowns per output and <paramref name="outputs"/> outputs.</summary>
    public NormalEquations(int features, int outputs)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(features);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outputs);
        if ((long)features * features > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(features), features, "Too many features for a dense Gram matrix.");
        }

        Features = features;
        Outputs = outputs;
        _gram = new double[features * features];
        _cross = new double[features * outputs];
        _targetSquares = new double[outputs];
        _batch = new double[features * BatchRows];
        _batchTargets = new double[outputs * BatchRows];
    }

    /// <summary>p, unknowns per output.</summary>
    public int Features { get; }

    /// <summary>Number of outputs (columns of Y).</summary>
    public int Outputs { get; }

    /// <summary>Rows added so far.</summary>
    public long Rows { get; private set; }

    /// <summary>Adds one row φ with targets y.</summary>
    public void Add(ReadOnlySpan<float> phi, ReadOnlySpan<float> y)
    {
        for (int i = 0; i < Features; i++)
        {
            _batch[i * BatchRows + _buffered] = phi[i];
        }

        for (int o = 0; o < Outputs; o++)
        {
            _batchTargets[o * BatchRows + _buffered] = y[o];
            _targetSquares[o] += (double)y[o] * y[o];
        }

        Rows++;
        if (++_buffered == BatchRows)
        {
            Flush();
        }
    }

    /// <summary>Folds buffered rows into ΦᵀΦ and ΦᵀY (called by <see cref="Solve"/>; safe to call any time).</summary>
    public void Flush()
    {
        int n = _buffered;
        if (n == 0)
        {
            return;
        }

        int p = Features;
        Parallel.For(0, p, i =>
        {
            ReadOnlySpan<double> row = _batch.AsSpan(i * BatchRows, n);
            for (int j = i; j < p; j++)
            {
                _gram[i * p + j] += TensorPrimitives.Dot(row, _batch.AsSpan(j * BatchRows, n));
            }

            for (int o = 0; o < Outputs; o++)
            {
                _cross[i * Outputs + o] += TensorPrimitives.Dot(row, _batchTargets.AsSpan(o * BatchRows, n));
            }
        });
        _buffered = 0;
    }

    /// <summary>Solves (ΦᵀΦ + λI)W = ΦᵀY.</summary>
    /// <param name="ridge">λ ≥ 0. When the factorization fails (ΦᵀΦ singular or ill-conditioned), λ is raised
    /// (to 1e-10·trace/p, then ×10) until it succeeds; the λ used is reported.</param>
    public LeastSquaresSolution Solve(double ridge)
    {
        if (!(ridge >= 0) || double.IsInfinity(ridge))
        {
            throw new ArgumentOutOfRangeException(nameof(ridge), ridge, "The ridge λ must be finite and non-negative.");
        }

        if (Rows == 0)
        {
            throw new InvalidOperationException("No rows were added: there is nothing to solve.");
        }

        Flush();
        int p = Features;
        var factor = new double[p * p];
        double lambda = Cholesky.Factor(p, Gram, ridge, factor);

        var weights = new double[p * Outputs];
        var column = new double[p];
        for (int o = 0; o < Outputs; o++)
        {
            for (int i = 0; i < p; i++)
            {
                column[i] = _cross[i * Outputs + o];
            }

            Cholesky.Solve(factor, p, column);
            for (int i = 0; i < p; i++)
            {
                weights[i * Outputs + o] = column[i];
            }
        }

        return new LeastSquaresSolution(weights, p, Outputs, lambda, TrainingLoss(weights));
    }

    /// <summary>Mean over rows and outputs of the squared residual of <paramref name="weights"/>, from the accumulated (flushed) statistics.</summary>
    private double TrainingLoss(double[] weights)
    {
        // ‖y − Φw‖² = ‖y‖² − 2wᵀΦᵀy + wᵀΦᵀΦw, per output.
        int p = Features;
        double total = 0;
        for (int o = 0; o < Outputs; o++)
        {
            double cross = 0, quadratic = 0;
            for (int i = 0; i < p; i++)
            {
                double s = 0;
                for (int j = 0; j < p; j++)
                {
                    s += Gram(i, j) * weights[j * Outputs + o];
                }

                cross += weights[i * Outputs + o] * _cross[i * Outputs + o];
                quadratic += weights[i * Outputs + o] * s;
            }

            total += Math.Max(_targetSquares[o] - 2 * cross + quadratic, 0);
        }

        return total / (Rows * Outputs);
    }

    /// <summary>Rank of Φ (= rank of ΦᵀΦ): the count of pivots of a pivoted Cholesky above a relative tolerance. O(p³).</summary>
    public int Rank()
    {
        Flush();
        int p = Features;
        var a = new double[p * p];
        for (int i = 0; i < p; i++)
        {
            for (int j = 0; j < p; j++)
            {
                a[i * p + j] = Gram(i, j);
            }
        }

        double largest = 0;
        for (int i = 0; i < p; i++)
        {
            largest = Math.Max(largest, a[i * p + i]);
        }

        double tolerance = largest * p * 1e-12;
        var order = Enumerable.Range(0, p).ToArray();
        int rank = 0;
        for (int k = 0; k < p; k++)
        {
            int pivot = k;
            for (int i = k + 1; i < p; i++)
            {
                if (a[order[i] * p + order[i]] > a[order[pivot] * p + order[pivot]])
                {
                    pivot = i;
                }
            }

            (order[k], order[pivot]) = (order[pivot], order[k]);
            int q = order[k];
            double d = a[q * p + q];
            if (d <= tolerance)
            {
                break;
            }

            rank++;
            double root = Math.Sqrt(d);
            for (int i = k + 1; i < p; i++)
            {
                a[order[i] * p + q] /= root;
            }

            for (int i = k + 1; i < p; i++)
            {
                int r = order[i];
                double lir = a[r * p + q];
                for (int j = k + 1; j <= i; j++)
                {
                    int c = order[j];
                    double updated = a[r * p + c] - lir * a[c * p + q];
                    a[r * p + c] = updated;
                    a[c * p + r] = updated;
                }
            }
        }

        return rank;
    }

    /// <summary>Copies the full symmetric ΦᵀΦ into <paramref name="destination"/> ([p × p]).</summary>
    internal void CopyGram(Span<double> destination)
    {
        Flush();
        for (int i = 0; i < Features; i++)
        {
            for (int j = 0; j < Features; j++)
            {
                destination[i * Features + j] = Gram(i, j);
            }
        }
    }

    /// <summary>Copies ΦᵀY into <paramref name="destination"/> ([p × outputs]).</summary>
    internal void CopyCross(Span<double> destination)
    {
        Flush();
        _cross.CopyTo(destination);
    }

    private double Gram(int i, int j) => i <= j ? _gram[i * Features + j] : _gram[j * Features + i];
}
