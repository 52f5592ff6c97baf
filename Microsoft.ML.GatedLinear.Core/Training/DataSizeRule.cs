namespace Microsoft.ML.GatedLinear.Training;

/// <summary>The part of the trainers' data-size rules both GLNs share: how many hyperplanes the training rows can feed.</summary>
internal static class DataSizeRule
{
    /// <summary>
    /// ⌊log₂ rows⌋ − <paramref name="log2RowsPerWeightRow"/> within [<paramref name="min"/>, <paramref name="max"/>]: the
    /// context dimension s at which each of a neuron's 2^s weight rows sees about 2^<paramref name="log2RowsPerWeightRow"/>
    /// rows per epoch.
    /// </summary>
    public static int ContextDimension(long rows, int log2RowsPerWeightRow, int min, int max)
        => Math.Clamp((int)Math.Floor(Math.Log2(Math.Max(rows, 1))) - log2RowsPerWeightRow, min, max);
}
