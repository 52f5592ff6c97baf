using Microsoft.ML.GatedLinear.Gon.Autodiff;
using Microsoft.ML.GatedLinear.Numerics;

namespace Microsoft.ML.GatedLinear.Gon;

/// <summary>
/// The implicit GON decoder: a SIREN that maps (pixel coordinate ⊕ latent) to an intensity, so an image is a
/// function that can be rendered at any resolution. Hidden layers are sin(ω0·(W·h + b)) with ω0 = 30; the first
/// layer's weights are U(−1/n, 1/n), later ones U(−√(6/n)/ω0, √(6/n)/ω0) (the SIREN initialization); the output
/// layer is a sigmoid so intensities stay in [0, 1]. Coordinates span [−1, 1] on both axes.
/// </summary>
internal sealed class SirenDecoder
{
    /// <summary>The SIREN frequency ω0.</summary>
    public const float Omega = 30f;

    private readonly Variable[] _weights;
    private readonly Variable[] _biases;

    /// <summary>A decoder reading 2 coordinates and <paramref name="latentDimension"/> latent values.</summary>
    public SirenDecoder(int latentDimension, int[] hiddenSizes, SeededRandom random)
    {
        int[] sizes = [2 + latentDimension, .. hiddenSizes, 1];
        _weights = new Variable[sizes.Length - 1];
        _biases = new Variable[sizes.Length - 1];
        for (int l = 0; l < _weights.Length; l++)
        {
            double bound = l == 0 ? 1.0 / sizes[l] : Math.Sqrt(6.0 / sizes[l]) / Omega;
            _weights[l] = Variable.Leaf(sizes[l], sizes[l + 1], Enumerable.Range(0, sizes[l] * sizes[l + 1]).Select(_ => (float)(bound * (2 * random.NextDouble() - 1))).ToArray(), requiresGradient: true);
            _biases[l] = Variable.Leaf(1, sizes[l + 1], Enumerable.Range(0, sizes[l + 1]).Select(_ => (float)(bound * (2 * random.NextDouble() - 1))).ToArray(), requiresGradient: true);
        }
    }

    /// <summary>All trainable variables.</summary>
    public Variable[] Parameters => [.. _weights, .. _biases];

    /// <summary>Renders latents z [B × L] as images of width × height: [B × width·height], row-major pixels.</summary>
    public Variable Render(Variable z, int width, int height)
    {
        int pixels = width * height;
        var coordinates = new float[z.Rows * pixels * 2];
        for (int b = 0; b < z.Rows; b++)
        {
            for (int p = 0; p < pixels; p++)
            {
                coordinates[(b * pixels + p) * 2] = width == 1 ? 0 : -1 + 2f * (p % width) / (width - 1);
                coordinates[(b * pixels + p) * 2 + 1] = height == 1 ? 0 : -1 + 2f * (p / width) / (height - 1);
            }
        }

        Variable h = Ops.ConcatColumns(Variable.Leaf(z.Rows * pixels, 2, coordinates), Ops.RepeatRows(z, pixels));
        for (int l = 0; l < _weights.Length; l++)
        {
            Variable a = Ops.AddRow(Ops.MatMul(h, _weights[l]), _biases[l]);
            h = l + 1 < _weights.Length ? Ops.Sin(Ops.Scale(a, Omega)) : Ops.Sigmoid(a);
        }

        return Ops.Reshape(h, z.Rows, pixels);
    }
}
