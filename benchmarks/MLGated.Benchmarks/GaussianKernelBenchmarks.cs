using BenchmarkDotNet.Attributes;
using Microsoft.ML.GatedLinear.Gaussian;
using Microsoft.ML.GatedLinear.Numerics;

namespace MLGated.Benchmarks;

/// <summary>
/// The G-GLN's per-neuron steps at the size of #21's power-plant run ([512, 64, 1], context 6, four features and two
/// biases): what the two layers' steps cost per neuron when every example picks each neuron's row at random from its 64
/// (the run's contexts are skewed; uniform ones are the worst case for the caches), with and without weight averaging.
/// `micro --filter *Gaussian*` runs them with <see cref="GaussianRowStepBenchmark"/>; times are per neuron step.
/// </summary>
[MemoryDiagnoser]
public class GaussianKernelBenchmarks
{
    private GaussianLayerCase _wide = null!;
    private GaussianLayerCase _narrow = null!;
    private GaussianLayerCase _eighteen = null!;

    /// <summary>The layers' weight-averaging horizon H: 0 (none, #21's run) or 100 (the trainer's default and every UCI candidate's).</summary>
    [Params(0, 100)]
    public int AveragingHorizon { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new SeededRandom(1);
        _wide = new GaussianLayerCase(GaussianLayerCase.WideNeurons, GaussianLayerCase.WideInputs, AveragingHorizon, random);
        _narrow = new GaussianLayerCase(GaussianLayerCase.NarrowNeurons, GaussianLayerCase.NarrowInputs, AveragingHorizon, random);
        _eighteen = new GaussianLayerCase(GaussianLayerCase.NarrowNeurons, GaussianLayerCase.EighteenInputs, AveragingHorizon, random);
    }

    /// <summary>The second layer's step, 64 neurons over 514 inputs, a random row of 64 each (an 8.4 MB table).</summary>
    [Benchmark(OperationsPerInvoke = GaussianLayerCase.Examples * GaussianLayerCase.WideNeurons)]
    public void WideLayerStep() => _wide.Learn();

    /// <summary>The first layer's step, 512 neurons over 6 inputs learned eight lanes at a time, a random row of 64 each.</summary>
    [Benchmark(OperationsPerInvoke = GaussianLayerCase.Examples * GaussianLayerCase.NarrowNeurons)]
    public void NarrowLayerStep() => _narrow.Learn();

    /// <summary>A first layer over 16 features (the naval set's): 512 neurons over 18 inputs, a random row of 64 each.</summary>
    [Benchmark(OperationsPerInvoke = GaussianLayerCase.Examples * GaussianLayerCase.NarrowNeurons)]
    public void EighteenInputLayerStep() => _eighteen.Learn();
}

/// <summary>
/// One neuron's fused step over 514 inputs, one row for every example, all in L1 or L2 (the inputs weighed and their
/// moments formed once per example, as a layer does for all its neurons): the wide step's floor. Apart from
/// <see cref="GaussianKernelBenchmarks"/>, whose averaging parameter this step does not read.
/// </summary>
[MemoryDiagnoser]
public class GaussianRowStepBenchmark
{
    private GaussianLayerCase _wide = null!;
    private float[] _row = null!;
    private GradientMoments[] _moments = null!;

    [GlobalSetup]
    public void Setup()
    {
        _wide = new GaussianLayerCase(GaussianLayerCase.WideNeurons, GaussianLayerCase.WideInputs, averagingHorizon: 0, new SeededRandom(1));
        _row = new float[GaussianLayerCase.WideInputs];
        _row.AsSpan().Fill(1f / GaussianLayerCase.WideInputs);

        // What a layer forms once per example for all its neurons.
        _moments = new GradientMoments[GaussianLayerCase.Examples];
        for (int e = 0; e < GaussianLayerCase.Examples; e++)
        {
            GaussianInputs inputs = _wide.Inputs(e);
            inputs.Weigh();
            _moments[e] = GradientMoments.Of(inputs);
        }
    }

    [Benchmark(OperationsPerInvoke = GaussianLayerCase.Examples)]
    public double WideRowStepInCache()
    {
        double sum = 0;
        for (int e = 0; e < GaussianLayerCase.Examples; e++)
        {
            sum += GaussianNeuron.OutputAndUpdate(_row, _wide.Inputs(e), _moments[e], _wide.Targets[e], GaussianLayerCase.LearningRate, GaussianLayerCase.Constraints, _wide.Scratch.Values).Mean;
        }

        return sum;
    }
}

/// <summary>A layer, <see cref="Examples"/> examples of inputs and targets, and each example's contexts.</summary>
internal sealed class GaussianLayerCase
{
    public const int Contexts = 64, Examples = 64, WideInputs = 514, WideNeurons = 64, NarrowInputs = 6, EighteenInputs = 18, NarrowNeurons = 512;
    public const float LearningRate = 0.01f;
    public static readonly GaussianConstraints Constraints = new(10f, 1e-3, 1e3, 3, 10f);

    private readonly GaussianLayer _layer;
    private readonly int _inputs;
    private readonly float[] _means, _precisions, _weightedMeans, _outputMeans, _outputPrecisions, _outputWeightedMeans;
    private readonly int[] _contexts;

    public GaussianLayerCase(int neurons, int inputs, int averagingHorizon, SeededRandom random)
    {
        _layer = GaussianLayer.Create(neurons, inputs, Contexts, averagingHorizon);
        _inputs = inputs;
        // Inputs that predict the target, as the layers below do once learning settles: steps stay small, and no row's
        // precision is driven to the projection (a rare path that would dominate the times).
        Targets = [.. Enumerable.Range(0, Examples).Select(_ => (float)random.NextGaussian())];
        _means = [.. Enumerable.Range(0, Examples * inputs).Select(i => Targets[i / inputs] + (float)(0.3 * random.NextGaussian()))];
        _precisions = [.. Enumerable.Range(0, Examples * inputs).Select(_ => (float)(0.5 + random.NextDouble()))];
        _weightedMeans = new float[Examples * inputs];
        _contexts = [.. Enumerable.Range(0, Examples * neurons).Select(_ => (int)(random.NextDouble() * Contexts))];
        _outputMeans = new float[neurons];
        _outputPrecisions = new float[neurons];
        _outputWeightedMeans = new float[neurons];
        Scratch = new GaussianLayer.NeuronScratch(1, 1, inputs);
    }

    public float[] Targets { get; }

    public GaussianLayer.NeuronScratch Scratch { get; }

    public GaussianInputs Inputs(int example)
        => new(_means.AsSpan(example * _inputs, _inputs), _precisions.AsSpan(example * _inputs, _inputs), _weightedMeans.AsSpan(example * _inputs, _inputs), _inputs, 1);

    public void Learn()
    {
        var outputs = new GaussianInputs(_outputMeans, _outputPrecisions, _outputWeightedMeans, _layer.NeuronCount, 1);
        for (int e = 0; e < Examples; e++)
        {
            _layer.PredictAndUpdate(Inputs(e), _contexts.AsSpan(e * _layer.NeuronCount, _layer.NeuronCount), outputs, default, Targets.AsSpan(e, 1), LearningRate, Constraints, Scratch);
        }
    }
}
