namespace Microsoft.ML.GatedLinear.Training;

/// <summary>
/// A model that, once early stopping has restored its best epoch, recalibrates its predictive uncertainty on
/// predictions of held-out rows — rows it never learned, each predicted by a model chosen without it (see
/// <see cref="EarlyStopping"/>), so their errors measure what new rows will see.
/// </summary>
internal interface ICalibratedOnHeldOutRows
{
    /// <summary>The model's predictions, as it is now, of <paramref name="rows"/> together with their targets.</summary>
    HeldOutPredictions PredictHeldOut(IRowSource rows);

    /// <summary>Recalibrates on <paramref name="predictions"/> (at least one row), replacing any earlier calibration.</summary>
    void Calibrate(HeldOutPredictions predictions);
}

/// <summary>Predicted Gaussians and targets of held-out rows, row-major [rows × <paramref name="Dimensions"/>].</summary>
internal sealed record HeldOutPredictions(double[] Means, double[] Variances, float[] Targets, int Dimensions)
{
    /// <summary>The rows of all <paramref name="parts"/> (at least one), in order.</summary>
    public static HeldOutPredictions Concat(IReadOnlyList<HeldOutPredictions> parts)
        => new([.. parts.SelectMany(p => p.Means)], [.. parts.SelectMany(p => p.Variances)], [.. parts.SelectMany(p => p.Targets)], parts[0].Dimensions);
}
