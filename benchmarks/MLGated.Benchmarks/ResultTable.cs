using System.Globalization;
using System.Text;
using System.Text.Json;

namespace MLGated.Benchmarks;

/// <summary>Rows of named figures, printed as a Markdown table and optionally written as JSON.</summary>
internal sealed class ResultTable(string title, params string[] columns)
{
    private readonly List<Dictionary<string, object>> _rows = [];

    public void Add(params object[] values)
    {
        var row = new Dictionary<string, object>();
        for (int i = 0; i < columns.Length; i++)
        {
            row[columns[i]] = values[i];
        }

        _rows.Add(row);
    }

    public string ToMarkdown()
    {
        var sb = new StringBuilder();
        sb.AppendLine($"### {title}").AppendLine();
        sb.AppendLine("| " + string.Join(" | ", columns) + " |");
        sb.AppendLine("|" + string.Concat(columns.Select(_ => "---|")));
        foreach (var row in _rows)
        {
            sb.AppendLine("| " + string.Join(" | ", columns.Select(c => Format(row[c]))) + " |");
        }

        return sb.ToString();
    }

    /// <summary>Writes the title, the rows, the machine, and any headline figures as top-level fields.</summary>
    public void WriteJson(string path, object machine, IReadOnlyDictionary<string, object>? figures = null)
    {
        var document = new Dictionary<string, object> { ["title"] = title, ["rows"] = _rows, ["machine"] = machine };
        foreach ((string name, object value) in figures ?? new Dictionary<string, object>())
        {
            document[name] = value;
        }

        File.WriteAllText(path, JsonSerializer.Serialize(document, new JsonSerializerOptions { WriteIndented = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals }));
    }

    private static string Format(object value) => value switch
    {
        double d => d.ToString("0.####", CultureInfo.InvariantCulture),
        float f => f.ToString("0.####", CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty,
    };
}
