using System.Numerics.Tensors;

namespace Microsoft.ML.GatedLinear.Gaussian;

public sealed partial class GaussianGlnRegressor
{
    /// <summary>The exact decomposition of the predicted mean of target dimension <paramref name="dimension"/>.</summary>
    /// <param name="features">The row.</param>
    /// <param name="dimension">Which target dimension to explain (0 for a scalar target).</param>
    /// <remarks>Of an average (<see cref="Average"/>), the mean of its models' decompositions, as its mean is theirs.</remarks>
    public MeanAttribution Explain(ReadOnlySpan<float> features, int dimension = 0)
    {
        Data.InputValidation.ValidateRow(features, FeatureCount);
        ArgumentOutOfRangeException.ThrowIfNegative(dimension);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(dimension, TargetDimension);
        MeanAttribution own = ExplainOwn(features, dimension);
        if (_others.Length == 0)
        {
            return own;
        }

        var contributions = own.Contributions.ToArray();
        double intercept = own.Intercept;
        foreach (GaussianGlnRegressor other in _others)
        {
            MeanAttribution part = other.ExplainOwn(features, dimension);
            for (int j = 0; j < contributions.Length; j++)
            {
                contributions[j] += part.Contributions[j];
            }

            intercept += part.Intercept;
        }

        int models = EnsembleSize;
        return new MeanAttribution(contributions.Select(c => c / models).ToArray(), intercept / models);
    }

    private MeanAttribution ExplainOwn(ReadOnlySpan<float> features, int dimension)
    {
        var ws = new Workspace(this);
        _features.Transform(features, ws.Z);
        ComputeBases(features, ws.Z, ws.BaseMeans, ws.BasePrecisions);
        _gating.ComputeContexts(ws.Z, ws.Contexts);
        SetBases(ws);
        _network.Predict(ws.Contexts, ws.Activations);

        // Weight of each neuron's mean in the reported mean: the top neuron alone, or the mixture weights.
        int top = _network.Layers.Count - 1;
        var weights = new double[_network.NeuronCount];
        if (_switching is null)
        {
            weights[^1] = 1;
        }
        else
        {
            _switching.Weights(weights);
        }

        int offset = _network.NeuronCount;
        double intercept = 0;
        double[] above = [];
        for (int i = top; i >= 0; i--)
        {
            GaussianLayer layer = _network.Layers[i];
            offset -= layer.NeuronCount;
            GaussianInputs inputs = ws.Activations.Inputs(i);
            ReadOnlySpan<float> lambda = inputs.PrecisionRow(dimension), mu = inputs.MeanRow(dimension);
            ReadOnlySpan<int> contexts = _network.LayerContexts(ws.Contexts, i);
            int below = layer.InputCount - _network.BiasInputs;
            var coefficients = new double[below];
            for (int k = 0; k < layer.NeuronCount; k++)
            {
                double share = weights[offset + k] + (k < above.Length ? above[k] : 0);
                ReadOnlySpan<float> row = layer.PredictionRow(k, contexts[k]);
                double precision = TensorPrimitives.Dot(row, lambda);
                if (share == 0 || precision <= 0)
                {
                    continue;
                }

                // A mean clamped to ±r no longer depends on the inputs: it is a constant.
                float mean = ws.Activations.NeuronOutput(i, k, dimension).Mean;
                if (Math.Abs(mean) >= (float)_network.Constraints.MeanBound)
                {
                    intercept += share * mean;
                    continue;
                }

                for (int j = 0; j < row.Length; j++)
                {
                    double c = share * row[j] * lambda[j] / precision;
                    if (j < below)
                    {
                        coefficients[j] += c;
                    }
                    else
                    {
                        intercept += c * mu[j];
                    }
                }
            }

            above = coefficients;
        }

        double scale = _targets.Scale(dimension);
        ReadOnlySpan<float> baseMeans = ws.Activations.Inputs(0).MeanRow(dimension);
        var contributions = new double[FeatureCount];
        for (int j = 0; j < FeatureCount; j++)
        {
            contributions[j] = above[j] * baseMeans[j] * scale;
        }

        return new MeanAttribution(contributions, intercept * scale + _targets.Center(dimension));
    }
}
