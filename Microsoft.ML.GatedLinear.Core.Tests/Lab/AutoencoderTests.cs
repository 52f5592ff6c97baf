using Microsoft.ML.GatedLinear.Gon;
using MLGated.Lab;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.GatedLinear.Tests.Lab;

[TestClass]
public class AutoencoderTests
{
    [TestMethod]
    public void TheBaselineAutoencoderLearnsAndMirrorsTheDecoder()
    {
        var options = new GonOptions { LatentDimension = 3, HiddenSizes = [16, 8], LearningRate = 3e-3 };
        var autoencoder = new Autoencoder(16, options);
        var gon = GradientOriginNetwork.Create(16, options);
        Assert.AreEqual(gon.ParameterCount + (16 * 8 + 8) + (8 * 16 + 16) + (16 * 3 + 3), autoencoder.ParameterCount, "encoder 16→8→16→3 mirrors decoder 3→16→8→16");

        float[] images = Enumerable.Range(0, 64 * 16).Select(i => (float)(0.5 + 0.5 * Math.Sin(i * 0.37 + i / 16 * 1.3))).ToArray();
        double first = autoencoder.TrainBatch(images), last = first;
        for (int step = 0; step < 200; step++)
        {
            last = autoencoder.TrainBatch(images);
        }

        Assert.IsTrue(last < 0.5 * first, $"{first} → {last}");
    }
}
