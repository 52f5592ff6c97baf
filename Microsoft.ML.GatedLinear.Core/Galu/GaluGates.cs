using System.Numerics.Tensors;
using Microsoft.ML.GatedLinear.Numerics;

namespace Microsoft.ML.GatedLinear.Galu;

/// <summary>
/// The fixed random filters of a layer of GaLU neurons: gate j is σ(u_j·x) with u_j ~ N(0, I) / (α√d). The
/// filters never train; only the linear parts do, which is what makes GaLU training convex.
/// </summary>
internal sealed class GaluGates
{
    private readonly float[] _filters; // [count × dimension]

    /// <summary>Gates from explicit filters (persistence, tests).</summary>
    public GaluGates(int count, int dimension, GateKind kind, float[] filters)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimension);
        if (filters.LongLength != (long)count * dimension)
        {
            throw new ArgumentException($"{count} filters of dimension {dimension} need {(long)count * dimension} values, got {filters.LongLength}.", nameof(filters));
        }

        Count = count;
        Dimension = dimension;
        Kind = kind;
        _filters = filters;
    }

    /// <summary>Draws <paramref name="count"/> random filters u ~ N(0, I)/(α√d).</summary>
    public static GaluGates CreateRandom(int count, int dimension, GateKind kind, double alpha, SeededRandom random)
    {
        Training.OptionChecks.FinitePositive(alpha, nameof(alpha));
        double scale = 1 / (alpha * Math.Sqrt(dimension));
        var filters = new float[(long)count * dimension];
        for (long i = 0; i < filters.LongLength; i++)
        {
            filters[i] = (float)(scale * random.NextGaussian());
        }

        return new GaluGates(count, dimension, kind, filters);
    }

    /// <summary>Number of gates.</summary>
    public int Count { get; }

    /// <summary>Length of the input the gates read.</summary>
    public int Dimension { get; }

    /// <summary>Step or sigmoid.</summary>
    public GateKind Kind { get; }

    /// <summary>The filters, row-major [Count × Dimension].</summary>
    public ReadOnlySpan<float> Filters => _filters;

    /// <summary>Writes σ(u_j·x) for every gate.</summary>
    public void Evaluate(ReadOnlySpan<float> x, Span<float> gates)
    {
        for (int j = 0; j < Count; j++)
        {
            gates[j] = TensorPrimitives.Dot(_filters.AsSpan(j * Dimension, Dimension), x);
        }

        Activate(gates[..Count]);
    }

    /// <summary>Turns projections u_j·x, in place, into gate values: a step at 0 or σ.</summary>
    public void Activate(Span<float> projections)
    {
        for (int e = 0; e < projections.Length; e++)
        {
            projections[e] = Kind == GateKind.Step ? (projections[e] >= 0 ? 1f : 0f) : Logistic.Sigmoid(projections[e]);
        }
    }
}
