namespace Microsoft.ML.GatedLinear.Gating;

/// <summary>Which way a gated neuron's fixed hyperplanes face.</summary>
public enum HyperplaneDirection
{
    /// <summary>
    /// Uniform on the sphere (v = g/‖g‖, g ~ N(0, I)), as in the GLN papers: every hyperplane mixes all features, so a
    /// context is an oblique region.
    /// </summary>
    Random = 0,

    /// <summary>
    /// Along one feature drawn uniformly (v = e_j): every hyperplane thresholds a single standardized feature at its offset,
    /// so a context is a box, as a decision tree's leaf is. On tabular data with many or one-hot features it learns far
    /// more than oblique gating (the `defaults` benchmark, benchmarks/RESULTS.md, session 19).
    /// </summary>
    FeatureAxis = 1,
}
