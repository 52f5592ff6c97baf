namespace Microsoft.ML.Trainers.GatedLinear;

/// <summary>
/// How well a regression model's predictive distributions and intervals fit held-out labels: what
/// <see cref="GatedLinearCatalog.EvaluateIntervals"/> returns.
/// </summary>
public sealed class RegressionIntervalMetrics
{
    internal RegressionIntervalMetrics(long rowCount, double negativeLogLikelihood, double continuousRankedProbabilityScore, double coverage, double meanIntervalWidth)
    {
        RowCount = rowCount;
        NegativeLogLikelihood = negativeLogLikelihood;
        ContinuousRankedProbabilityScore = continuousRankedProbabilityScore;
        Coverage = coverage;
        MeanIntervalWidth = meanIntervalWidth;
    }

    /// <summary>Rows evaluated.</summary>
    public long RowCount { get; }

    /// <summary>Mean of −log N(label; Score, Variance), in nats: lower is better; it punishes over-confidence hardest.</summary>
    public double NegativeLogLikelihood { get; }

    /// <summary>
    /// Mean continuous ranked probability score of N(Score, Variance) at the label, in the label's units: lower is better;
    /// it equals the mean absolute error when the variance is 0, so it compares with MAE.
    /// </summary>
    public double ContinuousRankedProbabilityScore { get; }

    /// <summary>Share of labels inside [Lower, Upper]; NaN when the data has no interval columns.</summary>
    public double Coverage { get; }

    /// <summary>Mean of Upper − Lower, in the label's units; NaN when the data has no interval columns.</summary>
    public double MeanIntervalWidth { get; }
}
