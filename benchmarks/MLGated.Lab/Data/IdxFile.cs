using System.Buffers.Binary;
using System.IO.Compression;

namespace MLGated.Lab;

/// <summary>
/// An IDX file of unsigned bytes (the MNIST format): magic 0x00 0x00 0x08 rank, then big-endian
/// 32-bit dimensions, then the data. Files ending in ".gz" are decompressed on the fly.
/// </summary>
public sealed class IdxFile
{
    // MNIST's largest file is 47 MB; a header declaring far more is not a real data set.
    private const long MaxBytes = 1L << 31;

    private IdxFile(int[] dimensions, byte[] data)
    {
        Dimensions = dimensions;
        Data = data;
    }

    /// <summary>The dimensions, outermost first (e.g. [60000, 28, 28]).</summary>
    public IReadOnlyList<int> Dimensions { get; }

    /// <summary>The values, row-major.</summary>
    public byte[] Data { get; }

    /// <summary>Reads a file (gzipped if its name ends in ".gz").</summary>
    public static IdxFile Read(string path)
    {
        using Stream file = File.OpenRead(path);
        using Stream stream = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionMode.Decompress) : file;
        return Read(stream, path);
    }

    /// <summary>Reads from a stream; <paramref name="source"/> names it in error messages.</summary>
    /// <exception cref="FormatException">The header is not IDX of unsigned bytes, or the data is shorter than the header declares.</exception>
    public static IdxFile Read(Stream stream, string source = "the IDX stream")
    {
        Span<byte> magic = stackalloc byte[4];
        stream.ReadExactly(magic);
        if (magic[0] != 0 || magic[1] != 0 || magic[2] != 0x08 || magic[3] is 0 or > 4)
        {
            throw new FormatException($"{source} is not an IDX file of unsigned bytes (magic {Convert.ToHexString(magic)}).");
        }

        var dimensions = new int[magic[3]];
        Span<byte> word = stackalloc byte[4];
        long total = 1;
        for (int i = 0; i < dimensions.Length; i++)
        {
            stream.ReadExactly(word);
            dimensions[i] = BinaryPrimitives.ReadInt32BigEndian(word);
            total *= dimensions[i];
            if (dimensions[i] <= 0 || total > MaxBytes)
            {
                throw new FormatException($"{source} declares dimensions that are not positive or exceed {MaxBytes} bytes in all.");
            }
        }

        var data = new byte[total];
        try
        {
            stream.ReadExactly(data);
        }
        catch (EndOfStreamException e)
        {
            throw new FormatException($"{source} ends before the {total} bytes its header declares.", e);
        }

        return new IdxFile(dimensions, data);
    }
}
