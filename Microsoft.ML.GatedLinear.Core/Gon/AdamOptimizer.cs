using Microsoft.ML.GatedLinear.Gon.Autodiff;

namespace Microsoft.ML.GatedLinear.Gon;

/// <summary>Adam (Kingma and Ba) over a list of parameter variables, updated in place.</summary>
public sealed class AdamOptimizer(IReadOnlyList<Variable> parameters, double learningRate, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8)
{
    private readonly double[][] _m = parameters.Select(p => new double[p.Value.Length]).ToArray();
    private readonly double[][] _v = parameters.Select(p => new double[p.Value.Length]).ToArray();
    private long _steps;

    /// <summary>One step along the given gradients (one per parameter, same shapes).</summary>
    public void Step(IReadOnlyList<Variable> gradients)
    {
        _steps++;
        double c1 = 1 - Math.Pow(beta1, _steps), c2 = 1 - Math.Pow(beta2, _steps);
        for (int p = 0; p < parameters.Count; p++)
        {
            float[] value = parameters[p].Value, g = gradients[p].Value;
            double[] m = _m[p], v = _v[p];
            for (int i = 0; i < value.Length; i++)
            {
                m[i] = beta1 * m[i] + (1 - beta1) * g[i];
                v[i] = beta2 * v[i] + (1 - beta2) * g[i] * g[i];
                value[i] -= (float)(learningRate * (m[i] / c1) / (Math.Sqrt(v[i] / c2) + epsilon));
            }
        }
    }
}
