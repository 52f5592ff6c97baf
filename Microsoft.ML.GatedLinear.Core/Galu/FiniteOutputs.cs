namespace Microsoft.ML.GatedLinear.Galu;

/// <summary>
/// Finite weights can still overflow float arithmetic on a row (a corrupted or diverged model, or a row far off the
/// scale of the training data): a GaLU refuses to predict then rather than hand out ±∞ or NaN.
/// </summary>
internal static class FiniteOutputs
{
    public static void Ensure(ReadOnlySpan<float> outputs)
    {
        for (int o = 0; o < outputs.Length; o++)
        {
            if (!float.IsFinite(outputs[o]))
            {
                throw new InvalidOperationException($"Output {o} is {outputs[o]}: the network's weights overflow float arithmetic on this row (a corrupted or diverged model, or a row far outside the scale of the training data).");
            }
        }
    }
}
