using System.Diagnostics;
using System.Numerics.Tensors;

namespace MLGated.Benchmarks;

/// <summary>
/// The machine's memory bandwidth as the B-GLN's update uses it: every core runs a += s·b over its own arrays, far larger
/// than the caches (reading a and b, writing a: 12 bytes per element), best of three passes.
/// </summary>
internal static class MemoryBandwidth
{
    public static double GigabytesPerSecond(int elementsPerCore = 1 << 25)
    {
        int cores = Environment.ProcessorCount;
        float[][] a = Enumerable.Range(0, cores).Select(_ => new float[elementsPerCore]).ToArray();
        float[][] b = Enumerable.Range(0, cores).Select(_ => Enumerable.Repeat(1f, elementsPerCore).ToArray()).ToArray();
        double best = double.PositiveInfinity;
        for (int pass = 0; pass < 4; pass++)
        {
            var clock = Stopwatch.StartNew();
            Parallel.For(0, cores, new ParallelOptions { MaxDegreeOfParallelism = cores }, c => TensorPrimitives.MultiplyAdd(b[c], 1e-3f, a[c], a[c]));
            best = pass == 0 ? best : Math.Min(best, clock.Elapsed.TotalSeconds);
        }

        return 12.0 * elementsPerCore * cores / best / 1e9;
    }
}
