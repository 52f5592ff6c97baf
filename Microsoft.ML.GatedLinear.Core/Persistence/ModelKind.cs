namespace Microsoft.ML.GatedLinear.Persistence;

/// <summary>Which model a file holds; stored in the file header.</summary>
internal enum ModelKind : ushort
{
    /// <summary>A <see cref="Bernoulli.BernoulliGlnClassifier"/>.</summary>
    BernoulliGlnClassifier = 1,

    /// <summary>A <see cref="Gaussian.GaussianGlnRegressor"/>.</summary>
    GaussianGlnRegressor = 2,

    /// <summary>A <see cref="Galu.ClosedFormGalu"/>.</summary>
    ClosedFormGalu = 3,

    /// <summary>A <see cref="Galu.DeepGaluNetwork"/>.</summary>
    DeepGaluNetwork = 4,

    /// <summary>A <see cref="Gon.GradientOriginNetwork"/>.</summary>
    GradientOriginNetwork = 5,
}
