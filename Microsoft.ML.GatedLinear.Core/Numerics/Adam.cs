using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

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
        int i = 0;
        if (typeof(T) == typeof(float) && Vector256.IsHardwareAccelerated)
        {
            i = MoveVectorized(values, MemoryMarshal.CreateReadOnlySpan(ref Unsafe.As<T, float>(ref MemoryMarshal.GetReference(gradient)), gradient.Length), m, v, scale);
        }

        for (; i < values.Length; i++)
        {
            double g = double.CreateTruncating(gradient[i]) * scale;
            m[i] = Beta1 * m[i] + (1 - Beta1) * g;
            v[i] = Beta2 * v[i] + (1 - Beta2) * g * g;
            values[i] -= (float)(_learningRate * (m[i] / _correction1) / (Math.Sqrt(v[i] / _correction2) + Epsilon));
        }
    }

    /// <summary>
    /// The same arithmetic, operation for operation, four doubles at a time (so the result is bit-identical to the scalar
    /// loop); returns how many values it moved. Adam was a tenth of a GON training step.
    /// </summary>
    private int MoveVectorized(Span<float> values, ReadOnlySpan<float> gradient, double[] m, double[] v, double scale)
    {
        ref float value = ref MemoryMarshal.GetReference(values);
        ref float grad = ref MemoryMarshal.GetReference(gradient);
        ref double mi = ref MemoryMarshal.GetArrayDataReference(m);
        ref double vi = ref MemoryMarshal.GetArrayDataReference(v);
        int i = 0;
        for (; i + 4 <= values.Length; i += 4)
        {
            Vector256<double> g = Widen(Vector128.LoadUnsafe(ref grad, (nuint)i)) * scale;
            Vector256<double> first = Beta1 * Vector256.LoadUnsafe(ref mi, (nuint)i) + (1 - Beta1) * g;
            Vector256<double> second = Beta2 * Vector256.LoadUnsafe(ref vi, (nuint)i) + (1 - Beta2) * g * g;
            first.StoreUnsafe(ref mi, (nuint)i);
            second.StoreUnsafe(ref vi, (nuint)i);
            Vector256<double> step = _learningRate * (first / _correction1) / (Vector256.Sqrt(second / _correction2) + Vector256.Create(Epsilon));
            (Vector128.LoadUnsafe(ref value, (nuint)i) - Narrow(step)).StoreUnsafe(ref value, (nuint)i);
        }

        return i;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> Widen(Vector128<float> x) => Vector256.Create(Vector128.WidenLower(x), Vector128.WidenUpper(x));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> Narrow(Vector256<double> x) => Vector128.Narrow(x.GetLower(), x.GetUpper());
}
