using Microsoft.ML.Data;

namespace Microsoft.ML.GatedLinear.Tests;

public sealed class RegressionRow
{
    public float Label { get; set; }

    [VectorType(3)]
    public float[] Features { get; set; } = [];
}

public sealed class RegressionPrediction
{
    public float Score { get; set; }

    public float Variance { get; set; }
}

public sealed class BinaryRow
{
    public bool Label { get; set; }

    [VectorType(2)]
    public float[] Features { get; set; } = [];
}

public sealed class BinaryPrediction
{
    public float Score { get; set; }

    public float Probability { get; set; }

    public bool PredictedLabel { get; set; }
}

public sealed class ClassRow
{
    public string Label { get; set; } = string.Empty;

    [VectorType(2)]
    public float[] Features { get; set; } = [];
}

public sealed class ClassPrediction
{
    public string PredictedLabel { get; set; } = string.Empty;

    public float[] Score { get; set; } = [];
}

public sealed class VectorRow
{
    [VectorType(2)]
    public float[] Label { get; set; } = [];

    [VectorType(1)]
    public float[] Features { get; set; } = [];
}

/// <summary>A core model's file, as bytes: two equal models give equal bytes.</summary>
internal static class ModelBytes
{
    public static byte[] Of(Bernoulli.BernoulliGlnClassifier model) => Saved(model.Save);

    public static byte[] Of(Gaussian.GaussianGlnRegressor model) => Saved(model.Save);

    private static byte[] Saved(Action<Stream> save)
    {
        using var stream = new MemoryStream();
        save(stream);
        return stream.ToArray();
    }
}

/// <summary>Small data sets made by the tests.</summary>
internal static class TestData
{
    /// <summary>y = 3 + 2a − b + 0.5c + N(0, 0.3²), features ~ N(0, 1) scaled differently.</summary>
    public static List<RegressionRow> Regression(int rows, int seed)
    {
        var random = new Random(seed);
        var list = new List<RegressionRow>();
        for (int i = 0; i < rows; i++)
        {
            float a = Gaussian(random), b = 10 * Gaussian(random), c = Gaussian(random) + 5;
            list.Add(new RegressionRow { Features = [a, b, c], Label = 3 + 2 * a - b / 10 + 0.5f * c + 0.3f * Gaussian(random) });
        }

        return list;
    }

    /// <summary>XOR of signs: no linear separator.</summary>
    public static List<BinaryRow> Xor(int rows, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, rows).Select(_ =>
        {
            float a = (float)(2 * random.NextDouble() - 1), b = (float)(2 * random.NextDouble() - 1);
            return new BinaryRow { Features = [a, b], Label = (a > 0) ^ (b > 0) };
        }).ToList();
    }

    /// <summary>Three named classes as blobs.</summary>
    public static List<ClassRow> Blobs(int rows, int seed)
    {
        var random = new Random(seed);
        string[] names = ["setosa", "versicolor", "virginica"];
        return Enumerable.Range(0, rows).Select(_ =>
        {
            int k = random.Next(3);
            double angle = 2 * Math.PI * k / 3;
            return new ClassRow { Label = names[k], Features = [(float)(3 * Math.Cos(angle) + 0.7 * Gaussian(random)), (float)(3 * Math.Sin(angle) + 0.7 * Gaussian(random))] };
        }).ToList();
    }

    public static float Gaussian(Random random) => (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));
}
