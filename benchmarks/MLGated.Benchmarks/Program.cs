using BenchmarkDotNet.Running;
using MLGated.Benchmarks;

// Usage: dotnet run -c Release --project benchmarks/MLGated.Benchmarks -- <command> [--options]
//   mnist --data DIR [--no-deskew] [--layers 128,128,1] [--context 4] [--per-class-hyperplanes]
//         [--shuffle] [--seed 1] [--lr inverse:1,0.0001,0.02] [--limit N] [--json FILE]
//   micro [BenchmarkDotNet arguments]      kernel micro-benchmarks
if (args.Length == 0)
{
    Console.Error.WriteLine("Commands: mnist, micro. See Program.cs for options.");
    return 2;
}

return args[0] switch
{
    "mnist" => MnistBenchmark.Run(new BenchmarkArguments(args.Skip(1))),
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
    Console.Error.WriteLine($"Unknown command '{command}'. Commands: mnist, micro.");
    return 2;
}
