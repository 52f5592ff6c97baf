using System.Numerics.Tensors;
using Microsoft.ML.GatedLinear.Numerics;

namespace Microsoft.ML.GatedLinear.Galu;

/// <summary>
/// The activations of a batch of n rows through a deep GaLU network, as matrices, and backpropagation through them.
/// Layer l is In_l = [h_{l−1}, 1] (n × c_l), Z_l = In_l·W_lᵀ, G_l = σ(S_l·U_lᵀ), h_l = G_l ⊙ Z_l; backwards
/// ∂W_l = ∂Z_lᵀ·In_l and ∂In_l = ∂Z_l·W_l. Every product is a <see cref="MatrixProduct"/> over the whole batch (one
/// row at a time, the same arithmetic was matrix–vector products that read every weight once per row).
/// </summary>
internal sealed class DeepGaluPass
{
    private readonly int[] _sizes;       // [d, k1, …, kL, outputs]
    private readonly int[] _offsets;     // parameter offset of W_1 … W_L, A
    private readonly GaluGates[] _gates;
    private readonly float[][] _filters; // U_l padded: [k_l × (reads + 1)]
    private readonly bool _gatesReadInput;
    private readonly bool _gateGradient;
    private float[][] _inputs = [];      // In_l
    private float[][] _gateValues = [];  // G_l
    private float[][] _linear = [];      // Z_l (the last is the output)
    private float[][] _dz = [];          // ∂loss/∂Z_l
    private float[][] _dInputs = [];     // ∂loss/∂In_l
    private float[] _outputGradient = [];
    private float[] _scratch = [];
    private int _capacity;

    /// <param name="sizes">Layer widths [d, k1, …, kL, outputs].</param>
    /// <param name="offsets">Where W_l starts in the parameter vector.</param>
    /// <param name="gates">The hidden layers' gates.</param>
    /// <param name="filters">Their filters as <see cref="PaddedFilters"/> made them.</param>
    /// <param name="variant">GaLU0's gates read x₀; GaLU's read h_{l−1}.</param>
    public DeepGaluPass(int[] sizes, int[] offsets, GaluGates[] gates, float[][] filters, GaluVariant variant)
    {
        _sizes = sizes;
        _offsets = offsets;
        _gates = gates;
        _filters = filters;
        _gatesReadInput = variant == GaluVariant.Galu0;
        // Only GaLU's sigmoid gates pass gradient to what they read: x₀ is no parameter, a step has derivative 0.
        _gateGradient = variant == GaluVariant.Galu && gates.Length > 0 && gates[0].Kind == GateKind.Sigmoid;
    }

    /// <summary>Each layer's filters U_l with a zero column appended (against In's constant 1), so the gates read In directly.</summary>
    public static float[][] PaddedFilters(GaluGates[] gates)
    {
        var filters = new float[gates.Length][];
        for (int l = 0; l < gates.Length; l++)
        {
            int reads = gates[l].Dimension;
            filters[l] = new float[gates[l].Count * (reads + 1)];
            for (int j = 0; j < gates[l].Count; j++)
            {
                gates[l].Filters.Slice(j * reads, reads).CopyTo(filters[l].AsSpan(j * (reads + 1)));
            }
        }

        return filters;
    }

    /// <summary>Rows in the last forward batch.</summary>
    public int Rows { get; private set; }

    /// <summary>A buffer for ∂loss/∂output of the last forward batch, [Rows × outputs], to hand to <see cref="Backward"/>.</summary>
    public Span<float> OutputGradient => _outputGradient.AsSpan(0, Rows * _sizes[^1]);

    /// <summary>The network's outputs for the last forward batch, [Rows × outputs].</summary>
    public ReadOnlySpan<float> Output => _linear[^1].AsSpan(0, Rows * _sizes[^1]);

    private int Layers => _sizes.Length - 1;

