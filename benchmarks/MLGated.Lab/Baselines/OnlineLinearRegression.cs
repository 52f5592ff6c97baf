using Microsoft.ML.GatedLinear.Numerics;

namespace MLGated.Lab;

/// <summary>
/// Bayesian linear regression of a reward on [context, 1], updated one observation at a time: the posterior
/// covariance Σ = (λI + XᵀX)⁻¹ by Sherman–Morrison, the mean μ = Σ Xᵀy, and a Normal-inverse-gamma noise
/// posterior (a, b) as in Riquelme et al. (2018). The point estimate serves ε-greedy; the posterior, Thompson sampling.
/// </summary>
public sealed class OnlineLinearRegression
{
    private readonly int _d;
    private readonly double[] _covariance; // Σ, row-major [d × d]
    private readonly double[] _xty;
    private readonly double[] _mean;
    private readonly double[] _phi;
    private readonly double[] _sigmaPhi;
    private double _yy, _a, _b;
    private readonly double _a0, _b0;

    /// <summary>Creates the regression with prior precision λ on the weights and an IG(a0, b0) prior on the noise variance.</summary>
    public OnlineLinearRegression(int contextDimension, double priorPrecision = 0.25, double a0 = 6, double b0 = 6)
    {
        _d = contextDimension + 1;
        _covariance = new double[_d * _d];
        for (int i = 0; i < _d; i++)
        {
            _covariance[i * _d + i] = 1 / priorPrecision;
        }

        _xty = new double[_d];
        _mean = new double[_d];
        _phi = new double[_d];
        _sigmaPhi = new double[_d];
        _a0 = _a = a0;
        _b0 = _b = b0;
    }

    /// <summary>The posterior-mean prediction for <paramref name="context"/>.</summary>
    public double Predict(ReadOnlySpan<float> context)
    {
        Features(context);
        double y = 0;
        for (int i = 0; i < _d; i++)
        {
            y += _mean[i] * _phi[i];
        }

        return y;
    }

    /// <summary>Adds one observation.</summary>
    public void Update(ReadOnlySpan<float> context, double reward)
    {
        Features(context);
        // Σ ← Σ − (Σφ)(Σφ)ᵀ / (1 + φᵀΣφ)
        double denominator = 1;
        for (int i = 0; i < _d; i++)
        {
            double s = 0;
            for (int j = 0; j < _d; j++)
            {
                s += _covariance[i * _d + j] * _phi[j];
            }

            _sigmaPhi[i] = s;
            denominator += _phi[i] * s;
        }

        for (int i = 0; i < _d; i++)
        {
            for (int j = 0; j < _d; j++)
            {
                _covariance[i * _d + j] -= _sigmaPhi[i] * _sigmaPhi[j] / denominator;
            }
        }

        for (int i = 0; i < _d; i++)
        {
            _xty[i] += _phi[i] * reward;
        }

        double meanPrecisionMean = 0;
        for (int i = 0; i < _d; i++)
        {
            double s = 0;
            for (int j = 0; j < _d; j++)
            {
                s += _covariance[i * _d + j] * _xty[j];
            }

            _mean[i] = s;
            meanPrecisionMean += s * _xty[i];
        }

        _yy += reward * reward;
        Count++;
        _a = _a0 + Count / 2.0;
        _b = _b0 + 0.5 * Math.Max(_yy - meanPrecisionMean, 0);
    }

    /// <summary>Observations so far.</summary>
    public long Count { get; private set; }

    /// <summary>A prediction under weights drawn from the posterior: σ² ~ IG(a, b), β ~ N(μ, σ²Σ).</summary>
    internal double SamplePrediction(ReadOnlySpan<float> context, SeededRandom random, double[] cholesky, double[] draw)
    {
        Features(context);
        double variance = _b / Gamma(_a, random);
        CholeskyFactor(cholesky);
        double y = 0;
        for (int i = 0; i < _d; i++)
        {
            draw[i] = random.NextGaussian();
        }

        for (int i = 0; i < _d; i++)
        {
            double beta = _mean[i];
            for (int j = 0; j <= i; j++)
            {
                beta += Math.Sqrt(variance) * cholesky[i * _d + j] * draw[j];
            }

            y += beta * _phi[i];
        }

        return y;
    }

    /// <summary>Length of the weight vector (context + intercept): the size the sampling buffers need per side.</summary>
    public int WeightCount => _d;

    private void Features(ReadOnlySpan<float> context)
    {
        for (int i = 0; i < context.Length; i++)
        {
            _phi[i] = context[i];
        }

        _phi[_d - 1] = 1;
    }

    // Lower-triangular L with LLᵀ = Σ (Σ is symmetric positive definite; a tiny jitter guards rounding).
    private void CholeskyFactor(double[] l)
    {
        Array.Clear(l);
        for (int i = 0; i < _d; i++)
        {
            for (int j = 0; j <= i; j++)
            {
                double sum = _covariance[i * _d + j];
                for (int k = 0; k < j; k++)
                {
                    sum -= l[i * _d + k] * l[j * _d + k];
                }

                l[i * _d + j] = i == j ? Math.Sqrt(Math.Max(sum, 1e-12)) : sum / l[j * _d + j];
            }
        }
    }

    // Gamma(shape, 1) by Marsaglia and Tsang (shape ≥ 1 here, as a ≥ a0 = 6).
    private static double Gamma(double shape, SeededRandom random)
    {
        double d = shape - 1.0 / 3, c = 1 / Math.Sqrt(9 * d);
        while (true)
        {
            double x = random.NextGaussian(), v = 1 + c * x;
            if (v <= 0)
            {
                continue;
            }

            v = v * v * v;
            double u = random.NextDouble();
            if (Math.Log(Math.Max(u, 1e-300)) < 0.5 * x * x + d - d * v + d * Math.Log(v))
            {
                return d * v;
            }
        }
    }
}
