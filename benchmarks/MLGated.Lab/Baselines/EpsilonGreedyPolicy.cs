using Microsoft.ML.GatedLinear.Bandits;
using Microsoft.ML.GatedLinear.Numerics;

namespace MLGated.Lab;

/// <summary>ε-greedy with a per-arm online linear regression: a random arm with probability ε, else the best predicted.</summary>
public sealed class EpsilonGreedyPolicy : IContextualBanditPolicy
{
    private readonly OnlineLinearRegression[] _arms;
    private readonly SeededRandom _random;
    private readonly double _epsilon;

    /// <summary>Creates the policy with exploration rate ε (default 0.05).</summary>
    public EpsilonGreedyPolicy(int armCount, int contextDimension, int seed, double epsilon = 0.05)
    {
        _arms = Enumerable.Range(0, armCount).Select(_ => new OnlineLinearRegression(contextDimension)).ToArray();
        _random = new SeededRandom(seed);
        _epsilon = epsilon;
    }

    /// <inheritdoc/>
    public int ArmCount => _arms.Length;

    /// <inheritdoc/>
    public int ChooseArm(ReadOnlySpan<float> context)
    {
        if (_random.NextDouble() < _epsilon)
        {
            return _random.NextInt(_arms.Length);
        }

        int best = 0;
        double bestValue = double.NegativeInfinity;
        for (int a = 0; a < _arms.Length; a++)
        {
            double value = _arms[a].Predict(context);
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
