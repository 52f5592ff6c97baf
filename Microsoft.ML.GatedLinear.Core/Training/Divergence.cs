using System.Numerics.Tensors;

namespace Microsoft.ML.GatedLinear.Training;

/// <summary>
/// The one check, and message, for gradient-trained models whose loss or gradient stops being a number: the step is
/// refused before it writes NaN into every weight, and the user is told the likely cause.
/// </summary>
internal static class Divergence
{
    /// <summary>Throws <see cref="InvalidOperationException"/> unless the loss and every gradient value are finite.</summary>
    /// <param name="loss">A mini-batch's loss, before its optimizer step.</param>
    /// <param name="gradients">The gradients the step would apply.</param>
    /// <param name="model">The model, for the message.</param>
    public static void Check<T>(double loss, IEnumerable<T[]> gradients, string model)
        where T : System.Numerics.IFloatingPointIeee754<T>
    {
        // A sum of finite floats overflows only when the step would be absurd anyway; NaN and ±∞ always show in it.
        if (!double.IsFinite(loss) || gradients.Any(g => !T.IsFinite(TensorPrimitives.Sum<T>(g))))
        {
            throw new InvalidOperationException($"{model} training diverged: a mini-batch's loss ({loss}) or gradient is not finite, so its step was not taken. The inputs are most likely unscaled: normalize the features (NormalizeMeanVariance, or images scaled to [0, 1]); otherwise lower the learning rate.");
        }
    }
}
