namespace Microsoft.ML.GatedLinear.Training;

/// <summary>Argument checks the options classes share; each names the option it rejects.</summary>
internal static class OptionChecks
{
    public static void LayerSizes(int[]? sizes, string name)
    {
        if (sizes is null || sizes.Length == 0 || sizes[^1] != 1)
        {
            throw new ArgumentException("LayerSizes must be non-empty and end with a single neuron, e.g. [32, 32, 1].", name);
        }

        foreach (int size in sizes)
        {
            if (size < 1)
            {
                throw new ArgumentException($"Every layer needs at least one neuron; LayerSizes holds {size}.", name);
            }
        }
    }

    public static void ContextDimension(int value, string name)
    {
        if (value is < 0 or > Gating.HalfSpaceGating.MaxContextDimension)
        {
            throw new ArgumentOutOfRangeException(name, value, $"The context dimension must be between 0 and {Gating.HalfSpaceGating.MaxContextDimension}.");
        }
    }

    public static void FiniteNonNegative(double value, string name)
    {
        if (!(value >= 0) || double.IsInfinity(value))
        {
            throw new ArgumentOutOfRangeException(name, value, "Must be finite and non-negative.");
        }
    }

    /// <summary>An interval's coverage: strictly between 0 and 1.</summary>
    public static void Coverage(double value, string name)
    {
        if (!(value > 0 && value < 1))
        {
            throw new ArgumentOutOfRangeException(name, value, "Coverage must lie strictly between 0 and 1.");
        }
    }

    public static void FinitePositive(double value, string name)
    {
        if (!(value > 0) || double.IsInfinity(value))
        {
            throw new ArgumentOutOfRangeException(name, value, "Must be positive and finite.");
        }
    }

    /// <summary>
    /// The largest magnitude of an option in standardized units (a weight or bias bound, a noise or offset scale): with
    /// squares and products of such values the float arithmetic of the networks stays finite. Variances get its square.
    /// </summary>
    public const double MaxStandardizedScale = 1e6;

    public static void StandardizedScale(double value, string name, bool isVariance = false)
    {
        double limit = isVariance ? MaxStandardizedScale * MaxStandardizedScale : MaxStandardizedScale;
        if (value > limit)
        {
            throw new ArgumentOutOfRangeException(name, value, $"Must be at most {limit:G}: it is in standardized units, and larger values overflow the float arithmetic of the network.");
        }
    }

    public static void Defined<TEnum>(TEnum value, string name)
        where TEnum : struct, Enum
    {
        if (!Enum.IsDefined(value))
        {
            throw new ArgumentOutOfRangeException(name, value, $"Unknown {typeof(TEnum).Name}.");
        }
    }

    public static void Statistics(StandardizationMode mode, double[]? mean, double[]? standardDeviation, string name)
    {
        Defined(mode, name);
        if (mode == StandardizationMode.Supplied && (mean is null || standardDeviation is null))
        {
            throw new ArgumentException("Supplied standardization needs both the means and the standard deviations.", name);
        }
    }

    /// <summary>Builds the standardizer an options object asks for, checking the supplied statistics' length.</summary>
    public static FeatureStandardizer Standardizer(StandardizationMode mode, double[]? mean, double[]? standardDeviation, int dimension, string what)
    {
        FeatureStandardizer standardizer = mode switch
        {
            StandardizationMode.Online => FeatureStandardizer.CreateOnline(dimension),
            StandardizationMode.None => FeatureStandardizer.CreateIdentity(dimension),
            _ => FeatureStandardizer.CreateSupplied(mean, standardDeviation),
        };
        if (standardizer.Dimension != dimension)
        {
            throw new ArgumentException($"Supplied {what} statistics cover {standardizer.Dimension} values; the model has {dimension}.");
        }

        return standardizer;
    }
}
