using Microsoft.ML.GatedLinear.Numerics;

namespace Microsoft.ML.Trainers.GatedLinear;

/// <summary>
/// A <see cref="Random"/> whose every draw comes from a <see cref="SeededRandom"/>: data view cursors take a System.Random
/// to shuffle with, and this way their order is fixed by the library's seeded generator, as every other shuffle is.
/// </summary>
internal sealed class SeededSystemRandom(SeededRandom source) : Random
{
    public override int Next() => source.NextInt(int.MaxValue);

    public override int Next(int maxValue) => maxValue <= 0 ? 0 : source.NextInt(maxValue);

    public override int Next(int minValue, int maxValue) => minValue + (int)NextInt64(0, (long)maxValue - minValue);

    public override long NextInt64() => (long)(source.NextUInt64() >> 1);

    public override long NextInt64(long maxValue) => maxValue <= 0 ? 0 : (long)(source.NextUInt64() % (ulong)maxValue);

    public override long NextInt64(long minValue, long maxValue) => minValue + NextInt64(maxValue - minValue);

    public override double NextDouble() => source.NextDouble();

    public override float NextSingle() => (float)source.NextDouble();

    public override void NextBytes(byte[] buffer) => NextBytes(buffer.AsSpan());

    public override void NextBytes(Span<byte> buffer)
    {
        for (int i = 0; i < buffer.Length; i++)
        {
            buffer[i] = (byte)source.NextUInt64();
        }
    }

    protected override double Sample() => source.NextDouble();
}
