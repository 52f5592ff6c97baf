using Microsoft.ML.GatedLinear.Gating;

namespace Microsoft.ML.GatedLinear.Bernoulli;

/// <summary>
/// A layer of Bernoulli neurons. Each neuron has a table of 2^s weight rows, one per context;
/// only the row its context selects is read or changed for a given example.
/// </summary>
internal sealed class BernoulliLayer(int neuronCount, int inputCount, int contextCount, float[] weights)
    : GatedLayer(neuronCount, inputCount, contextCount, weights)
{
    public static BernoulliLayer Create(int neuronCount, int inputCount, int contextCount, float initialWeight)
    {
        var weights = new float[(long)neuronCount * contextCount * inputCount];
        weights.AsSpan().Fill(initialWeight);
        return new BernoulliLayer(neuronCount, inputCount, contextCount, weights);
    }

    /// <summary>Output logits of every neuron for the given input logits and contexts.</summary>
    public void Predict(ReadOnlySpan<float> input, ReadOnlySpan<int> contexts, Span<float> outputLogits, float maxLogit)
    {
        int k = 0;
        for (; k + 4 <= NeuronCount; k += 4)
        {
            PredictFour(k, input, contexts, outputLogits, maxLogit);
        }

        for (; k < NeuronCount; k++)
        {
            outputLogits[k] = BernoulliNeuron.PredictLogit(ActiveRow(k, contexts[k]), input, maxLogit);
        }
    }

    /// <summary>
    /// Predicts and then updates each neuron's active row while it is in cache. The logits written are
    /// the pre-update predictions, so this equals a forward pass followed by the local updates.
    /// </summary>
    public void PredictAndUpdate(ReadOnlySpan<float> input, ReadOnlySpan<int> contexts, Span<float> outputLogits, float target, float maxLogit, float learningRate, float weightBound)
    {
        int k = 0;
        for (; k + 4 <= NeuronCount; k += 4)
        {
            // Each neuron updates only its own row, so four predictions then four updates equal four predict-updates.
            PredictFour(k, input, contexts, outputLogits, maxLogit);
            for (int n = k; n < k + 4; n++)
            {
                RowsWritten += BernoulliNeuron.Update(ActiveRow(n, contexts[n]), input, outputLogits[n], target, maxLogit, learningRate, weightBound) ? 1 : 0;
            }
        }

        for (; k < NeuronCount; k++)
        {
            Span<float> row = ActiveRow(k, contexts[k]);
            float logit = BernoulliNeuron.PredictLogit(row, input, maxLogit);
            outputLogits[k] = logit;
            RowsWritten += BernoulliNeuron.Update(row, input, logit, target, maxLogit, learningRate, weightBound) ? 1 : 0;
        }
    }

    private void PredictFour(int k, ReadOnlySpan<float> input, ReadOnlySpan<int> contexts, Span<float> outputLogits, float maxLogit)
        => BernoulliNeuron.PredictLogits(ActiveRow(k, contexts[k]), ActiveRow(k + 1, contexts[k + 1]), ActiveRow(k + 2, contexts[k + 2]), ActiveRow(k + 3, contexts[k + 3]), input, maxLogit, outputLogits.Slice(k, 4));

    /// <summary>Weight rows the updates have written (a right prediction on the clip writes none), for memory-traffic accounting.</summary>
    public long RowsWritten { get; private set; }
}
