using Microsoft.ML.GatedLinear.Gon.Autodiff;
using Microsoft.ML.GatedLinear.Numerics;

namespace Microsoft.ML.GatedLinear.Gon;

/// <summary><see cref="Adam"/> over a list of parameter variables, updated in place from gradient variables of the same shapes.</summary>
internal sealed class AdamOptimizer(IReadOnlyList<Variable> parameters, double learningRate)
{
    private readonly Adam _adam = new(parameters.Select(p => p.Value.Length), learningRate);

    /// <summary>One step along the given gradients (one per parameter, same shapes).</summary>
    public void Step(IReadOnlyList<Variable> gradients)
    {
        _adam.BeginStep();
        for (int p = 0; p < parameters.Count; p++)
        {
            _adam.Move<float>(p, parameters[p].Value, gradients[p].Value);
        }
    }
}
