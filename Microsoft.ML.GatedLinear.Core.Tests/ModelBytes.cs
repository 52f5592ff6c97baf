using Microsoft.ML.GatedLinear.Bernoulli;
using Microsoft.ML.GatedLinear.Gaussian;

namespace Microsoft.ML.GatedLinear.Tests;

internal static class ModelBytes
{
    public static byte[] Of(BernoulliGlnClassifier model) => Saved(model.Save);

    public static BernoulliGlnClassifier RoundTrip(BernoulliGlnClassifier model)
    {
        using var stream = new MemoryStream(Of(model));
        return BernoulliGlnClassifier.Load(stream);
    }

    public static byte[] Of(GaussianGlnRegressor model) => Saved(model.Save);

    public static GaussianGlnRegressor RoundTrip(GaussianGlnRegressor model)
    {
        using var stream = new MemoryStream(Of(model));
        return GaussianGlnRegressor.Load(stream);
    }

    private static byte[] Saved(Action<Stream> save)
    {
        using var stream = new MemoryStream();
        save(stream);
        return stream.ToArray();
    }
}
