namespace Microsoft.ML.GatedLinear.Training;

/// <summary>How a model standardizes its inputs before gating and base prediction.</summary>
public enum StandardizationMode
{
    /// <summary>Running mean and variance, updated with every training row (Welford), frozen at prediction.</summary>
    Online = 0,

    /// <summary>Mean and standard deviation supplied by the caller, never updated.</summary>
    Supplied = 1,

    /// <summary>Inputs are used as given (already standardized, e.g. by an ML.NET normalizer).</summary>
    None = 2,
}
