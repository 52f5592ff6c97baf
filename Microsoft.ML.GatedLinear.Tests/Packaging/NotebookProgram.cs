using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Microsoft.ML.GatedLinear.Tests.Packaging;

/// <summary>
/// Turns a .NET Interactive notebook into a console program: <c>#r "nuget: Name, Version"</c> lines become package
/// references, cells that declare types go after the statements (C# requires top-level statements first), and
/// <c>display(x)</c> prints its argument; <c>HTML(markup)</c>, which the kernel renders, becomes a one-line summary so a
/// plot's SVG does not flood the output.
/// </summary>
internal sealed partial class NotebookProgram
{
    private NotebookProgram(IReadOnlyList<(string Name, string Version)> packages, string source)
    {
        Packages = packages;
        Source = source;
    }

    public IReadOnlyList<(string Name, string Version)> Packages { get; }

    public string Source { get; }

    public static NotebookProgram FromJson(string json)
    {
        using JsonDocument document = JsonDocument.Parse(json);
        var packages = new List<(string, string)>();
        var usings = new StringBuilder();
        var statements = new StringBuilder();
        var types = new StringBuilder();
        foreach (JsonElement cell in document.RootElement.GetProperty("cells").EnumerateArray())
        {
            if (cell.GetProperty("cell_type").GetString() != "code")
            {
                continue;
            }

            string code = string.Concat(cell.GetProperty("source").EnumerateArray().Select(line => line.GetString()));
            var body = new StringBuilder();
            foreach (string line in code.Split('\n'))
            {
                Match reference = PackageReference().Match(line);
                if (reference.Success)
                {
                    packages.Add((reference.Groups[1].Value.Trim(), reference.Groups[2].Value.Trim()));
                }
                else if (line.StartsWith("using ", StringComparison.Ordinal) && line.TrimEnd().EndsWith(';'))
                {
                    usings.AppendLine(line);
                }
                else
                {
                    body.AppendLine(line);
                }
            }

            string text = body.ToString();
            (TypeDeclaration().IsMatch(text) ? types : statements).AppendLine(text);
        }

        string source = usings + statements.ToString() + "static void display(object? value) => Console.WriteLine(value);\n"
            + "static string HTML(string markup) => $\"(HTML, {markup.Length} characters)\";\n" + types;
        return new NotebookProgram(packages, source);
    }

    [GeneratedRegex("""^#r\s+"nuget:\s*([^,"]+)\s*,\s*([^"]+)"\s*$""")]
    private static partial Regex PackageReference();

    [GeneratedRegex(@"^\s*public\s+(sealed\s+|static\s+|abstract\s+)*(class|record|struct|interface|enum)\s", RegexOptions.Multiline)]
    private static partial Regex TypeDeclaration();
}
