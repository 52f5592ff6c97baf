using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Microsoft.ML.GatedLinear.Persistence;

/// <summary>
/// Reads a payload written by <see cref="PayloadWriter"/>. Every array length is checked against the
/// bytes that remain before anything is allocated, so a hostile length cannot force a large allocation.
/// </summary>
internal sealed class PayloadReader(byte[] payload, ushort formatVersion = ModelFile.FormatVersion)
{
    private int _position;

    /// <summary>The format version of the file the payload came from: what an older file lacks.</summary>
    public ushort FormatVersion => formatVersion;

    public int ReadInt32() => BinaryPrimitives.ReadInt32LittleEndian(Take(4));

    public long ReadInt64() => BinaryPrimitives.ReadInt64LittleEndian(Take(8));

    public double ReadDouble() => BinaryPrimitives.ReadDoubleLittleEndian(Take(8));

    public bool ReadBoolean() => Take(1)[0] switch
    {
        0 => false,
        1 => true,
        var b => throw new ModelFormatException($"The model file is corrupted: a flag holds {b}, not 0 or 1."),
    };

    /// <summary>An int read and checked to lie in [min, max].</summary>
    public int ReadInt32(string what, int min, int max)
    {
        int value = ReadInt32();
        if (value < min || value > max)
        {
            throw new ModelFormatException($"The model file is corrupted: {what} is {value}, outside [{min}, {max}].");
        }

        return value;
    }

    /// <summary>A count (a long) read and checked to be non-negative.</summary>
    public long ReadCount(string what)
    {
        long value = ReadInt64();
        return value >= 0 ? value : throw new ModelFormatException($"The model file is corrupted: {what} is negative ({value}).");
    }

    public int[] ReadInt32Array(string what, int expectedLength = -1) => ReadArray<int>(what, expectedLength);

    /// <summary>Reads a float array, rejecting NaN and ±∞: no model stores them, and one would turn every prediction NaN.</summary>
    public float[] ReadSingleArray(string what, int expectedLength = -1) => RequireFinite(ReadArray<float>(what, expectedLength), what);

    /// <summary>Reads a double array, rejecting NaN and ±∞ as <see cref="ReadSingleArray"/> does.</summary>
    public double[] ReadDoubleArray(string what, int expectedLength = -1) => RequireFinite(ReadArray<double>(what, expectedLength), what);

    public long[] ReadInt64Array(string what, int expectedLength = -1) => ReadArray<long>(what, expectedLength);

    /// <summary>Runs an options object's validation, reporting a failure as a corrupted file.</summary>
    public static void ValidateOptions(Action validate)
    {
        try
        {
            validate();
        }
        catch (ArgumentException e)
        {
            throw new ModelFormatException($"The model file is corrupted: its options are invalid ({e.Message})", e);
        }
    }

    /// <summary>An array length implied by a model's shape, rejected when no array could hold it.</summary>
    public static int CheckedLength(long length)
        => length >= 0 && length <= Array.MaxLength ? (int)length : throw new ModelFormatException($"The model file is corrupted: its shape implies an array of {length} values.");

    /// <summary>Bytes not read yet: what a loader checks a shape against before allocating for it.</summary>
    public long RemainingBytes => payload.Length - _position;

    /// <summary>Whether every byte has been read (optional trailing sections of newer formats are absent).</summary>
    public bool AtEnd => _position == payload.Length;

    /// <summary>Throws unless every byte was consumed: trailing bytes mean the file is not what it claims.</summary>
    public void EnsureEnd()
    {
        if (_position != payload.Length)
        {
            throw new ModelFormatException($"The model file is corrupted: {payload.Length - _position} unexpected bytes follow the model.");
        }
    }

    private static T[] RequireFinite<T>(T[] values, string what)
        where T : System.Numerics.IFloatingPointIeee754<T>
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (!T.IsFinite(values[i]))
            {
                throw new ModelFormatException($"The model file is corrupted: {what} holds a non-finite value ({values[i]}) at index {i}.");
            }
        }

        return values;
    }

    private T[] ReadArray<T>(string what, int expectedLength)
        where T : unmanaged
    {
        int length = ReadInt32();
        if (length < 0 || (expectedLength >= 0 && length != expectedLength))
        {
            string expectation = expectedLength >= 0 ? $"; the model's shape requires {expectedLength}" : string.Empty;
            throw new ModelFormatException($"The model file is corrupted: {what} has length {length}{expectation}.");
        }

        int size = Marshal.SizeOf<T>();
        if ((long)length * size > payload.Length - _position)
        {
            throw new ModelFormatException($"The model file is truncated: {what} declares {length} values but only {payload.Length - _position} bytes remain.");
        }

        var values = new T[length];
        Take(length * size).CopyTo(MemoryMarshal.AsBytes(values.AsSpan()));
        return values;
    }

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count > payload.Length - _position)
        {
            throw new ModelFormatException("The model file is truncated: it ends inside the model.");
        }

        var span = payload.AsSpan(_position, count);
        _position += count;
        return span;
    }
}
