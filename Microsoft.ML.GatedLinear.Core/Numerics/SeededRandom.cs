namespace Microsoft.ML.GatedLinear.Numerics;

/// <summary>
/// A seeded xoshiro256** generator. The library draws every random number (hyperplanes, shuffles,
/// initial weights) from it rather than from <see cref="System.Random"/>, whose sequence is not
/// promised to stay the same across .NET versions: the same seed must give bit-identical models.
/// </summary>
internal sealed class SeededRandom
{
    private ulong _s0, _s1, _s2, _s3;

    /// <summary>Creates a generator whose whole sequence is fixed by <paramref name="seed"/>.</summary>
    /// <param name="seed">Any 64-bit value; equal seeds give equal sequences.</param>
    public SeededRandom(long seed)
    {
        // SplitMix64 spreads one seed over the four state words, as the xoshiro authors recommend.
        ulong x = unchecked((ulong)seed);
        _s0 = SplitMix(ref x);
        _s1 = SplitMix(ref x);
        _s2 = SplitMix(ref x);
        _s3 = SplitMix(ref x);
    }

    private static ulong SplitMix(ref ulong x)
    {
        ulong z = unchecked(x += 0x9E3779B97F4A7C15UL);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return z ^ (z >> 31);
    }

    /// <summary>The next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        ulong result = unchecked(BitRotate(_s1 * 5, 7) * 9);
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = BitRotate(_s3, 45);
        return result;
    }

    private static ulong BitRotate(ulong x, int k) => (x << k) | (x >> (64 - k));

    /// <summary>A uniform double in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => Unit(NextUInt64());

    private static double Unit(ulong bits) => (bits >> 11) * (1.0 / (1UL << 53));

    // Box–Muller from two 64-bit draws; 1 − u keeps the logarithm's argument in (0, 1].
    private static double StandardNormal(ulong first, ulong second) =>
        Math.Sqrt(-2.0 * Math.Log(1.0 - Unit(first))) * Math.Cos(2.0 * Math.PI * Unit(second));

    /// <summary>A uniform integer in [0, <paramref name="maxExclusive"/>), without modulo bias.</summary>
    public int NextInt(int maxExclusive)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxExclusive);
        ulong bound = (ulong)maxExclusive;
        ulong threshold = (0UL - bound) % bound;
        while (true)
        {
            ulong r = NextUInt64();
            if (r >= threshold)
            {
                return (int)(r % bound);
            }
        }
    }

    /// <summary>A standard normal draw (Box–Muller; one of the pair is discarded to keep the state simple).</summary>
    public double NextGaussian() => StandardNormal(NextUInt64(), NextUInt64());

    /// <summary>
    /// Adds N(0, <paramref name="standardDeviation"/>²) noise to each of <paramref name="values"/>, drawn from a
    /// stream fixed by (<paramref name="seed"/>, <paramref name="counter"/>) alone: no generator state to carry or
    /// persist, so draw number <paramref name="counter"/> is the same whenever it is made.
    /// </summary>
    public static void AddGaussianNoise(Span<float> values, double standardDeviation, long seed, long counter)
    {
        ulong x = unchecked(((ulong)seed * 0xD1B54A32D192ED03UL) ^ (ulong)counter);
        x = SplitMix(ref x);
        for (int i = 0; i < values.Length; i++)
        {
            values[i] += (float)(standardDeviation * StandardNormal(SplitMix(ref x), SplitMix(ref x)));
        }
    }

    /// <summary>
    /// A uniform double in [0, 1) fixed by (<paramref name="seed"/>, <paramref name="counter"/>) alone, like
    /// <see cref="AddGaussianNoise"/>: a stateless coin for each row, e.g. whether it is held out for validation.
    /// </summary>
    public static double Uniform(long seed, long counter)
    {
        ulong x = unchecked(((ulong)seed * 0xD1B54A32D192ED03UL) ^ (ulong)counter);
        x = SplitMix(ref x);
        return Unit(SplitMix(ref x));
    }

    /// <summary>Shuffles <paramref name="items"/> in place (Fisher–Yates).</summary>
    public void Shuffle<T>(Span<T> items)
    {
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}
