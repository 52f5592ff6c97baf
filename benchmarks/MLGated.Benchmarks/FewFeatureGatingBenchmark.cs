using BenchmarkDotNet.Attributes;
using Microsoft.ML.GatedLinear.Gating;
using Microsoft.ML.GatedLinear.Numerics;

namespace MLGated.Benchmarks;

/// <summary>
/// The contexts of #21's power-plant run: 577 neurons ([512, 64, 1]) × 6 hyperplanes over 4 standardized features (and,
/// for comparison, naval's 16 and the digits' 64), for 256 rows in the chunks of 16 that the G-GLN's two-stage pipeline
/// computes. `micro --filter *FewFeatureGating*`; times are per row.
/// </summary>
[MemoryDiagnoser]
public class FewFeatureGatingBenchmark
{
    private const int Neurons = 577, ContextDimension = 6, Rows = 256, ChunkRows = 16;
    private HalfSpaceGating _gating = null!;
    private float[] _batch = null!;
    private int[] _contexts = null!;

    /// <summary>Side-information features per row.</summary>
    [Params(4, 16, 64)]
    public int Features { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new SeededRandom(1);
        _gating = HalfSpaceGating.CreateRandom(Neurons, ContextDimension, Features, 1.0, random);
        _batch = [.. Enumerable.Range(0, Rows * Features).Select(_ => (float)random.NextGaussian())];
        _contexts = new int[Rows * Neurons];
    }

    [Benchmark(OperationsPerInvoke = Rows)]
    public void ContextsInChunks()
    {
        for (int first = 0; first < Rows; first += ChunkRows)
        {
            _gating.ComputeContexts(_batch.AsSpan(first * Features, ChunkRows * Features), ChunkRows, _contexts.AsSpan(first * Neurons, ChunkRows * Neurons));
        }
    }
}
