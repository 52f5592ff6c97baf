using Microsoft.ML.GatedLinear.Data;
using Microsoft.ML.GatedLinear.Numerics;

namespace Microsoft.ML.GatedLinear.Tests;

/// <summary>Small data sets the tests make for themselves.</summary>
internal static class Synthetic
{
    /// <summary>Twenty standard normal features; the label is an XOR of thresholds on features 0 and 1, the rest is noise.</summary>
    public static LabeledData<int> XorOfTwoAmongTwenty(int rows, int seed)
    {
        var random = new SeededRandom(seed);
        var x = new float[rows * 20];
        var y = new int[rows];
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < 20; j++)
            {
                x[i * 20 + j] = (float)random.NextGaussian();
            }

            y[i] = (x[i * 20] > 0.5f) ^ (x[i * 20 + 1] > -0.5f) ? 1 : 0;
        }

        return new LabeledData<int>(x, y, 20);
    }

    /// <summary>XOR of the signs of two uniform coordinates in [−1, 1]: no linear separator exists.</summary>
    public static LabeledData<int> Xor(int rows, int seed)
    {
        var random = new SeededRandom(seed);
        var x = new float[rows * 2];
        var y = new int[rows];
        for (int i = 0; i < rows; i++)
        {
            float a = (float)(2 * random.NextDouble() - 1), b = (float)(2 * random.NextDouble() - 1);
            x[2 * i] = a;
            x[2 * i + 1] = b;
            y[i] = (a > 0) ^ (b > 0) ? 1 : 0;
        }

        return new LabeledData<int>(x, y, 2, ["a", "b"]);
    }

    /// <summary>Two interleaved half circles with Gaussian noise (scikit-learn's make_moons).</summary>
    public static LabeledData<int> TwoMoons(int rows, double noise, int seed)
    {
        var random = new SeededRandom(seed);
        var x = new float[rows * 2];
        var y = new int[rows];
        for (int i = 0; i < rows; i++)
        {
            int label = i % 2;
            double t = Math.PI * random.NextDouble();
            double px = label == 0 ? Math.Cos(t) : 1 - Math.Cos(t);
            double py = label == 0 ? Math.Sin(t) : 0.5 - Math.Sin(t);
            x[2 * i] = (float)(px + noise * random.NextGaussian());
            x[2 * i + 1] = (float)(py + noise * random.NextGaussian());
            y[i] = label;
        }

        return new LabeledData<int>(x, y, 2);
    }

    /// <summary>Classes as Gaussian blobs whose centres sit on a circle, in <paramref name="dimension"/> dimensions (the rest is noise).</summary>
    public static LabeledData<int> Blobs(int rows, int classes, int dimension, double spread, int seed)
    {
        var random = new SeededRandom(seed);
        var x = new float[rows * dimension];
        var y = new int[rows];
        for (int i = 0; i < rows; i++)
        {
            int label = random.NextInt(classes);
            double angle = 2 * Math.PI * label / classes;
            for (int j = 0; j < dimension; j++)
            {
                double centre = j == 0 ? 3 * Math.Cos(angle) : j == 1 ? 3 * Math.Sin(angle) : 0;
                x[i * dimension + j] = (float)(centre + spread * random.NextGaussian());
            }

            y[i] = label;
        }

        return new LabeledData<int>(x, y, dimension);
    }

    /// <summary>The G-GLN paper's heteroskedastic example: x ~ U[0, 1], mean 2[exp(−30(x−¼)²) + sin(πx²)] − 2, log sd sin(2πx).</summary>
    public static LabeledData<float> Heteroskedastic(int rows, int seed)
    {
        var random = new SeededRandom(seed);
        var x = new float[rows];
        var y = new float[rows];
        for (int i = 0; i < rows; i++)
        {
            double v = random.NextDouble();
            x[i] = (float)v;
            y[i] = (float)(HeteroskedasticMean(v) + Math.Exp(Math.Sin(2 * Math.PI * v)) * random.NextGaussian());
        }

        return new LabeledData<float>(x, y, 1, ["x"]);
    }

    public static double HeteroskedasticMean(double x) => 2 * (Math.Exp(-30 * (x - 0.25) * (x - 0.25)) + Math.Sin(Math.PI * x * x)) - 2;

    /// <summary>y = 10 + 3·Σ_j c_j·x_j + noise (c_j = 1.5 for even j, −0.7 for odd j) over <paramref name="dimension"/> features: a plain linear target.</summary>
    public static LabeledData<float> Linear(int rows, int dimension, double noise, int seed)
    {
        var random = new SeededRandom(seed);
        var x = new float[rows * dimension];
        var y = new float[rows];
        for (int i = 0; i < rows; i++)
        {
            double sum = 0;
            for (int j = 0; j < dimension; j++)
            {
                x[i * dimension + j] = (float)random.NextGaussian();
                sum += (j % 2 == 0 ? 1.5 : -0.7) * x[i * dimension + j];
            }

            y[i] = (float)(10 + 3 * sum + noise * random.NextGaussian());
        }

        return new LabeledData<float>(x, y, dimension);
    }

    public static double Accuracy(Func<ReadOnlyMemory<float>, int> predict, LabeledData<int> data)
    {
        int correct = 0;
        for (int i = 0; i < data.RowCount; i++)
        {
            correct += predict(data.Row(i).ToArray()) == data.Labels[i] ? 1 : 0;
        }

        return (double)correct / data.RowCount;
    }
}
