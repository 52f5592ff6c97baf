using Microsoft.ML.GatedLinear.Gaussian;
using Microsoft.ML.GatedLinear.Numerics;

namespace Microsoft.ML.GatedLinear.Density;

/// <summary>
/// A density model learned by denoising: a multivariate G-GLN is trained online to map x̃ = x + ε,
/// ε ~ N(0, λI), back to x. Its mean μ(x̃) estimates E[x | x̃], so by Tweedie's formula the score of the
/// λ-smoothed data density is ∇ log p(x̃) ≈ (μ(x̃) − x̃) / λ. Iterating x ← μ(x) pulls points onto the data,
/// and the score drives a Hamiltonian sampler.
/// </summary>
public sealed class DenoisingDensityModel
{
    private readonly GaussianGlnRegressor _network;
    private readonly SeededRandom _random;
    private readonly float[] _noisy;
    private readonly double[] _variance;

    /// <summary>Creates an untrained model.</summary>
    /// <param name="dimension">Dimension D of the data.</param>
    /// <param name="noiseVariance">λ, the variance of the training noise per dimension.</param>
    /// <param name="network">The G-GLN hyperparameters (features and target both D-dimensional); default <see cref="GaussianGlnOptions"/>.</param>
    /// <param name="seed">Seed of the training noise.</param>
    public DenoisingDensityModel(int dimension, double noiseVariance, GaussianGlnOptions? network = null, int seed = 1)
    {
        if (!(noiseVariance > 0) || double.IsInfinity(noiseVariance))
        {
            throw new ArgumentOutOfRangeException(nameof(noiseVariance), noiseVariance, "The noise variance λ must be positive and finite.");
        }

        NoiseVariance = noiseVariance;
        _network = GaussianGlnRegressor.Create(dimension, dimension, network);
        _random = new SeededRandom(seed);
        _noisy = new float[dimension];
        _variance = new double[dimension];
    }

    /// <summary>Dimension D of the data.</summary>
    public int Dimension => _network.FeatureCount;

    /// <summary>λ, the training noise variance.</summary>
    public double NoiseVariance { get; }

    /// <summary>The denoising network.</summary>
    public GaussianGlnRegressor Network => _network;

    /// <summary>Learns from one data point: corrupts it with fresh noise and learns to undo the corruption.</summary>
    public void Learn(ReadOnlySpan<float> x)
    {
        Data.InputValidation.ValidateRow(x, Dimension);
        double sd = Math.Sqrt(NoiseVariance);
        for (int j = 0; j < x.Length; j++)
        {
            _noisy[j] = (float)(x[j] + sd * _random.NextGaussian());
        }

        _network.Learn(_noisy, x);
    }

    /// <summary>μ(x̃), the model's estimate of the clean point behind <paramref name="noisy"/>.</summary>
    public void Denoise(ReadOnlySpan<float> noisy, Span<double> clean) => _network.Predict(noisy, clean, _variance.AsSpan());

    /// <summary>The score estimate (μ(x̃) − x̃) / λ at <paramref name="point"/>.</summary>
    public void Score(ReadOnlySpan<double> point, Span<double> score)
    {
        Span<float> x = stackalloc float[Dimension];
        for (int j = 0; j < x.Length; j++)
        {
            x[j] = (float)point[j];
        }

        Denoise(x, score);
        for (int j = 0; j < score.Length; j++)
        {
            score[j] = (score[j] - point[j]) / NoiseVariance;
        }
    }

    /// <summary>Applies x ← μ(x) <paramref name="steps"/> times, starting from <paramref name="point"/> (updated in place).</summary>
    public void DenoiseRepeatedly(Span<double> point, int steps)
    {
        Span<float> x = stackalloc float[Dimension];
        for (int s = 0; s < steps; s++)
        {
            for (int j = 0; j < x.Length; j++)
            {
                x[j] = (float)point[j];
            }

            Denoise(x, point);
        }
    }
}
