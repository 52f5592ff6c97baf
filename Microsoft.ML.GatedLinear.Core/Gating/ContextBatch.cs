using Microsoft.ML.GatedLinear.Numerics;

namespace Microsoft.ML.GatedLinear.Gating;

/// <summary>
/// The batch half of a gated network's learning: each row's side information z, then every context of every row as
/// one product [all hyperplanes] × [batch of z], before the updates that read them.
/// </summary>
internal sealed class ContextBatch(HalfSpaceGating gating)
{
    private float[] _z = [];
    private int[] _contexts = [];

    /// <summary>Makes room for <paramref name="rows"/> rows (buffers only grow).</summary>
    public void Reserve(int rows)
    {
        if (_z.Length < rows * gating.InputDimension)
        {
            _z = new float[rows * gating.InputDimension];
            _contexts = new int[rows * gating.NeuronCount];
        }
    }

    /// <summary>Row <paramref name="row"/>'s side information, to be filled before <see cref="ComputeContexts(int, int, int)"/>.</summary>
    public Span<float> Z(int row) => _z.AsSpan(row * gating.InputDimension, gating.InputDimension);

    /// <summary>Every neuron's context for row <paramref name="row"/>.</summary>
    public ReadOnlySpan<int> Contexts(int row) => _contexts.AsSpan(row * gating.NeuronCount, gating.NeuronCount);

    /// <summary>The contexts of rows <paramref name="first"/> … <paramref name="end"/> − 1, row-major.</summary>
    public ReadOnlySpan<int> Contexts(int first, int end) => _contexts.AsSpan(first * gating.NeuronCount, (end - first) * gating.NeuronCount);

    /// <summary>
    /// The contexts of rows <paramref name="first"/> … <paramref name="end"/> − 1 only: the same as a whole batch's. A
    /// batch of more than <see cref="MatrixProduct.ParallelWork"/> multiply-adds is split into contiguous parts for up to
    /// <paramref name="degreeOfParallelism"/> cores (default 1); a row's contexts do not depend on its part.
    /// </summary>
    public void ComputeContexts(int first, int end, int degreeOfParallelism = 1)
    {
        int rows = end - first;
        long work = (long)rows * gating.NeuronCount * gating.ContextDimension * gating.InputDimension;
        int parts = work > MatrixProduct.ParallelWork ? Math.Min(degreeOfParallelism, rows) : 1;
        if (parts <= 1)
        {
            ComputePart(first, end);
            return;
        }

        Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = parts }, part => ComputePart(first + (int)((long)rows * part / parts), first + (int)((long)rows * (part + 1) / parts)));
    }

    private void ComputePart(int first, int end)
    {
        int d = gating.InputDimension, neurons = gating.NeuronCount;
        gating.ComputeContexts(_z.AsSpan(first * d, (end - first) * d), end - first, _contexts.AsSpan(first * neurons, (end - first) * neurons));
    }
}
