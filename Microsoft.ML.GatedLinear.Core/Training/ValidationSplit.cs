using Microsoft.ML.GatedLinear.Numerics;

namespace Microsoft.ML.GatedLinear.Training;

/// <summary>
/// Which training rows are held out to choose the number of epochs: row k is held out when a coin fixed by (seed, k)
/// alone falls below the fraction. The decision needs no pass over the data and no row count, so a stream read through
/// cursors splits exactly as the same rows held in memory do, and a shuffled pass keeps every row on its side.
/// </summary>
internal readonly record struct ValidationSplit(double Fraction, int Seed)
{
    public bool IsHeldOut(long rowKey) => Fraction > 0 && SeededRandom.Uniform(Seed ^ 0x5EED, rowKey) < Fraction;
}
