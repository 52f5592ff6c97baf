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
        => LearnRows(input, contexts, NeuronCount, outputLogits, NeuronCount, new ReadOnlySpan<float>(in target), new ReadOnlySpan<float>(in learningRate), maxLogit, weightBound);

    /// <summary>
    /// <see cref="PredictAndUpdate"/> on rows 0 … n − 1 (n = <paramref name="targets"/>.Length), four neurons at a time
    /// through all the rows. Each neuron depends only on its own row and the inputs, and still sees the rows in order, so
    /// its weights end bit for bit as after learning row by row; but a group's 4 × 2^s weight rows stay in cache through
    /// the batch instead of coming from memory once per row. Row r's inputs are inputs[r × InputCount …], its contexts
    /// contexts[r × <paramref name="contextStride"/> …], its pre-update logits go to outputs[r × <paramref name="outputStride"/> …].
    /// </summary>
    public void LearnRows(ReadOnlySpan<float> inputs, ReadOnlySpan<int> contexts, int contextStride, Span<float> outputs, int outputStride, ReadOnlySpan<float> targets, ReadOnlySpan<float> learningRates, float maxLogit, float weightBound)
    {
        int n = targets.Length, m = InputCount, k = 0;
        long written = 0;
        for (; k + 4 <= NeuronCount; k += 4)
        {
            for (int r = 0; r < n; r++)
            {
                // Each neuron updates only its own row, so four predictions then four updates equal four predict-updates.
                ReadOnlySpan<float> input = inputs.Slice(r * m, m);
                ReadOnlySpan<int> rowContexts = contexts.Slice(r * contextStride);
                Span<float> rowLogits = outputs.Slice(r * outputStride);
                PredictFour(k, input, rowContexts, rowLogits, maxLogit);
                for (int j = k; j < k + 4; j++)
                {
                    written += BernoulliNeuron.Update(ActiveRow(j, rowContexts[j]), input, rowLogits[j], targets[r], maxLogit, learningRates[r], weightBound) ? 1 : 0;
                }
            }
        }

        for (; k < NeuronCount; k++)
        {
            for (int r = 0; r < n; r++)
            {
                ReadOnlySpan<float> input = inputs.Slice(r * m, m);
                Span<float> row = ActiveRow(k, contexts[r * contextStride + k]);
                float logit = BernoulliNeuron.PredictLogit(row, input, maxLogit);
                outputs[r * outputStride + k] = logit;
                written += BernoulliNeuron.Update(row, input, logit, targets[r], maxLogit, learningRates[r], weightBound) ? 1 : 0;
            }
        }

        RowsWritten += written;
    }

    private void PredictFour(int k, ReadOnlySpan<float> input, ReadOnlySpan<int> contexts, Span<float> outputLogits, float maxLogit)
        => BernoulliNeuron.PredictLogits(ActiveRow(k, contexts[k]), ActiveRow(k + 1, contexts[k + 1]), ActiveRow(k + 2, contexts[k + 2]), ActiveRow(k + 3, contexts[k + 3]), input, maxLogit, outputLogits.Slice(k, 4));

    /// <summary>Weight rows the updates have written (a right prediction on the clip writes none), for memory-traffic accounting.</summary>
    public long RowsWritten { get; private set; }
}
