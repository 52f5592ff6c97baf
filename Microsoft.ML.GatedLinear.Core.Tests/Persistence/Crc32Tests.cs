using Microsoft.ML.GatedLinear.Persistence;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.GatedLinear.Tests.Persistence;

[TestClass]
public class Crc32Tests
{
    [TestMethod]
    public void GivesTheStandardCheckValue()
        => Assert.AreEqual(0xCBF43926u, Crc32.Compute("123456789"u8));

    [TestMethod]
    public void EqualsTheBitwiseDefinitionAtEveryLengthAndOffset()
    {
        // Lengths around the eight-byte steps, from unaligned starts: the tables and the tail must agree with the definition.
        var bytes = new byte[300];
        new Random(7).NextBytes(bytes);
        for (int start = 0; start < 8; start++)
        {
            for (int length = 0; length <= 40; length++)
            {
                ReadOnlySpan<byte> data = bytes.AsSpan(start, length);
                Assert.AreEqual(Bitwise(data), Crc32.Compute(data), $"start {start}, length {length}");
            }
        }

        Assert.AreEqual(Bitwise(bytes), Crc32.Compute(bytes));
    }

    private static uint Bitwise(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFFu;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
            }
        }

        return ~crc;
    }
}
