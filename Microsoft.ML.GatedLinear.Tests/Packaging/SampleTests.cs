using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.GatedLinear.Tests.Packaging;

/// <summary>The samples as a user runs them: the builds the solution made, started as processes.</summary>
[TestClass]
public partial class SampleTests
{
    [TestMethod]
    [Timeout(120_000)]
    public void TheQuickstartsExplanationAddsUpToTheLogitItExplains()
    {
        (int exit, string output, _) = Run("Quickstart");
        Assert.AreEqual(0, exit, output);
        Match explained = ExplainedLogit().Match(output), total = TotalLogit().Match(output);
        Assert.IsTrue(explained.Success && total.Success, output);
        StringAssert.Contains(output, "(the other 25)");
        Assert.AreEqual(double.Parse(explained.Groups[1].Value, CultureInfo.InvariantCulture), double.Parse(total.Groups[1].Value, CultureInfo.InvariantCulture), 0.011, output);
    }

    [TestMethod]
    [Timeout(120_000)]
    [DataRow("MnistOnePass", "No MNIST folder at")]
    [DataRow("Bandits", "No bandit data at")]
    public void ASampleWithoutItsDataSaysSoAndExitsWithTwo(string sample, string message)
    {
        (int exit, _, string error) = Run(sample, Path.Combine(Path.GetTempPath(), "mlgated-no-such-data"));
        Assert.AreEqual(2, exit, error);
        StringAssert.Contains(error, message);
        Assert.IsFalse(error.Contains("   at ", StringComparison.Ordinal), $"a stack trace instead of a message: {error}");
    }

    // The sample's build next to this test assembly's configuration (build/test.sh builds the whole solution).
    private static (int Exit, string Output, string Error) Run(string sample, params string[] arguments)
    {
        string configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release";
        string dll = Path.Combine(PackedLibrary.RepositoryRoot, "samples", sample, "bin", configuration, "net10.0", $"{sample}.dll");
        Assert.IsTrue(File.Exists(dll), $"{dll} is not built: build the solution first.");
        ChildProcess.Result result = ChildProcess.Run("dotnet", [dll, .. arguments], timeout: TimeSpan.FromMinutes(2));
        return (result.ExitCode, result.Output, result.Error);
    }

    [GeneratedRegex(@"largest contributions to its logit (-?[0-9.]+):")]
    private static partial Regex ExplainedLogit();

    [GeneratedRegex(@"= logit\s+([+-]?[0-9.]+)")]
    private static partial Regex TotalLogit();
}
