using System.Text.Json.Nodes;
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
        string output = PackedLibrary.BuildAndRun(program, [("Microsoft.ML", "5.0.1"), ("MLGated.GatedLinear", "")]);
        StringAssert.Contains(output, "interval rows 2000");
        StringAssert.Contains(output, "every catalog entry trained");
        StringAssert.Contains(output, "prediction True False");
    }

    [TestMethod]
    [Timeout(600_000)]
    [DataRow("quickstart.ipynb")]
    [DataRow("regression-intervals.ipynb")]
    [DataRow("classification-attributions.ipynb")]
    [DataRow("gon-featurizer.ipynb")]
    public void EveryNotebookRunsInARealKernelWithItsOutputsStoredAndAPlot(string notebook)
    {
        string? kernel = NotebookKernel.FindKernel(out string whyNot);
        if (kernel is null)
        {
            string? skipped = Environment.GetEnvironmentVariable(NotebookKernel.SkipVariable);
            if (!string.IsNullOrEmpty(skipped))
            {
                Assert.Inconclusive($"notebooks not run: {skipped}");
            }

            Assert.Fail(whyNot);
        }

        string path = Path.Combine(PackedLibrary.RepositoryRoot, "notebooks", notebook);
        JsonObject executed = NotebookKernel.Execute(kernel, path, PackedLibrary.Feed);
        JsonObject[] cells = [.. NotebookKernel.Cells(executed)];
        foreach (JsonObject cell in cells)
        {
            JsonNode? error = NotebookKernel.Outputs(cell).FirstOrDefault(o => (string?)o!["output_type"] == "error");
            Assert.IsNull(error, $"{notebook}: a cell failed: {error?["ename"]} {error?["evalue"]}");
        }

        Assert.IsTrue(cells.SelectMany(NotebookKernel.Outputs).Any(ShowsAPicture), $"{notebook} shows no plot");
        if (Environment.GetEnvironmentVariable(NotebookKernel.StoreVariable) == "1")
        {
            NotebookKernel.StoreOutputs(path, executed);
        }

        // What is committed is what a user sees before running: cell ids (nbformat 4.5) and the outputs of a real run.
        JsonObject committed = NotebookKernel.Read(path);
        JsonObject[] stored = [.. NotebookKernel.Cells(committed)];
        JsonObject? packageCell = NotebookKernel.PackageCell(committed);
        Assert.IsTrue((int?)committed["nbformat_minor"] >= 5, $"{notebook}: nbformat_minor below 5 has no cell ids");
        string?[] ids = [.. stored.Select(cell => (string?)cell["id"])];
        Assert.IsTrue(ids.All(id => !string.IsNullOrEmpty(id)) && ids.Distinct().Count() == ids.Length, $"{notebook}: every cell needs its own id");
        Assert.AreEqual(cells.Length, stored.Length);
        for (int i = 0; i < stored.Length; i++)
        {
            if (!ReferenceEquals(stored[i], packageCell) && NotebookKernel.Outputs(cells[i]).Count > 0)
            {
                Assert.IsTrue(NotebookKernel.Outputs(stored[i]).Count > 0, $"{notebook}: cell {ids[i]} shows output when run but has none stored ({NotebookKernel.StoreVariable}=1 stores them)");
            }
        }
    }

    private static bool ShowsAPicture(JsonNode? output) =>
        output?["data"] is JsonObject data
        && (data.ContainsKey("image/png") || data.ContainsKey("image/svg+xml")
            || NotebookKernel.Text(data["text/html"]) is var html && (html.Contains("<svg", StringComparison.Ordinal) || html.Contains("data:image/png", StringComparison.Ordinal)));
}
