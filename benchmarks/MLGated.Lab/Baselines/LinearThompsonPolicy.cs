using Microsoft.ML.GatedLinear.Bandits;
using Microsoft.ML.GatedLinear.Numerics;

namespace MLGated.Lab;

/// <summary>
/// Thompson sampling with a per-arm Bayesian linear regression (Normal-inverse-gamma posterior): each round
/// every arm's weights are drawn from its posterior and the arm with the best sampled reward is pulled. The
/// strongest simple baseline of Riquelme et al. (2018).
/// </summary>
public sealed class LinearThompsonPolicy : IContextualBanditPolicy
{
    private readonly OnlineLinearRegression[] _arms;
    private readonly SeededRandom _random;
    private readonly double[] _cholesky;
    private readonly double[] _draw;

    /// <summary>Creates the policy.</summary>
    public LinearThompsonPolicy(int armCount, int contextDimension, int seed)
    {
        _arms = Enumerable.Range(0, armCount).Select(_ => new OnlineLinearRegression(contextDimension)).ToArray();
        _random = new SeededRandom(seed);
        int d = _arms[0].WeightCount;
        _cholesky = new double[d * d];
        _draw = new double[d];
    }

    /// <inheritdoc/>
    public int ArmCount => _arms.Length;

    /// <inheritdoc/>
    public int ChooseArm(ReadOnlySpan<float> context)
    {
        int best = 0;
        double bestValue = double.NegativeInfinity;
        for (int a = 0; a < _arms.Length; a++)
        {
            double value = _arms[a].SamplePrediction(context, _random, _cholesky, _draw);
            if (value > bestValue)
            {
                (best, bestValue) = (a, value);
            }
        }

        return best;
    }

    /// <inheritdoc/>
    public void Update(ReadOnlySpan<float> context, int arm, float reward) => _arms[arm].Update(context, reward);
}
