using System.Diagnostics;
using Microsoft.ML.GatedLinear.Bandits;
using Microsoft.ML.GatedLinear.Data;
using Microsoft.ML.GatedLinear.Gaussian;
using Microsoft.ML.GatedLinear.Numerics;
using static System.FormattableString;
using MLGated.Lab;

namespace MLGated.Benchmarks;

/// <summary>
/// `bandits`: the contextual-bandit sets of Riquelme et al. (2018) in ../shared/data/bandits (context x*, one reward
/// per arm r*). For each set and seed the rows are shuffled, every policy plays them once, and the cumulative regret
/// against each row's best arm is recorded. Reported: mean ± standard error over seeds, the rank of each policy
/// per set (1 = least regret), and the mean rank over sets.
/// </summary>
internal static class BanditBenchmark
{
    private static readonly string[] Sets = ["adult", "covertype", "financial", "jester", "statlog"];


    private static (string Name, Func<int, int, int, IContextualBanditPolicy> Create)[] CreatePolicies(double exploration, GaussianGlnOptions network) =>
    [
        ("GLCB (G-GLN UCB)", (arms, d, seed) =>
        {
            GaussianGlnOptions options = network.Clone();
            options.Seed = seed;
            return new GatedLinearUcbPolicy(arms, d, exploration, options);
        }),
        ("Thompson (linear)", (arms, d, seed) => new LinearThompsonPolicy(arms, d, seed)),
        ("ε-greedy (linear)", (arms, d, seed) => new EpsilonGreedyPolicy(arms, d, seed)),
        ("uniform random", (arms, _, seed) => new UniformRandomPolicy(arms, seed)),
    ];

    public static int Run(BenchmarkArguments cl)
    {
        string root = cl.Text("data") ?? throw new ArgumentException("bandits needs --data DIR (the folder with adult.csv.gz, covertype.csv.gz, …).");
        string[] names = cl.Text("sets") is { } list ? list.Split(',') : Sets;
        // Shuffles 1–5 are the reported ones; GLCB's defaults were chosen on shuffles 6–15 (--first-seed 6 --seeds 10).
        int seeds = cl.Int("seeds", 5), firstSeed = cl.Int("first-seed", 1);
        GaussianGlnOptions network = GaussianOptionFlags.Apply(cl, GatedLinearUcbPolicy.DefaultNetworkOptions());
        var policies = CreatePolicies(cl.Double("c", GatedLinearUcbPolicy.DefaultExploration), network);
        var table = new ResultTable(Invariant($"Contextual bandits, cumulative regret (mean ± SE over {seeds} shuffles)"), "set", "policy", "regret_mean", "regret_se", "rank", "seconds");
        var rankSums = new double[policies.Length];
        foreach (string name in names)
        {
            NumericCsv csv = NumericCsv.Read(Path.Combine(root, name + ".csv.gz"));
            int[] x = csv.ColumnsWithPrefix("x"), r = csv.ColumnsWithPrefix("r");
            var results = new double[policies.Length][];
            var seconds = new double[policies.Length];
            for (int p = 0; p < policies.Length; p++)
            {
                results[p] = new double[seeds];
                var clock = Stopwatch.StartNew();
                for (int s = 0; s < seeds; s++)
                {
                    (float[] contexts, float[] rewards) = Shuffled(csv, x, r, seed: firstSeed + s);
                    results[p][s] = BanditSimulation.CumulativeRegret(policies[p].Create(r.Length, x.Length, firstSeed + s), contexts, rewards)[^1];
                }

                seconds[p] = clock.Elapsed.TotalSeconds;
                Console.Error.WriteLine(Invariant($"{name}: {policies[p].Name} regret {results[p].Average():0.#} ({seconds[p]:0.0} s)"));
            }

            int[] order = Enumerable.Range(0, policies.Length).OrderBy(p => results[p].Average()).ToArray();
            for (int p = 0; p < policies.Length; p++)
            {
                int rank = Array.IndexOf(order, p) + 1;
                rankSums[p] += rank;
                double mean = results[p].Average(), se = seeds > 1 ? Math.Sqrt(results[p].Sum(v => (v - mean) * (v - mean)) / (seeds - 1) / seeds) : 0;
                table.Add(name, policies[p].Name, mean, se, rank, seconds[p]);
            }
        }

        Console.WriteLine(table.ToMarkdown());
        Console.WriteLine("| policy | mean rank |");
        Console.WriteLine("|---|---|");
        for (int p = 0; p < policies.Length; p++)
        {
            Console.WriteLine(Invariant($"| {policies[p].Name} | {rankSums[p] / names.Length:0.##} |"));
        }

        if (cl.Text("json") is { } json)
        {
            table.WriteJson(json, Machine.Describe());
        }

        return 0;
    }

    private static (float[] Contexts, float[] Rewards) Shuffled(NumericCsv csv, int[] x, int[] r, int seed)
    {
        int[] order = Enumerable.Range(0, csv.RowCount).ToArray();
        new SeededRandom(seed).Shuffle(order.AsSpan());
        var contexts = new float[csv.RowCount * x.Length];
        var rewards = new float[csv.RowCount * r.Length];
        for (int i = 0; i < order.Length; i++)
        {
            for (int j = 0; j < x.Length; j++)
            {
                contexts[i * x.Length + j] = csv[order[i], x[j]];
            }

            for (int a = 0; a < r.Length; a++)
            {
                rewards[i * r.Length + a] = csv[order[i], r[a]];
            }
        }

        return (contexts, rewards);
    }
}
