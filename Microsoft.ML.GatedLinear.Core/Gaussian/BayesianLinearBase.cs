namespace Microsoft.ML.GatedLinear.Gaussian;

/// <summary>
/// The Bayesian-linear-regression base model of one feature: an online least-squares fit of each target
/// dimension on that single raw feature, y ≈ a + b·x, from running centred moments. Its predictive
/// distribution is N(a + b·x, s²·(1 + 1/n + (x − x̄)²/Sxx)), the posterior predictive of a flat-prior
/// Bayesian linear regression with the noise variance s² estimated from the residuals.
/// Raw units are used throughout, so the fit does not drift while the standardizers learn.
/// </summary>
internal sealed class BayesianLinearBase
{
    private readonly double[] _meanY;
    private readonly double[] _crossXY;
    private readonly double[] _scatterY;

    public BayesianLinearBase(int dimension)
    {
        _meanY = new double[dimension];
        _crossXY = new double[dimension];
        _scatterY = new double[dimension];
    }

    public long Count { get; private set; }

    public double MeanX { get; private set; }

    public double ScatterX { get; private set; }

    /// <summary>Takes <paramref name="other"/>'s moments (a copy of this base model).</summary>
    public void CopyFrom(BayesianLinearBase other)
    {
        (Count, MeanX, ScatterX) = (other.Count, other.MeanX, other.ScatterX);
        other._meanY.CopyTo(_meanY, 0);
        other._crossXY.CopyTo(_crossXY, 0);
        other._scatterY.CopyTo(_scatterY, 0);
    }

    /// <summary>Adds one (x, y) pair (Welford's update of the centred moments).</summary>
    public void Observe(double x, ReadOnlySpan<float> y)
    {
        Count++;
        double dx = x - MeanX;
        MeanX += dx / Count;
        ScatterX += dx * (x - MeanX);
        for (int d = 0; d < _meanY.Length; d++)
        {
            double dy = y[d] - _meanY[d];
            _meanY[d] += dy / Count;
            _crossXY[d] += dx * (y[d] - _meanY[d]);
            _scatterY[d] += dy * (y[d] - _meanY[d]);
        }
    }

    /// <summary>The predictive mean and variance of dimension <paramref name="d"/> at <paramref name="x"/>, in raw target units; null before two observations.</summary>
    public (double Mean, double Variance)? Predict(double x, int d)
    {
        if (Count < 2)
        {
            return null;
        }

        double slope = ScatterX > 0 ? _crossXY[d] / ScatterX : 0;
        double residual = Math.Max(_scatterY[d] - slope * _crossXY[d], 0) / Math.Max(Count - 2, 1);
        double leverage = 1.0 / Count + (ScatterX > 0 ? (x - MeanX) * (x - MeanX) / ScatterX : 0);
        return (_meanY[d] + slope * (x - MeanX), residual * (1 + leverage));
    }

    /// <summary>The state, for persistence: count, x̄, Sxx, then ȳ, Sxy, Syy per dimension.</summary>
    public IEnumerable<double> State()
    {
        yield return Count;
        yield return MeanX;
        yield return ScatterX;
        for (int d = 0; d < _meanY.Length; d++)
        {
            yield return _meanY[d];
            yield return _crossXY[d];
            yield return _scatterY[d];
        }
    }

    public static int StateLength(int dimension) => 3 + 3 * dimension;

    public static BayesianLinearBase Restore(ReadOnlySpan<double> state, int dimension)
    {
        var b = new BayesianLinearBase(dimension) { Count = (long)state[0], MeanX = state[1], ScatterX = state[2] };
        for (int d = 0; d < dimension; d++)
        {
            b._meanY[d] = state[3 + 3 * d];
            b._crossXY[d] = state[4 + 3 * d];
            b._scatterY[d] = state[5 + 3 * d];
        }

        return b;
    }
}
