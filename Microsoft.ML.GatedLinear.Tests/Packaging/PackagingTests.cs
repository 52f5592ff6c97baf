using Microsoft.VisualStudio.TestTools.UnitTesting;
using Microsoft.ML.Trainers.GatedLinear;

namespace Microsoft.ML.GatedLinear.Tests.Packaging;

[TestClass]
public class PackagingTests
{
    [TestMethod]
    [Timeout(600_000)]
    public void PackedLibrariesInstallIntoAFreshProjectAndEveryCatalogEntryNeedsOnlyTheMLNetUsings()
    {
        // Only the two usings an ML.NET user already has: every catalog method must be reachable from them.
        const string program = """
            using Microsoft.ML;
            using Microsoft.ML.Data;
            
            var ml = new MLContext(seed: 1);
            var random = new Random(1);
            var rows = Enumerable.Range(0, 2000).Select(_ =>
            {
                float a = (float)random.NextDouble() * 2 - 1, b = (float)random.NextDouble() * 2 - 1;
                return new Row { Features = [a, b], Label = a + b > 0, Value = a - 2 * b, Class = a > 0 ? (b > 0 ? "ne" : "se") : "w" };
            }).ToList();
            IDataView data = ml.Data.LoadFromEnumerable(rows);
            var model = ml.BinaryClassification.Trainers.GatedLinearClassification().Fit(data);
            var engine = ml.Model.CreatePredictionEngine<Row, Out>(model);
            Console.WriteLine($"prediction {engine.Predict(new Row { Features = [0.8f, 0.5f] }).PredictedLabel} {engine.Predict(new Row { Features = [-0.8f, -0.5f] }).PredictedLabel}");
            ml.BinaryClassification.Trainers.GaluClassification().Fit(data);
            var regression = ml.Regression.Trainers.GatedLinearRegression(labelColumnName: "Value").Fit(data);
            Console.WriteLine($"interval rows {ml.Regression.EvaluateIntervals(regression.Transform(data), labelColumnName: "Value").RowCount}");
            ml.Regression.Trainers.GaluRegression(labelColumnName: "Value").Fit(data);
            var classes = ml.Transforms.Conversion.MapValueToKey("ClassKey", "Class");
            classes.Append(ml.MulticlassClassification.Trainers.GatedLinearClassification(labelColumnName: "ClassKey")).Fit(data);
            classes.Append(ml.MulticlassClassification.Trainers.GaluClassification(labelColumnName: "ClassKey")).Fit(data);
            ml.Transforms.FeaturizeByGradientOrigin("Latent", "Features").Fit(data);
            Console.WriteLine("every catalog entry trained");

            public sealed class Row
            {
                public bool Label { get; set; }
                [VectorType(2)] public float[] Features { get; set; } = [];
                public float Value { get; set; }
                public string Class { get; set; } = "";
            }

            public sealed class Out { public bool PredictedLabel { get; set; } }
            """;
        string output = PackedLibrary.BuildAndRun(program, [("Microsoft.ML", "5.0.1"), ("Microsoft.ML.GatedLinear", "")]);
        StringAssert.Contains(output, "interval rows 2000");
        StringAssert.Contains(output, "every catalog entry trained");
        StringAssert.Contains(output, "prediction True False");
    }

    [TestMethod]
    public void NotebooksTranslateIntoPrograms()
    {
        string json = """
            {"cells": [
              {"cell_type": "markdown", "source": ["# Title"]},
              {"cell_type": "code", "source": ["#r \"nuget: Microsoft.ML, 5.0.1\"\n", "using System.Text;"]},
              {"cell_type": "code", "source": ["public sealed class Thing\n", "{\n", "}"]},
              {"cell_type": "code", "source": ["display(new Thing());"]}
            ]}
            """;
        var program = NotebookProgram.FromJson(json);
        CollectionAssert.AreEqual(new[] { ("Microsoft.ML", "5.0.1") }, program.Packages.ToArray());
        int usingAt = program.Source.IndexOf("using System.Text;", StringComparison.Ordinal), statementAt = program.Source.IndexOf("display(new Thing());", StringComparison.Ordinal), typeAt = program.Source.IndexOf("public sealed class Thing", StringComparison.Ordinal);
        Assert.IsTrue(usingAt >= 0 && usingAt < statementAt && statementAt < typeAt, program.Source);
        StringAssert.Contains(program.Source, "static void display(object? value)");
    }

    [TestMethod]
    [Timeout(600_000)]
    [DataRow("quickstart.ipynb")]
    [DataRow("regression-intervals.ipynb")]
    [DataRow("classification-attributions.ipynb")]
    [DataRow("gon-featurizer.ipynb")]
    public void EveryNotebookCompilesAndRuns(string notebook)
    {
        var program = NotebookProgram.FromJson(File.ReadAllText(Path.Combine(PackedLibrary.RepositoryRoot, "notebooks", notebook)));
        Assert.IsTrue(program.Packages.Any(p => p.Name == "Microsoft.ML.GatedLinear"), $"{notebook} references the package the way a user would");
        string output = PackedLibrary.BuildAndRun(program.Source, program.Packages);
        Assert.IsFalse(string.IsNullOrWhiteSpace(output), $"{notebook} printed nothing");
    }
}
