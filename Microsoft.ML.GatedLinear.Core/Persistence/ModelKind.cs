namespace Microsoft.ML.GatedLinear.Persistence;

/// <summary>Which model a file holds; stored in the file header.</summary>
internal enum ModelKind : ushort
{
    /// <summary>A <c>BernoulliGlnClassifier</c>.</summary>
    BernoulliGlnClassifier = 1,

    /// <summary>A <c>GaussianGlnRegressor</c>.</summary>
    GaussianGlnRegressor = 2,

    /// <summary>A <c>ClosedFormGalu</c>.</summary>
    ClosedFormGalu = 3,

    /// <summary>A <c>DeepGaluNetwork</c>.</summary>
    DeepGaluNetwork = 4,

    /// <summary>A <c>GradientOriginNetwork</c>.</summary>
    GradientOriginNetwork = 5,
}
