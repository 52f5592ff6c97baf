using System.Globalization;

namespace Microsoft.ML.GatedLinear.Data;

/// <summary>
/// A numeric CSV table: a header row of column names, then comma-separated numbers (invariant culture).
/// An empty field reads as NaN, a missing value the model will reject by name unless it is imputed.
/// </summary>
public sealed class NumericCsv
{
    private readonly float[] _values;

    private NumericCsv(string[] columnNames, float[] values, int rowCount)
    {
        ColumnNames = columnNames;
        _values = values;
        RowCount = rowCount;
    }

    /// <summary>Column names, from the header.</summary>
    public IReadOnlyList<string> ColumnNames { get; }

    /// <summary>Number of data rows.</summary>
    public int RowCount { get; }

    /// <summary>The value in row <paramref name="row"/>, column <paramref name="column"/>.</summary>
    public float this[int row, int column] => _values[row * ColumnNames.Count + column];

    /// <summary>Reads a file; a name ending in ".gz" is decompressed on the fly.</summary>
    public static NumericCsv Read(string path)
    {
        using Stream file = File.OpenRead(path);
        using Stream stream = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new System.IO.Compression.GZipStream(file, System.IO.Compression.CompressionMode.Decompress) : file;
        using var reader = new StreamReader(stream);
        return Read(reader, path);
    }

    /// <summary>The columns whose names start with <paramref name="prefix"/> followed by digits (e.g. x1, x2, …), in order.</summary>
    public int[] ColumnsWithPrefix(string prefix)
        => Enumerable.Range(0, ColumnNames.Count).Where(j => ColumnNames[j].Length > prefix.Length && ColumnNames[j].StartsWith(prefix, StringComparison.Ordinal) && ColumnNames[j][prefix.Length..].All(char.IsAsciiDigit)).ToArray();

    /// <summary>Reads CSV text; <paramref name="source"/> names it in error messages.</summary>
    /// <exception cref="FormatException">A row has the wrong number of fields or a field is not a number; the message names the line and column.</exception>
    public static NumericCsv Read(TextReader reader, string source = "the CSV text")
    {
        string? header = reader.ReadLine() ?? throw new FormatException($"{source} is empty: it has no header row.");
        string[] names = header.Split(',').Select(n => n.Trim()).ToArray();
        var values = new List<float>();
        int line = 1, rows = 0;
        for (string? text = reader.ReadLine(); text is not null; text = reader.ReadLine())
        {
            line++;
            if (text.Length == 0)
            {
                continue;
            }

            string[] fields = text.Split(',');
            if (fields.Length != names.Length)
            {
                throw new FormatException($"{source}, line {line}: {fields.Length} fields, but the header names {names.Length} columns.");
            }

            for (int j = 0; j < fields.Length; j++)
            {
                string field = fields[j].Trim();
                if (field.Length == 0)
                {
                    values.Add(float.NaN);
                }
                else if (float.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out float v))
                {
                    values.Add(v);
                }
                else
                {
                    throw new FormatException($"{source}, line {line}, column '{names[j]}': '{field}' is not a number.");
                }
            }

            rows++;
        }

        return new NumericCsv(names, values.ToArray(), rows);
    }

    /// <summary>Index of the named column.</summary>
    /// <exception cref="ArgumentException">No column has that name.</exception>
    public int ColumnIndex(string name)
    {
        for (int j = 0; j < ColumnNames.Count; j++)
        {
            if (ColumnNames[j] == name)
            {
                return j;
            }
        }

        throw new ArgumentException($"No column is named '{name}'; the columns are {string.Join(", ", ColumnNames)}.", nameof(name));
    }

    /// <summary>Every other column as features, <paramref name="labelColumn"/> as an integer class label 0 … K−1.</summary>
    /// <exception cref="FormatException">A label is not a non-negative whole number (the message names the row).</exception>
    public LabeledData<int> ToClassification(string labelColumn)
        => Split(labelColumn, (value, row) => value >= 0 && value == MathF.Floor(value) && value < int.MaxValue
            ? (int)value
            : throw new FormatException($"Row {row}, column '{labelColumn}': the class label {value} is not a non-negative whole number."));

    /// <summary>Every other column as features, <paramref name="labelColumn"/> as a real-valued target.</summary>
    public LabeledData<float> ToRegression(string labelColumn) => Split(labelColumn, (value, _) => value);

    private LabeledData<TLabel> Split<TLabel>(string labelColumn, Func<float, int, TLabel> label)
    {
        int target = ColumnIndex(labelColumn), columns = ColumnNames.Count, d = columns - 1;
        if (d == 0)
        {
            throw new ArgumentException("The table has no feature columns besides the label.", nameof(labelColumn));
        }

        var features = new float[(long)RowCount * d];
        var labels = new TLabel[RowCount];
        for (int i = 0; i < RowCount; i++)
        {
            int k = 0;
            for (int j = 0; j < columns; j++)
            {
                if (j == target)
                {
                    labels[i] = label(this[i, j], i);
                }
                else
                {
                    features[(long)i * d + k++] = this[i, j];
                }
            }
        }

        return new LabeledData<TLabel>(features, labels, d, ColumnNames.Where((_, j) => j != target).ToArray());
    }
}
