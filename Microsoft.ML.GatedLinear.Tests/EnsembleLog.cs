using System.Text.RegularExpressions;

namespace Microsoft.ML.GatedLinear.Tests;

/// <summary>What a GLN trainer's log says of an ensemble's held-out shares.</summary>
internal static class EnsembleLog
{
    /// <summary>
    /// Rows each model held out, first model first: the first's from the training line ("… its own share of the rows (H for
    /// the first) …"), the others' from their "Model k of n, seed s, H rows held out." lines.
    /// </summary>
    public static int[] HeldOutCounts(IEnumerable<string> log)
    {
        string[] lines = [.. log];
        int first = int.Parse(lines.Select(m => Regex.Match(m, @"own share of the rows \((\d+) for the first\)")).Single(m => m.Success).Groups[1].Value);
        return [first, .. lines.Select(m => Regex.Match(m, @"^Model \d+ of \d+, seed -?\d+, (\d+) rows held out\.$")).Where(m => m.Success).Select(m => int.Parse(m.Groups[1].Value))];
    }
}
