using System.Runtime.CompilerServices;
using Microsoft.ML.Data;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.GatedLinear.Tests
{
    [TestClass]
    public class OnnxExportTests
    {
        // Microsoft.ML.OnnxConverter 5.0.1 is not served here, so its ConvertToOnnx is stood in for by a class of the
        // same full name that calls Transform as the real one does (OnnxExportExtensions.ConvertToOnnxProtobufCore).
        [TestMethod]
        public void ConvertToOnnxIsRefusedWithTheTransformersNameWhereverItSitsInAChain()
        {
            var ml = new MLContext(seed: 1);
            IDataView data = ml.Data.LoadFromEnumerable(TestData.Xor(200, seed: 2));
            var chain = ml.Transforms.NormalizeMinMax("Features").Append(ml.BinaryClassification.Trainers.GatedLinearClassification(numberOfEpochs: 1)).Fit(data);

            Assert.IsNotNull(chain.Transform(data).Schema.GetColumnOrNull("Probability"), "an ordinary Transform is unaffected");
            var refused = Assert.ThrowsExactly<NotSupportedException>(() => OnnxExportExtensions.ConvertToOnnx(chain, data));
            StringAssert.Contains(refused.Message, nameof(Trainers.GatedLinear.GatedLinearBinaryClassificationTransformer));
            StringAssert.Contains(refused.Message, "ONNX");
        }
    }
}

namespace Microsoft.ML
{
    internal static class OnnxExportExtensions
    {
        [MethodImpl(MethodImplOptions.NoInlining)]
        public static IDataView ConvertToOnnx(ITransformer transform, IDataView inputData) => transform.Transform(inputData);
    }
}
