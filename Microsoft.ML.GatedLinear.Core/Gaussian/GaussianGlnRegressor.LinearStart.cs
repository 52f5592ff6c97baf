namespace Microsoft.ML.GatedLinear.Gaussian;

public sealed partial class GaussianGlnRegressor
{
    /// <summary>
    /// Starts every weight row of the first layer at <paramref name="linearModel"/>'s one row (the row it predicts with:
    /// the averaged one when it averages), so that each first-layer neuron begins as the linear special case in every
    /// context and learns departures from it; the layers above keep their start, the geometric average of their inputs.
    /// The two must read the same inputs: the same features, target, standardization and bias inputs.
    /// </summary>
    /// <remarks>
    /// From the usual start (every weight 1/m) a neuron first has to learn the linear trend in each of its 2^s contexts
    /// apart, from the few rows each sees; from the linear model it only learns what differs (benchmarks/RESULTS.md,
    /// session 22, three cross-validation seeds: naval's RMSE −13 %, yacht's −9 %, kin8nm's −1 %, power plant's +0.6 %).
    /// </remarks>
    /// <exception cref="ArgumentException"><paramref name="linearModel"/> is not one ungated neuron over this network's inputs.</exception>
    internal void StartFirstLayerFrom(GaussianGlnRegressor linearModel)
    {
        ArgumentNullException.ThrowIfNull(linearModel);
        GaussianLayer source = linearModel._network.Layers[0], first = _network.Layers[0];
        if (linearModel._network.Layers.Count != 1 || source.NeuronCount != 1 || source.ContextCount != 1 || linearModel._others.Length > 0)
        {
            throw new ArgumentException("The model to start from must be a linear special case: one ungated neuron.", nameof(linearModel));
        }

        if (source.InputCount != first.InputCount || linearModel.TargetDimension != TargetDimension || linearModel._network.PrecisionRows != _network.PrecisionRows
            || !_features.SameAs(linearModel._features) || !_targets.SameAs(linearModel._targets))
        {
            throw new ArgumentException("The linear model reads other inputs than this network's first layer (features, target or standardization differ).", nameof(linearModel));
        }

        ReadOnlySpan<float> row = source.PredictionRow(0, 0);
        for (int k = 0; k < first.NeuronCount; k++)
        {
            for (int c = 0; c < first.ContextCount; c++)
            {
                row.CopyTo(first.ActiveRow(k, c));
                row.CopyTo(first.PredictionRow(k, c));
            }
        }
    }
}
