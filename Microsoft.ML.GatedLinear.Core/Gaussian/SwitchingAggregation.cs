using System.Numerics.Tensors;

namespace Microsoft.ML.GatedLinear.Gaussian;

/// <summary>
/// Switching aggregation over every neuron of the network: a Bayesian mixture whose log-weights add
/// each neuron's log density of the observed target, followed by a fixed-share step with rate
/// α_t = 1/(t + 1) that lets the mixture switch to whichever neuron is best on recent data.
/// </summary>
internal sealed class SwitchingAggregation
{
    private readonly double[] _logWeights;

    public SwitchingAggregation(int count)
    {
        _logWeights = new double[count];
        _logWeights.AsSpan().Fill(-Math.Log(count));
    }

    private SwitchingAggregation(double[] logWeights, long steps)
    {
        _logWeights = logWeights;
        Steps = steps;
    }

    public static SwitchingAggregation Restore(double[] logWeights, long steps) => new(logWeights, steps);

    public long Steps { get; private set; }

    /// <summary>Takes <paramref name="other"/>'s weights and step count (a copy of this mixture).</summary>
    public void CopyFrom(SwitchingAggregation other)
    {
        other._logWeights.CopyTo(_logWeights, 0);
        Steps = other.Steps;
    }

    public ReadOnlySpan<double> LogWeights => _logWeights;

    /// <summary>Writes the normalized mixture weights.</summary>
    public void Weights(Span<double> weights)
    {
        TensorPrimitives.Subtract(_logWeights, TensorPrimitives.Max<double>(_logWeights), weights);
        TensorPrimitives.Exp(weights, weights);
        TensorPrimitives.Divide(weights, TensorPrimitives.Sum<double>(weights), weights);
    }

    /// <summary>Bayes step u_k += log f_k(y), then fixed share with α = 1/(t + 1).</summary>
    public void Update(ReadOnlySpan<double> logDensities, Span<double> scratch)
    {
        TensorPrimitives.Add(_logWeights, logDensities, _logWeights);
        Steps++;
        double alpha = 1.0 / (Steps + 1);
        Weights(scratch);
        TensorPrimitives.Multiply(scratch, 1 - alpha, scratch);
        TensorPrimitives.Add(scratch, alpha / _logWeights.Length, scratch);
        // A floor keeps every neuron reachable even after a long losing streak.
        TensorPrimitives.Max(scratch, 1e-300, scratch);
        TensorPrimitives.Log(scratch, _logWeights);
    }
}
