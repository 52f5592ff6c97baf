using Microsoft.ML.GatedLinear.Bernoulli;
using Microsoft.ML.GatedLinear.Numerics;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.GatedLinear.Tests.Bernoulli;

[TestClass]
public class BernoulliNetworkTests
{
    [TestMethod]
    [DataRow(1f)]
    [DataRow(0f)]
    public void EveryNeuronsLocalLossFallsOnARepeatedExample(float target)
    {
        var network = BernoulliNetwork.Create(6, [5, 3, 1], contextCount: 4, uniformInitialWeights: true, biasLogit: 1f, maxLogit: Logistic.ClippingBound(0.001), weightBound: 5f);
        var activations = network.CreateActivations();
        var random = new SeededRandom(5);
        for (int j = 0; j < 6; j++)
        {
            activations.BaseInputs[j] = (float)random.NextGaussian();
        }

        int[] contexts = Enumerable.Range(0, network.NeuronCount).Select(n => n % 4).ToArray();
        double[] first = NeuronLosses(network, contexts, activations, target);
        for (int step = 0; step < 30; step++)
        {
            network.Learn(contexts, activations, target, 0.05f);
        }

        double[] last = NeuronLosses(network, contexts, activations, target);
        for (int n = 0; n < first.Length; n++)
        {
            Assert.IsTrue(last[n] < first[n], $"neuron {n}: loss {first[n]} → {last[n]}");
        }
    }

    [TestMethod]
    public void OnlyTheActiveRowOfEachNeuronChanges()
    {
        var network = BernoulliNetwork.Create(3, [2, 1], contextCount: 4, uniformInitialWeights: true, biasLogit: 1f, maxLogit: 4.6f, weightBound: 5f);
        var activations = network.CreateActivations();
        activations.BaseInputs.Fill(0.7f);
        float[][] before = network.Layers.Select(l => l.Weights.ToArray()).ToArray();
        int[] contexts = [2, 1, 3];
        network.Learn(contexts, activations, 1f, 0.1f);

        for (int i = 0; i < network.Layers.Count; i++)
        {
            BernoulliLayer layer = network.Layers[i];
            ReadOnlySpan<int> active = network.LayerContexts(contexts, i);
            for (int k = 0; k < layer.NeuronCount; k++)
            {
                for (int c = 0; c < layer.ContextCount; c++)
                {
                    int offset = (k * layer.ContextCount + c) * layer.InputCount;
                    bool changed = !layer.Weights.AsSpan(offset, layer.InputCount).SequenceEqual(before[i].AsSpan(offset, layer.InputCount));
                    Assert.AreEqual(c == active[k], changed, $"layer {i}, neuron {k}, context {c}");
                }
            }
        }
    }

    private static double[] NeuronLosses(BernoulliNetwork network, int[] contexts, BernoulliNetwork.Activations activations, float target)
    {
        network.Predict(contexts, activations);
        var losses = new List<double>();
        for (int i = 0; i < network.Layers.Count; i++)
        {
            foreach (float logit in activations.OutputOf(i))
            {
                losses.Add(BernoulliNeuron.LogLoss(logit, target));
            }
        }

        return losses.ToArray();
    }
}
