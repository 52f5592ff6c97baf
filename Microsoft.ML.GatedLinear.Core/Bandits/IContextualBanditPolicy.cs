namespace Microsoft.ML.GatedLinear.Bandits;

/// <summary>A contextual bandit policy: each round it sees a context, pulls one arm, and learns that arm's reward.</summary>
public interface IContextualBanditPolicy
{
    /// <summary>Number of arms.</summary>
    int ArmCount { get; }

    /// <summary>Picks the arm to pull for <paramref name="context"/>.</summary>
    int ChooseArm(ReadOnlySpan<float> context);

    /// <summary>Learns the reward observed for <paramref name="arm"/> in <paramref name="context"/> (each round seen once).</summary>
    void Update(ReadOnlySpan<float> context, int arm, float reward);
}
