using System.Numerics;

namespace Microsoft.ML.GatedLinear.Numerics;

/// <summary>
/// Adam (Kingma and Ba) over several parameter arrays: per-value first and second moments in double precision,
/// bias-corrected, updating float parameters in place. Every gradient-trained model in the library steps with it.
/// </summary>
internal sealed class Adam
{
    private const double Beta1 = 0.9, Beta2 = 0.999, Epsilon = 1e-8;
    private readonly double[][] _m;
    private readonly double[][] _v;
    private readonly double _learningRate;
    private double _correction1 = 1, _correction2 = 1;

    /// <summary>Moments for parameter arrays of the given lengths.</summary>
    public Adam(IEnumerable<int> lengths, double learningRate)
    {
        _m = lengths.Select(n => new double[n]).ToArray();
        _v = _m.Select(m => new double[m.Length]).ToArray();
        _learningRate = learningRate;
    }

    /// <summary>Steps taken so far.</summary>
    public long Steps { get; private set; }

    /// <summary>Starts step t + 1: every array is then moved once with <see cref="Move{T}"/>.</summary>
    public void BeginStep()
    {
        Steps++;
        _correction1 = 1 - Math.Pow(Beta1, Steps);
        _correction2 = 1 - Math.Pow(Beta2, Steps);
    }

    /// <summary>Moves parameter array <paramref name="index"/> along <paramref name="gradient"/>·<paramref name="scale"/>.</summary>
    public void Move<T>(int index, Span<float> values, ReadOnlySpan<T> gradient, double scale = 1)
        where T : INumberBase<T>
    {
        double[] m = _m[index], v = _v[index];
        for (int i = 0; i < values.Length; i++)
        {
            double g = double.CreateTruncating(gradient[i]) * scale;
            m[i] = Beta1 * m[i] + (1 - Beta1) * g;
            v[i] = Beta2 * v[i] + (1 - Beta2) * g * g;
            values[i] -= (float)(_learningRate * (m[i] / _correction1) / (Math.Sqrt(v[i] / _correction2) + Epsilon));
        }
    }
}
