using System.Numerics.Tensors;

namespace Microsoft.ML.GatedLinear.Bernoulli;

/// <summary>
/// Collapses a network's prediction into a weighted sum of its base input logits. Given the active rows,
/// every unclipped neuron is linear in the logits below it, so composing the rows from the top down
/// gives exact coefficients. A clipped neuron outputs a constant (±L), and the bias inputs are constant
/// too: both go into the intercept.
/// </summary>
internal static class BernoulliAttribution
{
    /// <summary>Fills <paramref name="coefficients"/> (one per base input) and returns the intercept, for the example in <paramref name="activations"/>.</summary>
    public static double Compute(BernoulliNetwork network, ReadOnlySpan<int> contexts, BernoulliNetwork.Activations activations, Span<double> coefficients)
    {
        network.Predict(contexts, activations);
        double intercept = 0;
        double[] above = [1.0];
        for (int i = network.Layers.Count - 1; i >= 0; i--)
        {
            BernoulliLayer layer = network.Layers[i];
            ReadOnlySpan<float> input = activations.Inputs[i];
            ReadOnlySpan<int> layerContexts = network.LayerContexts(contexts, i);
            var below = new double[layer.InputCount - 1];
            for (int k = 0; k < layer.NeuronCount; k++)
            {
                if (above[k] == 0)
                {
                    continue;
                }

                ReadOnlySpan<float> row = layer.ActiveRow(k, layerContexts[k]);
                float raw = TensorPrimitives.Dot(row, input);
                if (raw > network.MaxLogit || raw < -network.MaxLogit)
                {
                    intercept += above[k] * Math.Clamp(raw, -network.MaxLogit, network.MaxLogit);
                    continue;
                }

                for (int j = 0; j < below.Length; j++)
                {
                    below[j] += above[k] * row[j];
                }

                intercept += above[k] * row[^1] * network.BiasLogit;
            }

            above = below;
        }

        above.CopyTo(coefficients);
        return intercept;
    }
}
