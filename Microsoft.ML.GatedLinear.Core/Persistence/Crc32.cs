using System.Buffers.Binary;

namespace Microsoft.ML.GatedLinear.Persistence;

/// <summary>CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320), the checksum of a model file's payload.</summary>
/// <remarks>
/// Eight bytes per step through eight tables ("slicing-by-8"): the byte-at-a-time loop waits on the previous byte's
/// lookup, and early stopping copies a model through its format at every new best epoch, so on a few hundred rows the
/// checksum was most of a snapshot's cost.
/// </remarks>
internal static class Crc32
{
    private static readonly uint[][] Tables = BuildTables();

    public static uint Compute(ReadOnlySpan<byte> data)
    {
        uint[] t0 = Tables[0], t1 = Tables[1], t2 = Tables[2], t3 = Tables[3], t4 = Tables[4], t5 = Tables[5], t6 = Tables[6], t7 = Tables[7];
        uint crc = 0xFFFFFFFFu;
        while (data.Length >= 8)
        {
            uint low = BinaryPrimitives.ReadUInt32LittleEndian(data) ^ crc, high = BinaryPrimitives.ReadUInt32LittleEndian(data[4..]);
            crc = t7[low & 0xFF] ^ t6[(low >> 8) & 0xFF] ^ t5[(low >> 16) & 0xFF] ^ t4[low >> 24]
                ^ t3[high & 0xFF] ^ t2[(high >> 8) & 0xFF] ^ t1[(high >> 16) & 0xFF] ^ t0[high >> 24];
            data = data[8..];
        }

        foreach (byte b in data)
        {
            crc = t0[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }

        return ~crc;
    }

    // Table k maps a byte to the CRC of that byte followed by k zero bytes.
    private static uint[][] BuildTables()
    {
        var tables = new uint[8][];
        tables[0] = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            uint c = i;
            for (int k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }

            tables[0][i] = c;
        }

        for (int k = 1; k < 8; k++)
        {
            tables[k] = new uint[256];
            for (int i = 0; i < 256; i++)
            {
                uint previous = tables[k - 1][i];
                tables[k][i] = tables[0][previous & 0xFF] ^ (previous >> 8);
            }
        }

        return tables;
    }
}
