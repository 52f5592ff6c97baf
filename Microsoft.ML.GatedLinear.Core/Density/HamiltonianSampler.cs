using Microsoft.ML.GatedLinear.Numerics;

namespace Microsoft.ML.GatedLinear.Density;

/// <summary>Writes ∇ log p(x) at x.</summary>
public delegate void ScoreFunction(ReadOnlySpan<double> point, Span<double> score);

/// <summary>
/// Hamiltonian Monte Carlo driven by a score function alone: unit-mass momenta, leapfrog integration of
/// H(x, p) = −log p(x) + ½‖p‖². A learned score has no log density to compute an acceptance ratio with, so
/// every trajectory is accepted (unadjusted HMC); small steps keep the discretization bias small.
/// </summary>
public sealed class HamiltonianSampler(ScoreFunction score, double stepSize, int leapfrogSteps, int seed)
{
    private readonly SeededRandom _random = new(seed);

    /// <summary>Runs <paramref name="count"/> trajectories from <paramref name="start"/> and returns each endpoint (row-major [count × D]).</summary>
    public double[] Sample(ReadOnlySpan<double> start, int count)
    {
        if (!(stepSize > 0) || leapfrogSteps < 1)
        {
            throw new InvalidOperationException("The step size must be positive and there must be at least one leapfrog step.");
        }

        int d = start.Length;
        var x = start.ToArray();
        var p = new double[d];
        var g = new double[d];
        var samples = new double[count * d];
        for (int n = 0; n < count; n++)
        {
            for (int j = 0; j < d; j++)
            {
                p[j] = _random.NextGaussian();
            }

            score(x, g);
            for (int step = 0; step < leapfrogSteps; step++)
            {
                for (int j = 0; j < d; j++)
                {
                    p[j] += 0.5 * stepSize * g[j];
                    x[j] += stepSize * p[j];
                }

                score(x, g);
                for (int j = 0; j < d; j++)
                {
                    p[j] += 0.5 * stepSize * g[j];
                }
            }

            x.CopyTo(samples, n * d);
        }

        return samples;
    }
}
