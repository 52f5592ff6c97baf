namespace Microsoft.ML.GatedLinear.Training;

/// <summary>A model that learns from labeled rows one at a time, in order.</summary>
/// <typeparam name="TLabel">The label type.</typeparam>
public interface IOnlineLearner<TLabel>
{
    /// <summary>Features per row.</summary>
    int FeatureCount { get; }

    /// <summary>Learns from a batch of rows, in order: the result equals learning each row on its own.</summary>
    /// <param name="rows">Row-major [labels.Length × FeatureCount].</param>
    /// <param name="labels">One label per row.</param>
    void Learn(ReadOnlySpan<float> rows, ReadOnlySpan<TLabel> labels);
}