    /// <summary>Runs <paramref name="n"/> rows (row-major, d values each) forward through the weights in <paramref name="parameters"/>.</summary>
    public void Forward(float[] parameters, ReadOnlySpan<float> rows, int n)
    {
        Reserve(n);
        Rows = n;
        int d = _sizes[0];
        for (int i = 0; i < n; i++)
        {
            rows.Slice(i * d, d).CopyTo(_inputs[0].AsSpan(i * (d + 1)));
            _inputs[0][i * (d + 1) + d] = 1;
        }

        for (int l = 0; l < Layers; l++)
        {
            int k = _sizes[l + 1], c = _sizes[l] + 1;
            MatrixProduct.Multiply(_inputs[l], Weights(parameters, l), _linear[l], n, c, k, ProductLayout.TransposeB);
            if (l + 1 == Layers)
            {
                break;
            }

            float[] reads = _gatesReadInput ? _inputs[0] : _inputs[l];
            MatrixProduct.Multiply(reads, _filters[l], _gateValues[l], n, _gates[l].Dimension + 1, k, ProductLayout.TransposeB);
            Span<float> g = _gateValues[l].AsSpan(0, n * k);
            _gates[l].Activate(g);

            float[] next = _inputs[l + 1];
            for (int i = 0; i < n; i++)
            {
                TensorPrimitives.Multiply(_linear[l].AsSpan(i * k, k), g.Slice(i * k, k), next.AsSpan(i * (k + 1), k));
                next[i * (k + 1) + k] = 1;
            }
        }
    }

    /// <summary>
    /// Writes into <paramref name="gradient"/> (laid out like the parameters) ∂/∂parameters of the last forward batch's
    /// summed loss, given ∂loss/∂output for each of its rows ([Rows × outputs]).
    /// </summary>
    public void Backward(float[] parameters, ReadOnlySpan<float> outputGradient, float[] gradient)
    {
        int n = Rows;
        for (int l = Layers - 1; l >= 0; l--)
        {
            int k = _sizes[l + 1], c = _sizes[l] + 1;
            Span<float> dz = _dz[l].AsSpan(0, n * k);
            if (l + 1 == Layers)
            {
                outputGradient[..(n * k)].CopyTo(dz);
            }
            else
            {
                // h = g ⊙ z: ∂/∂z = ∂/∂h ⊙ g (∂/∂h is ∂/∂In_{l+1} without its constant column).
                for (int i = 0; i < n; i++)
                {
                    TensorPrimitives.Multiply(_dInputs[l + 1].AsSpan(i * (k + 1), k), _gateValues[l].AsSpan(i * k, k), dz.Slice(i * k, k));
                }
            }

            MatrixProduct.Multiply(_dz[l], _inputs[l], Weights(gradient, l), k, n, c, ProductLayout.TransposeA);
            if (l == 0)
            {
                break;
            }

            MatrixProduct.Multiply(_dz[l], Weights(parameters, l), _dInputs[l], n, k, c);
            if (_gateGradient && l + 1 < Layers)
            {
                // The gates read h_{l−1} too: ∂In_l += (∂h ⊙ z ⊙ σ'(·))·U_l.
                ArraySegment<float> factor = new(_scratch, 0, n * k), added = new(_scratch, n * k, n * c);
                for (int i = 0; i < n; i++)
                {
                    for (int j = 0; j < k; j++)
                    {
                        float g = _gateValues[l][i * k + j];
                        _scratch[i * k + j] = _dInputs[l + 1][i * (k + 1) + j] * _linear[l][i * k + j] * g * (1 - g);
                    }
                }

                MatrixProduct.Multiply(factor, _filters[l], added, n, k, c);
                TensorPrimitives.Add(_dInputs[l].AsSpan(0, n * c), added, _dInputs[l].AsSpan(0, n * c));
            }
        }
    }

    private ArraySegment<float> Weights(float[] vector, int layer) => new(vector, _offsets[layer + 1], _sizes[layer + 1] * (_sizes[layer] + 1));

    private void Reserve(int n)
    {
        if (n <= _capacity)
        {
            return;
        }

        int layers = Layers, widest = 0;
        _inputs = new float[layers][];
        _gateValues = new float[layers][];
        _linear = new float[layers][];
        _dz = new float[layers][];
        _dInputs = new float[layers][];
        for (int l = 0; l < layers; l++)
        {
            int k = _sizes[l + 1], c = _sizes[l] + 1;
            _inputs[l] = new float[n * c];
            _gateValues[l] = new float[l + 1 < layers ? n * k : 0];
            _linear[l] = new float[n * k];
            _dz[l] = new float[n * k];
            _dInputs[l] = new float[n * c];
            widest = Math.Max(widest, k + c);
        }

        _outputGradient = new float[n * _sizes[^1]];
        _scratch = new float[n * widest];
        _capacity = n;
    }
}
