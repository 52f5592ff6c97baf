namespace Microsoft.ML.GatedLinear.Training;

/// <summary>
/// A model that, once early stopping has restored its best epoch, recalibrates its predictive uncertainty on the
/// held-out rows — rows it never learned, so their errors measure what new rows will see.
/// </summary>
internal interface ICalibratedOnHeldOutRows
{
    /// <summary>Recalibrates on <paramref name="heldOut"/> (at least one row), replacing any earlier calibration.</summary>
    void Calibrate(IRowSource heldOut);
}
