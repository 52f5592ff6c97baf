using BenchmarkDotNet.Running;
using MLGated.Benchmarks;

// Usage: dotnet run -c Release --project benchmarks/MLGated.Benchmarks -- <command> [--options]
//   mnist --data DIR [--no-deskew] [--layers 128,128,1] [--context 4] [--per-class-hyperplanes]
//         [--shuffle] [--seed 1] [--lr inverse:1,0.07,0.003] [--init average|zero] [--limit N] [--json FILE]
//   uci --data DIR [--sets boston_housing,concrete] [--epochs 40] [--splits N] [--seed 1] [--no-select] [--json FILE]
//         [G-GLN options: --layers --context --offset-scale --gating-noise --averaging --lr --beta --min-variance --clip --bias-count --bias-range
//          --bias-sd --base --base-sd --output] G-GLN on the UCI regression splits (Gaussian GLN paper, Table 1 protocol)
//   bandits --data DIR [--sets adult,…] [--seeds 5] [--first-seed 1] [--c 0.03] [G-GLN options as for uci; defaults
//           GatedLinearUcbPolicy.DefaultNetworkOptions(): --layers 256,32,1 --context 4 --lr sqrt:0.1 --offset-scale 0.3] [--json FILE]
//   galu --data DIR [--k 64,96] [--epochs 30] [--lr 0.001] [--closed-k 64] [--ridge 1] [--json FILE]
//   gon --data DIR [--epochs 5] [--latent 64] [--hidden 256,256] [--lr 0.002] [--seed 1] [--limit N] [--grid FILE.png] [--json FILE]
//   defaults --data DIR [--sets a,b (the 16 sets, or variants: wine_4_features, wine_6_features, wine_quality_400_classes,
//     digits_400, mnist_400, breast_cancer_6_features, breast_cancer_10_features, iris_2_classes, wine_quality_400_binary)] [--trainers A,B or candidate codes C1,C8] [--folds 5] [--seed 1] [--repeats 1] [--baseline EARLIER.json] [--candidates] [--json FILE]
//           every MLGated trainer and ML.NET's own with defaults, 5-fold CV on 16 public sets (../shared/data)
//   throughput [--repeats 3] [--json FILE]  training speed of every model at fixed sizes on synthetic rows
//   micro [BenchmarkDotNet arguments]      kernel micro-benchmarks
if (args.Length == 0)
{
    Console.Error.WriteLine("Commands: mnist, uci, bandits, galu, gon, defaults, throughput, micro. See Program.cs for options.");
    return 2;
}

try
{
    return Dispatch(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

static int Dispatch(string[] args) => args[0] switch
{
    "mnist" => MnistBenchmark.Run(new BenchmarkArguments(args.Skip(1), "data", "json", "limit", "seed", "no-deskew", "layers", "context", "per-class-hyperplanes", "shuffle", "lr", "init", "batch", "beta", "input-clip", "pred-clip", "offset-scale", "sigmoid-base", "standardize")),
    "bandits" => BanditBenchmark.Run(new BenchmarkArguments(args.Skip(1), ["data", "json", "sets", "seeds", "first-seed", "c", .. GaussianOptionFlags.Names])),
    "galu" => GaluBenchmark.Run(new BenchmarkArguments(args.Skip(1), "data", "json", "k", "epochs", "lr", "closed-k", "ridge")),
    "gon" => GonBenchmark.Run(new BenchmarkArguments(args.Skip(1), "data", "json", "grid", "epochs", "latent", "hidden", "lr", "limit", "seed")),
    "uci" => UciBenchmark.Run(new BenchmarkArguments(args.Skip(1), ["data", "json", "sets", "epochs", "splits", "seed", "no-select", .. GaussianOptionFlags.Names])),
    "defaults" => MLGated.Benchmarks.Defaults.DefaultsBenchmark.Run(new BenchmarkArguments(args.Skip(1), "data", "json", "sets", "trainers", "folds", "seed", "repeats", "baseline", "candidates")),
    "throughput" => ThroughputBenchmark.Run(new BenchmarkArguments(args.Skip(1), "json", "repeats")),
    "micro" => RunMicro(args.Skip(1).ToArray()),
    _ => Unknown(args[0]),
};

static int RunMicro(string[] rest)
{
    BenchmarkSwitcher.FromAssembly(typeof(MnistBenchmark).Assembly).Run(rest);
    return 0;
}

static int Unknown(string command)
{
    Console.Error.WriteLine($"Unknown command '{command}'. Commands: mnist, uci, bandits, galu, gon, defaults, throughput, micro.");
    return 2;
}
