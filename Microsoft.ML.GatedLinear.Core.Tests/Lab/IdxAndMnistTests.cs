using System.Buffers.Binary;
using System.IO.Compression;
using Microsoft.ML.GatedLinear.Data;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using MLGated.Lab;

namespace Microsoft.ML.GatedLinear.Tests.Data;

[TestClass]
public class IdxAndMnistTests
{
    private static byte[] Idx(int[] dimensions, byte[] data)
    {
        var bytes = new List<byte> { 0, 0, 8, (byte)dimensions.Length };
        foreach (int d in dimensions)
        {
            var word = new byte[4];
            BinaryPrimitives.WriteInt32BigEndian(word, d);
            bytes.AddRange(word);
        }

        bytes.AddRange(data);
        return bytes.ToArray();
    }

    [TestMethod]
    public void ReadsDimensionsAndData()
    {
        IdxFile file = IdxFile.Read(new MemoryStream(Idx([2, 3], [1, 2, 3, 4, 5, 6])));
        CollectionAssert.AreEqual(new[] { 2, 3 }, file.Dimensions.ToArray());
        CollectionAssert.AreEqual(new byte[] { 1, 2, 3, 4, 5, 6 }, file.Data);
    }

    [TestMethod]
    public void RejectsBadHeadersAndShortData()
    {
        Assert.ThrowsExactly<FormatException>(() => IdxFile.Read(new MemoryStream([0, 0, 9, 1, 0, 0, 0, 1, 0])));
        StringAssert.Contains(Assert.ThrowsExactly<FormatException>(() => IdxFile.Read(new MemoryStream(Idx([10], [1, 2])))).Message, "ends before");
        Assert.ThrowsExactly<FormatException>(() => IdxFile.Read(new MemoryStream(Idx([-1], []))));
        Assert.ThrowsExactly<FormatException>(() => IdxFile.Read(new MemoryStream(Idx([65536, 65536, 2], []))));
    }

    [TestMethod]
    public void LoadsAGzippedMnistLayout()
    {
        string directory = Directory.CreateTempSubdirectory("mnist").FullName;
        try
        {
            var pixels = new byte[3 * 28 * 28];
            pixels[28 * 14 + 14] = 255;
            WriteGz(Path.Combine(directory, "t10k-images-idx3-ubyte.gz"), Idx([3, 28, 28], pixels));
            WriteGz(Path.Combine(directory, "t10k-labels-idx1-ubyte.gz"), Idx([3], [7, 0, 9]));
            LabeledData<int> test = Mnist.Load(directory, "t10k", deskew: false);
            Assert.AreEqual(3, test.RowCount);
            Assert.AreEqual(784, test.FeatureCount);
            Assert.AreEqual(1f, test.Row(0)[28 * 14 + 14]);
            CollectionAssert.AreEqual(new[] { 7, 0, 9 }, test.Labels.ToArray());
            Assert.ThrowsExactly<FileNotFoundException>(() => Mnist.Load(directory, "train", deskew: false));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [TestMethod]
    public void DeskewingStandsASlantedStrokeUpright()
    {
        // A stroke slanting by one pixel right per two rows up; deskewed, it should be one column.
        const int side = 28;
        var image = new float[side * side];
        for (int y = 4; y < 24; y++)
        {
            image[y * side + 14 + (y - 14) / 2] = 1f;
        }

        var upright = new float[side * side];
        ImageDeskewing.Deskew(image, side, side, upright);
        Assert.IsTrue(ColumnSpread(upright, side) < 0.35 * ColumnSpread(image, side), $"{ColumnSpread(upright, side)} vs {ColumnSpread(image, side)}");
        Assert.AreEqual(image.Sum(), upright.Sum(), 1.0, "resampling keeps the ink");
    }

    private static double ColumnSpread(float[] image, int side)
    {
        double mass = 0, mean = 0, square = 0;
        for (int i = 0; i < image.Length; i++)
        {
            mass += image[i];
            mean += image[i] * (i % side);
            square += image[i] * (i % side) * (i % side);
        }

        mean /= mass;
        return Math.Sqrt(square / mass - mean * mean);
    }

    private static void WriteGz(string path, byte[] data)
    {
        using var file = File.Create(path);
        using var gz = new GZipStream(file, CompressionLevel.Fastest);
        gz.Write(data);
    }
}
