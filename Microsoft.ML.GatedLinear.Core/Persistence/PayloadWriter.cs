using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Microsoft.ML.GatedLinear.Persistence;

/// <summary>Writes a model payload: little-endian scalars and length-prefixed arrays.</summary>
internal sealed class PayloadWriter
{
    private readonly MemoryStream _stream = new();

    public void Write(int value) => WriteScalar(value, BinaryPrimitives.WriteInt32LittleEndian);

    public void Write(long value) => WriteScalar(value, BinaryPrimitives.WriteInt64LittleEndian);

    public void Write(double value) => WriteScalar(value, BinaryPrimitives.WriteDoubleLittleEndian);

    public void Write(bool value) => _stream.WriteByte(value ? (byte)1 : (byte)0);

    public void Write(ReadOnlySpan<int> values) => WriteArray(values);

    public void Write(ReadOnlySpan<float> values) => WriteArray(values);

    public void Write(ReadOnlySpan<double> values) => WriteArray(values);

    public void Write(ReadOnlySpan<long> values) => WriteArray(values);

    public byte[] ToArray() => _stream.ToArray();

    private void WriteScalar<T>(T value, SpanAction<T> write)
    {
        Span<byte> bytes = stackalloc byte[8];
        write(bytes, value);
        _stream.Write(bytes[..System.Runtime.CompilerServices.Unsafe.SizeOf<T>()]);
    }

    // The format is little-endian; every platform .NET 10 runs on is too, so arrays are written as-is.
    private void WriteArray<T>(ReadOnlySpan<T> values)
        where T : unmanaged
    {
        Write(values.Length);
        _stream.Write(MemoryMarshal.AsBytes(values));
    }

    private delegate void SpanAction<T>(Span<byte> destination, T value);
}
