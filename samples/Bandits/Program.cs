using Microsoft.ML.GatedLinear.Bandits;
using Microsoft.ML.GatedLinear.Data;
using MLGated.Lab;

// Contextual bandits: GLCB (one G-GLN per arm with a pseudo-count UCB bonus) against linear Thompson sampling and
// a uniform random policy, each playing every row of a Riquelme et al. bandit set once.
// Usage: dotnet run -c Release --project samples/Bandits -- PATH/TO/statlog.csv.gz
string path = args.Length > 0 ? args[0] : Path.Combine("..", "shared", "data", "bandits", "statlog.csv.gz");
if (!File.Exists(path))
{
    Console.Error.WriteLine($"No bandit data at {Path.GetFullPath(path)}. Usage: dotnet run -c Release --project samples/Bandits -- PATH/TO/statlog.csv.gz");
    return 2;
}

NumericCsv csv = NumericCsv.Read(path);
int[] x = csv.ColumnsWithPrefix("x"), r = csv.ColumnsWithPrefix("r");
var contexts = new float[csv.RowCount * x.Length];
var rewards = new float[csv.RowCount * r.Length];
for (int i = 0; i < csv.RowCount; i++)
{
    for (int j = 0; j < x.Length; j++)
    {
        contexts[i * x.Length + j] = csv[i, x[j]];
    }

    for (int a = 0; a < r.Length; a++)
    {
        rewards[i * r.Length + a] = csv[i, r[a]];
    }
}

Console.WriteLine($"{Path.GetFileName(path)}: {csv.RowCount} rounds, {x.Length} context features, {r.Length} arms.");
var policies = new (string Name, IContextualBanditPolicy Policy)[]
{
    ("GLCB", new GatedLinearUcbPolicy(r.Length, x.Length)),
    ("linear Thompson", new LinearThompsonPolicy(r.Length, x.Length, seed: 1)),
    ("uniform random", new UniformRandomPolicy(r.Length, seed: 1)),
};
foreach ((string name, IContextualBanditPolicy policy) in policies)
{
    double[] regret = BanditSimulation.CumulativeRegret(policy, contexts, rewards);
    string checkpoints = string.Join(", ", new[] { 0.1, 0.25, 0.5, 1.0 }.Select(f => $"{regret[(int)(f * regret.Length) - 1]:0} after {f:P0}"));
    Console.WriteLine($"  {name,-16} cumulative regret {checkpoints}");
}
return 0;
