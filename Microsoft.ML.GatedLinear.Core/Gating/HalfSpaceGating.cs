using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.ML.GatedLinear.Numerics;

namespace Microsoft.ML.GatedLinear.Gating;

/// <summary>
/// Half-space context functions for a set of neurons. Neuron n owns s fixed hyperplanes
/// (unit normals v and offsets b); its context is c(z) = Σ_k 2^k·[v_k·z ≥ b_k], an index into its
/// 2^s weight rows. The hyperplanes never train, so contexts depend on the side information z only.
/// </summary>
internal sealed class HalfSpaceGating
{
    /// <summary>The largest supported context dimension: a neuron then has 2^16 weight rows.</summary>
    public const int MaxContextDimension = 16;

    // Row-major [NeuronCount·ContextDimension × InputDimension]; row n·s + k is hyperplane k of neuron n.
    private readonly float[] _normals;
    private readonly float[] _offsets;

    // Few features: the normals and offsets with neurons in vector lanes — for each block of Lanes neurons and each plane k,
    // feature by feature the block's Lanes entries side by side (padding neurons: zero normals, offsets +∞, never on a
    // positive side). Derived, not saved.
    private readonly float[]? _laneNormals;
    private readonly float[]? _laneOffsets;

    /// <summary>Creates gating from explicit hyperplanes (used by persistence and tests).</summary>
    /// <param name="neuronCount">Number of gated neurons.</param>
    /// <param name="contextDimension">Hyperplanes per neuron, s (0 to 16; 0 ungates: every row has context 0).</param>
    /// <param name="inputDimension">Length of the side information z.</param>
    /// <param name="normals">Hyperplane normals, row-major [neuronCount·s × inputDimension].</param>
    /// <param name="offsets">Hyperplane offsets, [neuronCount·s].</param>
    public HalfSpaceGating(int neuronCount, int contextDimension, int inputDimension, float[] normals, float[] offsets)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(neuronCount);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputDimension);
        Training.OptionChecks.ContextDimension(contextDimension, nameof(contextDimension));

        ArgumentNullException.ThrowIfNull(normals);
        ArgumentNullException.ThrowIfNull(offsets);
        long planes = (long)neuronCount * contextDimension;
        if (normals.LongLength != planes * inputDimension || offsets.LongLength != planes)
        {
            throw new ArgumentException($"Expected {planes} hyperplanes of dimension {inputDimension}: {planes * inputDimension} normal entries and {planes} offsets, got {normals.LongLength} and {offsets.LongLength}.");
        }

        NeuronCount = neuronCount;
        ContextDimension = contextDimension;
        InputDimension = inputDimension;
        _normals = normals;
        _offsets = offsets;
        if (inputDimension <= LaneMaxDimension)
        {
            int lanes = Vector<float>.Count, blocks = (neuronCount + lanes - 1) / lanes;
            _laneNormals = new float[blocks * contextDimension * inputDimension * lanes];
            _laneOffsets = new float[blocks * contextDimension * lanes];
            _laneOffsets.AsSpan().Fill(float.PositiveInfinity);
            for (int neuron = 0; neuron < neuronCount; neuron++)
            {
                for (int k = 0; k < contextDimension; k++)
                {
                    int plane = neuron * contextDimension + k, lanePlane = (neuron / lanes * contextDimension + k) * lanes, lane = neuron % lanes;
                    _laneOffsets[lanePlane + lane] = offsets[plane];
                    for (int j = 0; j < inputDimension; j++)
                    {
                        _laneNormals[(lanePlane * inputDimension) + (j * lanes) + lane] = normals[plane * inputDimension + j];
                    }
                }
            }
        }
    }

    /// <summary>
    /// Draws random hyperplanes: normals v = g/‖g‖ with g ~ N(0, I), or v = e_j for a uniform feature j
    /// (<see cref="HyperplaneDirection.FeatureAxis"/>); offsets b ~ N(0, offsetScale²).
    /// </summary>
    /// <param name="neuronCount">Number of gated neurons.</param>
    /// <param name="contextDimension">Hyperplanes per neuron, s (1 to 16).</param>
    /// <param name="inputDimension">Length of the side information z.</param>
    /// <param name="offsetScale">Standard deviation σ_b of the offsets (0 puts every hyperplane through the origin).</param>
    /// <param name="random">The seeded source; the draw order is fixed, so a seed fixes the gating.</param>
    /// <param name="direction">How the normals are drawn. Default <see cref="HyperplaneDirection.Random"/>.</param>
    public static HalfSpaceGating CreateRandom(int neuronCount, int contextDimension, int inputDimension, double offsetScale, SeededRandom random, HyperplaneDirection direction = HyperplaneDirection.Random)
    {
        ArgumentNullException.ThrowIfNull(random);
        Training.OptionChecks.ContextDimension(contextDimension, nameof(contextDimension));
        if (!(offsetScale >= 0) || double.IsInfinity(offsetScale))
        {
            throw new ArgumentOutOfRangeException(nameof(offsetScale), offsetScale, "The offset scale must be finite and non-negative.");
        }

        long planes = (long)neuronCount * contextDimension;
        var normals = new float[planes * inputDimension];
        var offsets = new float[planes];
        var g = new double[inputDimension];
        for (long p = 0; p < planes; p++)
        {
            Span<float> row = normals.AsSpan((int)(p * inputDimension), inputDimension);
            if (direction == HyperplaneDirection.FeatureAxis)
            {
                row[random.NextInt(inputDimension)] = 1;
            }
            else
            {
                DrawUnitNormal(row, g, random);
            }

            offsets[p] = (float)(offsetScale * random.NextGaussian());
        }

        return new HalfSpaceGating(neuronCount, contextDimension, inputDimension, normals, offsets);
    }

    // v = g/‖g‖ with g ~ N(0, I) (g is scratch of the row's length).
    private static void DrawUnitNormal(Span<float> row, double[] g, SeededRandom random)
    {
        double norm2 = 0;
        for (int j = 0; j < row.Length; j++)
        {
            g[j] = random.NextGaussian();
            norm2 += g[j] * g[j];
        }

        double inverseNorm = 1.0 / Math.Sqrt(norm2);
        for (int j = 0; j < row.Length; j++)
        {
            row[j] = (float)(g[j] * inverseNorm);
        }
    }

    /// <summary>Writes the hyperplanes.</summary>
    internal void Write(Persistence.PayloadWriter w)
    {
        w.Write(_normals);
        w.Write(_offsets);
    }

    /// <summary>Writes how the hyperplanes were drawn (format version 3 appended it to a model's payload).</summary>
    internal static void WriteDirection(Persistence.PayloadWriter w, HyperplaneDirection direction) => w.Write((int)direction);

    /// <summary>Reads what <see cref="WriteDirection"/> wrote; files of format versions 1 and 2 end before it and drew random directions.</summary>
    internal static HyperplaneDirection ReadDirection(Persistence.PayloadReader r)
        => r.AtEnd ? HyperplaneDirection.Random : (HyperplaneDirection)r.ReadInt32("the hyperplane direction", (int)HyperplaneDirection.Random, (int)HyperplaneDirection.FeatureAxis);

    /// <summary>Reads hyperplanes of the given shape, checking every length before allocating.</summary>
    internal static HalfSpaceGating Read(Persistence.PayloadReader r, long neuronCount, int contextDimension, int inputDimension)
    {
        long planes = neuronCount * contextDimension;
        if (planes * inputDimension > Array.MaxLength)
        {
            throw new Persistence.ModelFormatException($"The model file is corrupted: its shape implies {planes * inputDimension} hyperplane entries.");
        }

        float[] normals = r.ReadSingleArray("the hyperplane normals", (int)(planes * inputDimension));
        float[] offsets = r.ReadSingleArray("the hyperplane offsets", (int)planes);
        return new HalfSpaceGating((int)neuronCount, contextDimension, inputDimension, normals, offsets);
    }

    /// <summary>
    /// The hyperplanes of <paramref name="blocks"/>' neurons one after another: each block names a gating, its first
    /// neuron and a neuron count. All must share the context and input dimensions.
    /// </summary>
    public static HalfSpaceGating Concatenate(IReadOnlyList<(HalfSpaceGating Gating, int FirstNeuron, int NeuronCount)> blocks)
    {
        HalfSpaceGating first = blocks[0].Gating;
        int s = first.ContextDimension, d = first.InputDimension;
        long total = blocks.Sum(b => (long)b.NeuronCount);
        if (total * s * d > Array.MaxLength)
        {
            throw new ArgumentException($"The concatenated hyperplanes would need {total * s * d} entries, more than one array can hold.", nameof(blocks));
        }

        var neurons = (int)total;
        var normals = new float[(long)neurons * s * d];
        var offsets = new float[(long)neurons * s];
        int at = 0;
        foreach ((HalfSpaceGating gating, int firstNeuron, int count) in blocks)
        {
            if (gating.ContextDimension != s || gating.InputDimension != d)
            {
                throw new ArgumentException("Concatenated gatings must share their context and input dimensions.", nameof(blocks));
            }

            gating.Normals.Slice(firstNeuron * s * d, count * s * d).CopyTo(normals.AsSpan(at * s * d));
            gating.Offsets.Slice(firstNeuron * s, count * s).CopyTo(offsets.AsSpan(at * s));
            at += count;
        }

        return new HalfSpaceGating(neurons, s, d, normals, offsets);
    }

    /// <summary>Number of gated neurons.</summary>
    public int NeuronCount { get; }

    /// <summary>Hyperplanes per neuron, s.</summary>
    public int ContextDimension { get; }

    /// <summary>Number of contexts (weight rows) per neuron, 2^s.</summary>
    public int ContextCount => 1 << ContextDimension;

    /// <summary>Length of the side information z.</summary>
    public int InputDimension { get; }

    /// <summary>Hyperplane normals, row-major [NeuronCount·s × InputDimension].</summary>
    public ReadOnlySpan<float> Normals => _normals;

    /// <summary>Hyperplane offsets, [NeuronCount·s].</summary>
    public ReadOnlySpan<float> Offsets => _offsets;

    /// <summary>Computes every neuron's context for one side-information vector.</summary>
    /// <param name="z">Side information, length <see cref="InputDimension"/>.</param>
    /// <param name="contexts">Receives one context index per neuron, length <see cref="NeuronCount"/>.</param>
    public void ComputeContexts(ReadOnlySpan<float> z, Span<int> contexts) => ComputeContexts(z, 1, contexts);

    /// <summary>
    /// Computes contexts for a batch: the product [all hyperplanes] × [batch of z]ᵀ. Few side-information features (at
    /// most <see cref="LaneMaxDimension"/>): row by row with neurons in vector lanes (a dot product of a handful of terms
    /// cannot fill a vector). Many: one dot product per plane and row, as a register-blocked matrix product over tiles of
    /// planes. Which kernel runs depends only on the dimension, and each sums a plane's terms in feature order whatever
    /// the batch size, so batch and single-row contexts are identical.
    /// </summary>
    /// <param name="batch">Side information, row-major [rows × InputDimension].</param>
    /// <param name="rows">Number of rows in the batch.</param>
    /// <param name="contexts">Receives [rows × NeuronCount] context indices.</param>
    public void ComputeContexts(ReadOnlySpan<float> batch, int rows, Span<int> contexts)
    {
        int d = InputDimension, neurons = NeuronCount;
        if (batch.Length != (long)rows * d)
        {
            throw new ArgumentException($"The batch holds {batch.Length} values; {rows} rows of dimension {d} need {(long)rows * d}.", nameof(batch));
        }

        if (contexts.Length != (long)rows * neurons)
        {
            throw new ArgumentException($"The context buffer holds {contexts.Length} entries; {rows} rows × {neurons} neurons need {(long)rows * neurons}.", nameof(contexts));
        }

        if (d > LaneMaxDimension)
        {
            ComputeByDotProducts(batch, rows, contexts);
            return;
        }

        for (int r = 0; r < rows; r++)
        {
            ComputeInLanes(batch.Slice(r * d, d), contexts.Slice(r * neurons, neurons));
        }
    }

    /// <summary>
    /// One row's contexts, a block of neurons at a time in vector lanes: for each plane k, Σ_j normal_kj·z_j (the terms
    /// summed in feature order) against the offsets, the s bits gathered in a register, branch-free since which side a
    /// row falls is a coin flip, and the block's contexts stored at once.
    /// </summary>
    private void ComputeInLanes(ReadOnlySpan<float> z, Span<int> contexts)
    {
        int d = z.Length, s = ContextDimension, lanes = Vector<float>.Count, neurons = contexts.Length;

        // Unchecked loads: the lane arrays hold ⌈neurons / lanes⌉·s planes of d·lanes normals and lanes offsets (made so in
        // the constructor), and ComputeContexts, the only caller, has tied d and the neurons to them.
        ref float normal = ref MemoryMarshal.GetArrayDataReference(_laneNormals!);
        ref float offset = ref MemoryMarshal.GetArrayDataReference(_laneOffsets!);
        ref float z0 = ref MemoryMarshal.GetReference(z);
        for (int first = 0; first < neurons; first += lanes)
        {
            Vector<int> packed = Vector<int>.Zero;
            for (int k = 0; k < s; k++)
            {
                Vector<float> projection = Vector<float>.Zero;
                for (int j = 0; j < d; j++)
                {
                    projection += Vector.LoadUnsafe(ref normal, (nuint)(j * lanes)) * Unsafe.Add(ref z0, j);
                }

                packed |= Vector.GreaterThanOrEqual(projection, Vector.LoadUnsafe(ref offset)) & new Vector<int>(1 << k);
                normal = ref Unsafe.Add(ref normal, d * lanes);
                offset = ref Unsafe.Add(ref offset, lanes);
            }

            if (first + lanes <= neurons)
            {
                packed.CopyTo(contexts[first..]);
                continue;
            }

            for (int lane = 0; first + lane < neurons; lane++)
            {
                contexts[first + lane] = packed[lane];
            }
        }
    }

    // Many features: the projections of the batch on a tile of planes (whole neurons) as one matrix product, register-
    // blocked four rows against two planes while the tile stays in L2, then each compared with its offset. Every
    // projection sums its terms in the same order whatever the batch or tile, so a row's contexts do not depend on them.
    private void ComputeByDotProducts(ReadOnlySpan<float> batch, int rows, Span<int> contexts)
    {
        int d = InputDimension, s = ContextDimension, neurons = NeuronCount;
        int tileNeurons = Math.Clamp(PlaneTileBytes / (d * sizeof(float) * Math.Max(1, s)), 1, neurons);
        float[] rowBuffer = ArrayPool<float>.Shared.Rent(batch.Length);
        float[] projections = ArrayPool<float>.Shared.Rent(rows * tileNeurons * s);
        try
        {
            batch.CopyTo(rowBuffer);
            for (int first = 0; first < neurons; first += tileNeurons)
            {
                int count = Math.Min(tileNeurons, neurons - first), planes = count * s;
                MatrixProduct.Multiply(new ArraySegment<float>(rowBuffer, 0, batch.Length), new ArraySegment<float>(_normals, first * s * d, planes * d), projections, rows, d, planes, ProductLayout.TransposeB, maxDegreeOfParallelism: 1);
                ReadOnlySpan<float> offsets = _offsets.AsSpan(first * s, planes);
                for (int r = 0; r < rows; r++)
                {
                    ReadOnlySpan<float> projection = projections.AsSpan(r * planes, planes);
                    Span<int> rowContexts = contexts.Slice(r * neurons + first, count);
                    for (int n = 0, plane = 0; n < count; n++)
                    {
                        int context = 0;
                        for (int k = 0; k < s; k++, plane++)
                        {
                            context |= (projection[plane] >= offsets[plane] ? 1 : 0) << k;
                        }

                        rowContexts[n] = context;
                    }
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(rowBuffer);
            ArrayPool<float>.Shared.Return(projections);
        }
    }

    // Up to this many features a row's planes are summed with neurons in lanes, their normals streaming from cache once per
    // row; beyond, the matrix product, which reuses a tile of normals across rows.
    private const int LaneMaxDimension = 64;

    // The dot-product kernel's tile of planes: a quarter of a core's L2, beside the four rows and the projections.
    private const int PlaneTileBytes = 128 * 1024;
}
