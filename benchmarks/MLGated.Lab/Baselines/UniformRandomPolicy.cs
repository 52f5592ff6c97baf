using Microsoft.ML.GatedLinear.Bandits;
using Microsoft.ML.GatedLinear.Numerics;

namespace MLGated.Lab;

/// <summary>The floor of every comparison: an arm chosen uniformly at random, nothing learned.</summary>
public sealed class UniformRandomPolicy(int armCount, int seed) : IContextualBanditPolicy
{
    private readonly SeededRandom _random = new(seed);

    /// <inheritdoc/>
    public int ArmCount => armCount;

    /// <inheritdoc/>
    public int ChooseArm(ReadOnlySpan<float> context) => _random.NextInt(armCount);

    /// <inheritdoc/>
    public void Update(ReadOnlySpan<float> context, int arm, float reward)
    {
    }
}
