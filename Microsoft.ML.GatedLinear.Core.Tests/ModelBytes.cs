using Microsoft.ML.GatedLinear.Bernoulli;

namespace Microsoft.ML.GatedLinear.Tests;

internal static class ModelBytes
{
    public static byte[] Of(BernoulliGlnClassifier model)
    {
        using var stream = new MemoryStream();
        model.Save(stream);
        return stream.ToArray();
    }

    public static BernoulliGlnClassifier RoundTrip(BernoulliGlnClassifier model)
    {
        using var stream = new MemoryStream(Of(model));
        return BernoulliGlnClassifier.Load(stream);
    }
}
