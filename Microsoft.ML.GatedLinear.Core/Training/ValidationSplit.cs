using Microsoft.ML.GatedLinear.Numerics;

namespace Microsoft.ML.GatedLinear.Training;

/// <summary>
/// Which training rows are held out to choose the number of epochs: row k is held out when a coin fixed by (seed, k)
/// alone falls in [offset, offset + fraction) (wrapping round 1). The decision needs no pass over the data and no row
/// count, so a stream read through cursors splits exactly as the same rows held in memory do, and a shuffled pass keeps
/// every row on its side. Splits of one seed at offsets 0, fraction, 2·fraction, … hold out disjoint shares of the rows.
/// </summary>
internal readonly record struct ValidationSplit(double Fraction, int Seed, double Offset = 0)
{
    public bool IsHeldOut(long rowKey)
    {
        double coin = SeededRandom.Uniform(Seed ^ 0x5EED, rowKey) - Offset;
        return Fraction > 0 && (coin < 0 ? coin + 1 : coin) < Fraction;
    }
}
