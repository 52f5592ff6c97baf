using Microsoft.ML.GatedLinear.Gon.Autodiff;
using Microsoft.ML.GatedLinear.Numerics;

namespace Microsoft.ML.GatedLinear.Gon;

/// <summary>A fully connected network on the autodiff graph: ELU hidden layers, a sigmoid or linear output layer.</summary>
internal sealed class Mlp
{
    private readonly Variable[] _weights;
    private readonly Variable[] _biases;
    private readonly bool _sigmoidOutput;

    /// <summary>Layer sizes [input, hidden…, output]; weights N(0, 1/fan-in), biases 0.</summary>
    public Mlp(int[] sizes, bool sigmoidOutput, SeededRandom random)
    {
        _sigmoidOutput = sigmoidOutput;
        _weights = new Variable[sizes.Length - 1];
        _biases = new Variable[sizes.Length - 1];
        for (int l = 0; l < _weights.Length; l++)
        {
            double scale = 1 / Math.Sqrt(sizes[l]);
            _weights[l] = Variable.Leaf(sizes[l], sizes[l + 1], Enumerable.Range(0, sizes[l] * sizes[l + 1]).Select(_ => (float)(scale * random.NextGaussian())).ToArray(), requiresGradient: true);
            _biases[l] = Variable.Leaf(1, sizes[l + 1], new float[sizes[l + 1]], requiresGradient: true);
        }
    }

    /// <summary>All trainable variables, weights then biases.</summary>
    public Variable[] Parameters => [.. _weights, .. _biases];

    /// <summary>The network applied to a batch [rows × input].</summary>
    public Variable Forward(Variable x)
    {
        Variable h = x;
        for (int l = 0; l < _weights.Length; l++)
        {
            Variable a = Ops.AddRow(Ops.MatMul(h, _weights[l]), _biases[l]);
            h = l + 1 < _weights.Length ? Ops.Elu(a) : _sigmoidOutput ? Ops.Sigmoid(a) : a;
        }

        return h;
    }
}
