using System.Buffers.Binary;

namespace Microsoft.ML.GatedLinear.Persistence;

/// <summary>
/// The envelope of every model file:
/// magic "MLGATED\0" (8 bytes) · format version (u16) · model kind (u16) · payload length (i64) ·
/// payload · CRC-32 of the payload (u32); all little-endian. The payload is read only after its
/// declared length is checked against what the stream can hold, and parsed only after its checksum matches.
/// </summary>
internal static class ModelFile
{
    /// <summary>
    /// The format version this library writes and the newest it reads. 2 appended the G-GLN's held-out calibration
    /// (version 1 files read as uncalibrated models); 3 appended the GLNs' hyperplane direction (older files read as
    /// random directions, which is how they were drawn); 4 added the B-GLN's ensemble size to its options (older files
    /// read as one network per class); 5 appended the G-GLN's averaged models (older files read as one model); 6 added
    /// the B-GLN's linear discriminant base after its update count (older files read as having none).
    /// </summary>
    public const ushort FormatVersion = 6;

    /// <summary>The largest payload a file may declare (1 GiB); larger declarations are rejected before allocating.</summary>
    public const long MaxPayloadBytes = 1L << 30;

    private const int HeaderBytes = 8 + 2 + 2 + 8;
    private static ReadOnlySpan<byte> Magic => "MLGATED\0"u8;

    /// <summary>A deep copy of a model through its own format.</summary>
    public static T Copy<T>(T model, Action<T, Stream> save, Func<Stream, T> load)
    {
        using var copy = new MemoryStream();
        save(model, copy);
        copy.Position = 0;
        return load(copy);
    }

    /// <summary>Writes <paramref name="payload"/> as a model of kind <paramref name="kind"/>.</summary>
    public static void Write(Stream stream, ModelKind kind, ReadOnlySpan<byte> payload)
    {
        ArgumentNullException.ThrowIfNull(stream);
        Span<byte> header = stackalloc byte[HeaderBytes];
        Magic.CopyTo(header);
        BinaryPrimitives.WriteUInt16LittleEndian(header[8..], FormatVersion);
        BinaryPrimitives.WriteUInt16LittleEndian(header[10..], (ushort)kind);
        BinaryPrimitives.WriteInt64LittleEndian(header[12..], payload.Length);
        stream.Write(header);
        stream.Write(payload);
        Span<byte> crc = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(crc, Crc32.Compute(payload));
        stream.Write(crc);
    }

    /// <summary>Reads and checks the envelope; returns the payload of a model of kind <paramref name="expected"/>.</summary>
    /// <exception cref="ModelFormatException">The stream is not such a model, is truncated or corrupted, or is of a newer format version.</exception>
    public static byte[] Read(Stream stream, ModelKind expected) => Read(stream, expected, out _);

    /// <summary>A reader of the checked payload of a model of kind <paramref name="expected"/>, which knows the file's format version.</summary>
    /// <exception cref="ModelFormatException">As <see cref="Read(Stream, ModelKind)"/>.</exception>
    public static PayloadReader Open(Stream stream, ModelKind expected)
    {
        byte[] payload = Read(stream, expected, out ushort version);
        return new PayloadReader(payload, version);
    }

    private static byte[] Read(Stream stream, ModelKind expected, out ushort version)
    {
        ArgumentNullException.ThrowIfNull(stream);
        Span<byte> header = stackalloc byte[HeaderBytes];
        if (ReadFully(stream, header) < HeaderBytes)
        {
            throw new ModelFormatException("The model file is truncated: it ends inside the header.");
        }

        if (!header[..8].SequenceEqual(Magic))
        {
            throw new ModelFormatException("This is not an MLGated model file (the magic bytes do not match).");
        }

        version = BinaryPrimitives.ReadUInt16LittleEndian(header[8..]);
        if (version == 0 || version > FormatVersion)
        {
            throw new ModelFormatException($"The model file has format version {version}; this library reads versions 1 to {FormatVersion}.");
        }

        var kind = (ModelKind)BinaryPrimitives.ReadUInt16LittleEndian(header[10..]);
        if (kind != expected)
        {
            string found = Enum.IsDefined(kind) ? kind.ToString() : $"an unknown model kind ({(ushort)kind})";
            throw new ModelFormatException($"The model file holds {found}, not {expected}.");
        }

        long length = BinaryPrimitives.ReadInt64LittleEndian(header[12..]);
        if (length < 0 || length > MaxPayloadBytes)
        {
            throw new ModelFormatException($"The model file declares a payload of {length} bytes; at most {MaxPayloadBytes} are allowed.");
        }

        if (stream.CanSeek && length + 4 > stream.Length - stream.Position)
        {
            throw new ModelFormatException($"The model file is truncated: it declares {length} payload bytes but holds {Math.Max(0, stream.Length - stream.Position - 4)}.");
        }

        byte[] payload = ReadPayload(stream, length);
        Span<byte> crc = stackalloc byte[4];
        if (ReadFully(stream, crc) < 4)
        {
            throw new ModelFormatException("The model file is truncated: the checksum is missing.");
        }

        if (BinaryPrimitives.ReadUInt32LittleEndian(crc) != Crc32.Compute(payload))
        {
            throw new ModelFormatException("The model file is corrupted: its checksum does not match its contents.");
        }

        return payload;
    }

    // A non-seekable stream could declare a huge length and then end: grow the buffer only as bytes arrive.
    private static byte[] ReadPayload(Stream stream, long length)
    {
        if (stream.CanSeek)
        {
            var payload = new byte[length];
            if (ReadFully(stream, payload) < length)
            {
                throw new ModelFormatException("The model file is truncated inside its payload.");
            }

            return payload;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        long remaining = length;
        while (remaining > 0)
        {
            int read = stream.Read(chunk, 0, (int)Math.Min(chunk.Length, remaining));
            if (read == 0)
            {
                throw new ModelFormatException("The model file is truncated inside its payload.");
            }

            buffer.Write(chunk, 0, read);
            remaining -= read;
        }

        return buffer.ToArray();
    }

    private static int ReadFully(Stream stream, Span<byte> destination)
    {
        int total = 0;
        while (total < destination.Length)
        {
            int read = stream.Read(destination[total..]);
            if (read == 0)
            {
                break;
            }

            total += read;
        }

        return total;
    }
}
