using Microsoft.ML.GatedLinear.Data;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using MLGated.Lab;

namespace Microsoft.ML.GatedLinear.Tests.Data;

[TestClass]
public class UciSplitsTests
{
    /// <summary>Writes a four-row data set "tiny" with two splits into a temporary folder, runs <paramref name="test"/> on its path, then deletes the folder.</summary>
    private static void WithTinySet(Action<string> test)
    {
        string root = Directory.CreateTempSubdirectory("uci").FullName;
        try
        {
            string directory = Path.Combine(root, "tiny");
            Directory.CreateDirectory(Path.Combine(directory, "splits"));
            File.WriteAllText(Path.Combine(directory, "data.csv"), "a,b,y\n1,2,0.5\n3,4,1.5\n5,6,2.5\n7,8,3.5\n");
            WriteSplit(directory, 0, "0\n1\n2\n", "3\n");
            WriteSplit(directory, 1, "3\n2\n1\n", "0\n");
            test(directory);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static void WriteSplit(string directory, int i, string train, string test)
    {
        File.WriteAllText(SplitPath(directory, "train", i), train);
        File.WriteAllText(SplitPath(directory, "test", i), test);
    }

    private static string SplitPath(string directory, string part, int i) => Path.Combine(directory, "splits", $"index_{part}_{i}.txt");

    [TestMethod]
    public void LoadsTheDataAndEverySplit() => WithTinySet(directory =>
    {
        UciSplits set = UciSplits.Load(directory);
        Assert.AreEqual("tiny", set.Name);
        Assert.AreEqual(4, set.Data.RowCount);
        Assert.AreEqual(2, set.Data.FeatureCount);
        CollectionAssert.AreEqual(new[] { 0.5f, 1.5f, 2.5f, 3.5f }, set.Data.Labels.ToArray());
        CollectionAssert.AreEqual(new[] { 5f, 6f }, set.Data.Row(2).ToArray());
        Assert.AreEqual(2, set.SplitCount);

        (int[] train, int[] test) = set.Split(1);
        CollectionAssert.AreEqual(new[] { 3, 2, 1 }, train);
        CollectionAssert.AreEqual(new[] { 0 }, test);
        train[0] = 99;
        Assert.AreEqual(3, set.Split(1).Train[0]);
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => set.Split(2));
        Assert.AreEqual("tiny", UciSplits.Load(directory + Path.DirectorySeparatorChar).Name);
    });

    [TestMethod]
    public void BadIndicesNameTheFileAndLine() => WithTinySet(directory =>
    {
        File.WriteAllText(SplitPath(directory, "test", 1), "0\n4\n");
        var e = Assert.ThrowsExactly<FormatException>(() => UciSplits.Load(directory));
        StringAssert.Contains(e.Message, "index_test_1.txt, line 2");
        StringAssert.Contains(e.Message, "row index 4 is out of range");

        File.WriteAllText(SplitPath(directory, "test", 1), "-1\n");
        StringAssert.Contains(Assert.ThrowsExactly<FormatException>(() => UciSplits.Load(directory)).Message, "index_test_1.txt, line 1");

        File.WriteAllText(SplitPath(directory, "test", 1), "0\n\n1.5\n");
        StringAssert.Contains(Assert.ThrowsExactly<FormatException>(() => UciSplits.Load(directory)).Message, "index_test_1.txt, line 3: '1.5' is not a row index");
    });

    [TestMethod]
    public void OverlappingTrainingAndTestRowsAreRejected() => WithTinySet(directory =>
    {
        File.WriteAllText(SplitPath(directory, "test", 0), "3\n2\n");
        var e = Assert.ThrowsExactly<FormatException>(() => UciSplits.Load(directory));
        StringAssert.Contains(e.Message, "index_test_0.txt, line 2: row 2 is also in");
        StringAssert.Contains(e.Message, "index_train_0.txt");
    });

    [TestMethod]
    public void EmptySplitsAreRejected() => WithTinySet(directory =>
    {
        File.WriteAllText(SplitPath(directory, "train", 1), "\n");
        StringAssert.Contains(Assert.ThrowsExactly<FormatException>(() => UciSplits.Load(directory)).Message, "lists no row indices");
    });

    [TestMethod]
    public void MissingFilesAreNamed() => WithTinySet(directory =>
    {
        string testPath = SplitPath(directory, "test", 1);
        File.Delete(testPath);
        var e = Assert.ThrowsExactly<FileNotFoundException>(() => UciSplits.Load(directory));
        Assert.AreEqual(testPath, e.FileName);
        StringAssert.Contains(e.Message, testPath);

        string trainPath = SplitPath(directory, "train", 0);
        File.Delete(trainPath);
        Assert.AreEqual(trainPath, Assert.ThrowsExactly<FileNotFoundException>(() => UciSplits.Load(directory)).FileName);

        string dataPath = Path.Combine(directory, "data.csv");
        File.Delete(dataPath);
        Assert.AreEqual(dataPath, Assert.ThrowsExactly<FileNotFoundException>(() => UciSplits.Load(directory)).FileName);
    });

    [TestMethod]
    public void SplitsAreCountedUpToTheFirstGap() => WithTinySet(directory =>
    {
        WriteSplit(directory, 3, "0\n", "1\n");
        Assert.AreEqual(2, UciSplits.Load(directory).SplitCount);
    });
}
