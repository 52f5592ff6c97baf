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
    /// so a context is a box, as a decision tree's leaf is. On the `defaults` benchmark it lowered the G-GLN's error on
    /// seven of ten regression sets (energy's by 62 %) and the B-GLN's on four of six classification sets (MNIST-10k's by
    /// 28 %; higher on breast cancer and iris), over three seeds (benchmarks/RESULTS.md, session 19).
    /// </summary>
    FeatureAxis = 1,
}
