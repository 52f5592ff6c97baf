namespace Microsoft.ML.Trainers.GatedLinear;

/// <summary>
/// Runs a row's prediction once per input position, whichever of its output columns asks first: the getters of one
/// row share it, and a new position (the next row of a cursor, or the next example a PredictionEngine writes into its
/// input row) triggers a new one.
/// </summary>
internal sealed class RowPrediction(DataViewRow input, Action predict)
{
    private long? _position;

    public void Ensure()
    {
        if (_position != input.Position)
        {
            predict();
            _position = input.Position;
        }
    }
}
