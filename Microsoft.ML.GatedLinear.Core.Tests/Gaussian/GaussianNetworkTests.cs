using Microsoft.ML.GatedLinear.Gaussian;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.GatedLinear.Tests.Gaussian;

[TestClass]
public class GaussianNetworkTests
{
    private static GaussianNetwork Network(int features, params int[] sizes)
    {
        int[] inputs = GaussianNetwork.InputCounts(features, sizes, biasInputs: 2);
        GaussianLayer[] layers = [.. sizes.Select((n, i) => GaussianLayer.Create(n, inputs[i], contextCount: 4, averagingHorizon: 0))];
        return new GaussianNetwork(layers, 1, diagonal: false, [-1f, 1f], 1f, new GaussianConstraints(10, 1e-3, 1e3, 1, 10));
    }

    [TestMethod]
    // Work per layer = neurons × (inputs + 64), 4 features and 2 biases:
    // [512, 64, 1]: 35 840 | 36 992 + 130 — cut 1 leaves each side about half.
    [DataRow(new[] { 512, 64, 1 }, 1)]
    // [16, 256, 128, 1]: 1 120 + 20 992 | 41 216 + 194 — cut 2, the heavier side 65 % of the work.
    [DataRow(new[] { 16, 256, 128, 1 }, 2)]
    // [512, 1]: 35 840 | 578 — no cut leaves the smaller side a quarter, so no pipeline.
    [DataRow(new[] { 512, 1 }, 0)]
    // One layer: nothing to cut.
    [DataRow(new[] { 1 }, 0)]
    public void ThePipelineCutBalancesTheLayersWork(int[] sizes, int cut)
        => Assert.AreEqual(cut, Network(4, sizes).PipelineCut);
}
