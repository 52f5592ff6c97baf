using Microsoft.ML.GatedLinear.Training;

namespace Microsoft.ML.GatedLinear.Gon;

/// <summary>Hyperparameters of a Gradient Origin Network with an MLP decoder.</summary>
public sealed class GonOptions
{
    /// <summary>Length of the latent z (the featurizer's output). Default 32.</summary>
    public int LatentDimension { get; set; } = 32;

    /// <summary>Hidden layer widths of the decoder F (ELU activations). Default [256, 256].</summary>
    public int[] HiddenSizes { get; set; } = [256, 256];

    /// <summary>Adam step size. Default 1e-3.</summary>
    public double LearningRate { get; set; } = 1e-3;

    /// <summary>Rows per Adam step. Default 64.</summary>
    public int BatchSize { get; set; } = 64;

    /// <summary>
    /// Ablation: treat the inner gradient z = −∇L_in as a constant when training, instead of differentiating
    /// through it (second order). The GON paper finds this essential; default false.
    /// </summary>
    public bool DetachInnerGradient { get; set; }

    /// <summary>Whether the decoder is a SIREN over image coordinates.</summary>
    public bool Implicit => ImageWidth > 0;

    /// <summary>
    /// Variational GON: the gradient latent is mapped to a mean and a log-variance, a latent is sampled by
    /// reparameterization, and training minimizes the ELBO (binary cross-entropy + KL to N(0, I)). Default false.
    /// </summary>
    public bool Variational { get; set; }

    /// <summary>
    /// Implicit GON: when both are positive the decoder is a SIREN over (pixel coordinate ⊕ latent) and rows are
    /// ImageWidth × ImageHeight images; 0 (default) uses the MLP decoder.
    /// </summary>
    public int ImageWidth { get; set; }

    /// <summary>Image height for the implicit GON (see <see cref="ImageWidth"/>). Default 0.</summary>
    public int ImageHeight { get; set; }

    /// <summary>Seed of the initial weights and shuffles. Default 1.</summary>
    public int Seed { get; set; } = 1;

    /// <summary>Throws naming the first invalid option.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(LatentDimension, nameof(LatentDimension));
        if (HiddenSizes is null || HiddenSizes.Any(k => k < 1))
        {
            throw new ArgumentException("HiddenSizes must hold positive widths.", nameof(HiddenSizes));
        }

        OptionChecks.FinitePositive(LearningRate, nameof(LearningRate));
        if (ImageWidth < 0 || ImageHeight < 0 || (ImageWidth == 0) != (ImageHeight == 0))
        {
            throw new ArgumentException("ImageWidth and ImageHeight are both positive (implicit GON) or both 0 (MLP decoder).", nameof(ImageWidth));
        }
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(BatchSize, nameof(BatchSize));
    }

    /// <summary>A copy.</summary>
    public GonOptions Clone()
    {
        var copy = (GonOptions)MemberwiseClone();
        copy.HiddenSizes = (int[])HiddenSizes.Clone();
        return copy;
    }
}
