using Microsoft.ML.GatedLinear.Bandits;

namespace MLGated.Lab;

/// <summary>Runs a policy over a logged bandit data set in which every arm's reward is known for every row.</summary>
public static class BanditSimulation
{
    /// <summary>
    /// Plays every row once, in order: the policy sees the context, pulls an arm, and learns that arm's reward.
    /// Returns the cumulative regret after each round against the best arm of each row.
    /// </summary>
    /// <param name="policy">The policy; it learns as it plays.</param>
    /// <param name="contexts">Row-major [rows × d].</param>
    /// <param name="rewards">Row-major [rows × arms]: every arm's reward in every row.</param>
    public static double[] CumulativeRegret(IContextualBanditPolicy policy, ReadOnlySpan<float> contexts, ReadOnlySpan<float> rewards)
    {
        int k = policy.ArmCount;
        if (rewards.Length % k != 0)
        {
            throw new ArgumentException($"{rewards.Length} rewards do not make whole rows of {k} arms.", nameof(rewards));
        }

        int rows = rewards.Length / k;
        if (rows == 0 || contexts.Length % rows != 0)
        {
            throw new ArgumentException($"{contexts.Length} context values do not make {rows} rows.", nameof(contexts));
        }

        int d = contexts.Length / rows;
        var regret = new double[rows];
        double total = 0;
        for (int t = 0; t < rows; t++)
        {
            ReadOnlySpan<float> context = contexts.Slice(t * d, d), row = rewards.Slice(t * k, k);
            int arm = policy.ChooseArm(context);
            float best = row[0];
            for (int a = 1; a < k; a++)
            {
                best = Math.Max(best, row[a]);
            }

            total += best - row[arm];
            regret[t] = total;
            policy.Update(context, arm, row[arm]);
        }

        return regret;
    }
}
