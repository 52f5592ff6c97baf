namespace Microsoft.ML.GatedLinear.Gaussian;

/// <summary>
/// A set of m Gaussian inputs over a D-dimensional target, stored dimension-major so each
/// dimension's m values are contiguous: Means[d·m + j], Precisions[p·m + j]. With isotropic
/// precision there is one precision row (p = 0 for every d); with diagonal precision, one per dimension.
/// Every neuron of a layer reads the products λ_jd·μ_jd, so they are formed once per example (<see cref="Weigh"/>).
/// </summary>
internal readonly ref struct GaussianInputs
{
    /// <summary>Inputs over the given buffers; <paramref name="weightedMeans"/> (D × m) receives λ·μ in <see cref="Weigh"/>.</summary>
    public GaussianInputs(Span<float> means, Span<float> precisions, Span<float> weightedMeans, int count, int dimension)
    {
        Means = means;
        Precisions = precisions;
        WeightedMeans = weightedMeans;
        Count = count;
        Dimension = dimension;
        PrecisionRows = precisions.Length / count;
    }

    /// <summary>Inputs whose products λ·μ are formed now, in a buffer of their own (tests and one-off predictions).</summary>
    public GaussianInputs(Span<float> means, Span<float> precisions, int count, int dimension)
        : this(means, precisions, new float[means.Length], count, dimension)
    {
        Weigh();
    }

    public Span<float> Means { get; }

    /// <summary>λ_jd·μ_jd, dimension-major like <see cref="Means"/> (valid after <see cref="Weigh"/>).</summary>
    public Span<float> WeightedMeans { get; }

    public Span<float> Precisions { get; }

    /// <summary>m, the number of input Gaussians.</summary>
    public int Count { get; }

    /// <summary>D, the target dimension.</summary>
    public int Dimension { get; }

    /// <summary>1 (isotropic) or D (diagonal).</summary>
    public int PrecisionRows { get; }

    public Span<float> MeanRow(int d) => Means.Slice(d * Count, Count);

    /// <summary>The precisions that apply to target dimension <paramref name="d"/>.</summary>
    public Span<float> PrecisionRow(int d) => Precisions.Slice((PrecisionRows == 1 ? 0 : d) * Count, Count);

    public Span<float> WeightedMeanRow(int d) => WeightedMeans.Slice(d * Count, Count);

    /// <summary>Forms the products λ·μ every neuron reading these inputs needs.</summary>
    public void Weigh()
    {
        for (int d = 0; d < Dimension; d++)
        {
            System.Numerics.Tensors.TensorPrimitives.Multiply(MeanRow(d), PrecisionRow(d), WeightedMeanRow(d));
        }
    }

    /// <summary>Sets Gaussian <paramref name="k"/> to mean μ (per dimension) and precision Λ (per precision row).</summary>
    public void Set(int k, ReadOnlySpan<double> mean, ReadOnlySpan<double> precision)
    {
        for (int p = 0; p < PrecisionRows; p++)
        {
            Precisions[p * Count + k] = (float)precision[p];
        }

        for (int d = 0; d < Dimension; d++)
        {
            Means[d * Count + k] = (float)mean[d];
        }
    }
}
