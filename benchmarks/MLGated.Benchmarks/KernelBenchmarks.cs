using BenchmarkDotNet.Attributes;
using Microsoft.ML.GatedLinear.Bernoulli;
using Microsoft.ML.GatedLinear.Gating;
using Microsoft.ML.GatedLinear.Numerics;

namespace MLGated.Benchmarks;

/// <summary>
/// The two hot paths of B-GLN training at MNIST size: gating (one row vs a batch as one product) and
/// the per-example learning step of a 10-class classifier. `micro` runs these with BenchmarkDotNet.
/// </summary>
[MemoryDiagnoser]
public class KernelBenchmarks
{
    private const int Features = 784, Rows = 256;
    private HalfSpaceGating _gating = null!;
    private float[] _batch = null!;
    private int[] _contexts = null!;
    private BernoulliGlnClassifier _classifier = null!;
    private int[] _labels = null!;

    [GlobalSetup]
    public void Setup()
    {
        var random = new SeededRandom(1);
        _gating = HalfSpaceGating.CreateRandom(257, 4, Features, 1.0, random);
        _batch = Enumerable.Range(0, Rows * Features).Select(_ => (float)random.NextDouble()).ToArray();
        _contexts = new int[Rows * 257];
        _labels = Enumerable.Range(0, Rows).Select(i => i % 10).ToArray();
        _classifier = BernoulliGlnClassifier.Create(Features, 10, new BernoulliGlnOptions { LayerSizes = [128, 128, 1] });
    }

    /// <summary>Contexts of 257 neurons × 4 hyperplanes for 256 rows, one row at a time.</summary>
    [Benchmark]
    public void GatingRowByRow()
    {
        for (int r = 0; r < Rows; r++)
        {
            _gating.ComputeContexts(_batch.AsSpan(r * Features, Features), _contexts.AsSpan(r * 257, 257));
        }
    }

    /// <summary>The same contexts as one blocked product over the batch.</summary>
    [Benchmark]
    public void GatingBatched() => _gating.ComputeContexts(_batch, Rows, _contexts);

    /// <summary>256 online updates of a 10 × [128, 128, 1] classifier (gating included).</summary>
    [Benchmark]
    public void LearnBatchOf256() => _classifier.Learn(_batch, _labels);
}
