using System.Text.RegularExpressions;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.GatedLinear.Tests;

/// <summary>
/// The engine's folders are floors, and code reads only down: Numerics → Persistence → Data, Training, Gating → the
/// models → Bandits, Density. Checked on the sources: every namespace a file names (in a using, a qualified name or a
/// doc reference) must be its own folder's, on a lower floor, or — on the shared floor of Data, Training and Gating —
/// a neighbour's.
/// </summary>
[TestClass]
public partial class LayeringTests
{
    private static readonly Dictionary<string, int> Floors = new()
    {
        ["Numerics"] = 0,
        ["Persistence"] = 1,
        ["Data"] = 2,
        ["Training"] = 2,
        ["Gating"] = 2,
        ["Bernoulli"] = 3,
        ["Gaussian"] = 3,
        ["Galu"] = 3,
        ["Gon"] = 3,
        ["Bandits"] = 4,
        ["Density"] = 4,
    };

    private const int SharedFloor = 2;

    [GeneratedRegex(@"(?<![\w.])(?:Microsoft\.ML\.GatedLinear\.)?(Numerics|Persistence|Data|Training|Gating|Bernoulli|Gaussian|Galu|Gon|Bandits|Density)\b(?=[.;])")]
    private static partial Regex NamespaceReference();

    [TestMethod]
    public void EveryFolderOfTheEngineReadsOnlyFloorsBelowIt()
    {
        string core = Path.Combine(RepositoryRoot(), "Microsoft.ML.GatedLinear.Core");
        var violations = new List<string>();
        foreach (string file in Directory.EnumerateFiles(core, "*.cs", SearchOption.AllDirectories))
        {
            string[] parts = Path.GetRelativePath(core, file).Split(Path.DirectorySeparatorChar);
            if (parts[0] is "obj" or "bin")
            {
                continue;
            }

            if (!Floors.TryGetValue(parts[0], out int floor))
            {
                violations.Add($"{parts[0]}/ has no floor");
                continue;
            }

            foreach (Match reference in NamespaceReference().Matches(StripStrings(File.ReadAllText(file))))
            {
                string target = reference.Groups[1].Value;
                int targetFloor = Floors[target];
                bool allowed = target == parts[0] || targetFloor < floor || (floor == SharedFloor && targetFloor == SharedFloor);
                if (!allowed)
                {
                    violations.Add($"{string.Join('/', parts)} names {target}");
                }
            }
        }

        Assert.AreEqual(0, violations.Count, string.Join(Environment.NewLine, violations.Distinct()));
    }

    [TestMethod]
    public void TheEngineDoesNotReferenceMLNet()
    {
        string project = File.ReadAllText(Path.Combine(RepositoryRoot(), "Microsoft.ML.GatedLinear.Core", "Microsoft.ML.GatedLinear.Core.csproj"));
        Assert.IsFalse(project.Contains("\"Microsoft.ML\"", StringComparison.Ordinal), "the core stays free of Microsoft.ML");
        Assert.IsFalse(typeof(GatedLinear.Bernoulli.BernoulliGlnClassifier).Assembly.GetReferencedAssemblies().Any(a => a.Name!.StartsWith("Microsoft.ML", StringComparison.Ordinal)));
    }

    // Messages mention folders in prose ("the training data has no rows"): string literals do not count, doc comments do.
    private static string StripStrings(string source)
        => string.Join('\n', source.Split('\n').Select(line => line.TrimStart().StartsWith("///", StringComparison.Ordinal) ? line : Regex.Replace(line, "\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"")));

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "MLGated.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("MLGated.sln was not found above the test assembly.");
    }
}
