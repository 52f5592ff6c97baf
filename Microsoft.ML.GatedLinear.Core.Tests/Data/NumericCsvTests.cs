using Microsoft.ML.GatedLinear.Data;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.GatedLinear.Tests.Data;

[TestClass]
public class NumericCsvTests
{
    [TestMethod]
    public void ReadsAHeaderAndNumbers()
    {
        var csv = NumericCsv.Read(new StringReader("a,b,y\n1.5,-2,0\n\n3e2,4,1\n"));
        Assert.AreEqual(2, csv.RowCount);
        CollectionAssert.AreEqual(new[] { "a", "b", "y" }, csv.ColumnNames.ToArray());
        Assert.AreEqual(300f, csv[1, 0]);

        LabeledData<int> data = csv.ToClassification("y");
        Assert.AreEqual(2, data.FeatureCount);
        CollectionAssert.AreEqual(new[] { 1.5f, -2f }, data.Row(0).ToArray());
        CollectionAssert.AreEqual(new[] { 0, 1 }, data.Labels.ToArray());
        CollectionAssert.AreEqual(new[] { "a", "b" }, data.FeatureNames!.ToArray());
    }

    [TestMethod]
    public void EmptyFieldsReadAsMissing()
    {
        var csv = NumericCsv.Read(new StringReader("a,y\n,1\n"));
        Assert.IsTrue(float.IsNaN(csv[0, 0]));
    }

    [TestMethod]
    public void ErrorsNameTheLineAndColumn()
    {
        var e = Assert.ThrowsExactly<FormatException>(() => NumericCsv.Read(new StringReader("a,b\n1,2\n3,x\n"), "t.csv"));
        StringAssert.Contains(e.Message, "t.csv, line 3, column 'b'");
        e = Assert.ThrowsExactly<FormatException>(() => NumericCsv.Read(new StringReader("a,b\n1,2,3\n")));
        StringAssert.Contains(e.Message, "line 2: 3 fields");
        Assert.ThrowsExactly<FormatException>(() => NumericCsv.Read(new StringReader(string.Empty)));
        var csv = NumericCsv.Read(new StringReader("a,y\n1,0.5\n"));
        StringAssert.Contains(Assert.ThrowsExactly<FormatException>(() => csv.ToClassification("y")).Message, "Row 0, column 'y'");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => csv.ToClassification("label")).Message, "No column is named 'label'");
    }

    [TestMethod]
    public void ReadsTheShippedBreastCancerSample()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "samples", "data", "breast_cancer.csv");
        LabeledData<int> data = NumericCsv.Read(path).ToClassification("y");
        Assert.AreEqual(569, data.RowCount);
        Assert.AreEqual(30, data.FeatureCount);
        Assert.AreEqual(357, data.Labels.ToArray().Count(y => y == 1));
    }
}
