using System.Globalization;
using Microsoft.ML.GatedLinear.Data;

namespace MLGated.Lab;

/// <summary>
/// A UCI regression data set in the layout of the dropout-uncertainty benchmarks, the protocol of the
/// Gaussian GLN paper's Table 1: <c>data.csv</c> (a header row, the features, then the target column
/// <c>y</c>) and <c>splits/index_train_i.txt</c>, <c>splits/index_test_i.txt</c> for i = 0, 1, …, each
/// holding one 0-based row index into data.csv (header excluded) per line.
/// </summary>
public sealed class UciSplits
{
    /// <summary>The name of the target column in data.csv.</summary>
    public const string TargetColumn = "y";

    private readonly int[][] _train;
    private readonly int[][] _test;

    private UciSplits(string name, LabeledData<float> data, int[][] train, int[][] test)
    {
        Name = name;
        Data = data;
        _train = train;
        _test = test;
    }

    /// <summary>The data set's name: its folder's name.</summary>
    public string Name { get; }

    /// <summary>Every row of data.csv, in file order; the split indices refer to these rows.</summary>
    public LabeledData<float> Data { get; }

    /// <summary>Number of train/test splits (20 for most sets, 5 for protein).</summary>
    public int SplitCount => _train.Length;

    /// <summary>The row indices of split <paramref name="i"/>, in file order (copies, free to modify).</summary>
    /// <param name="i">The split, 0 … <see cref="SplitCount"/> − 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="i"/> is not a split number.</exception>
    public (int[] Train, int[] Test) Split(int i)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(i);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(i, SplitCount);
        return ((int[])_train[i].Clone(), (int[])_test[i].Clone());
    }

    /// <summary>
    /// Loads data.csv and every split of one data set. Splits are numbered consecutively from 0: they are
    /// counted by probing index_train_0.txt, index_train_1.txt, … until one is missing.
    /// </summary>
    /// <param name="dataSetDirectory">The data set's folder, e.g. <c>uci/boston_housing</c>.</param>
    /// <exception cref="FileNotFoundException">data.csv, index_train_0.txt, or the test file of an existing training file is missing; the message names the path.</exception>
    /// <exception cref="FormatException">A file is malformed: data.csv has no rows, an index is not a whole number or out of range, a split file is empty, or a row is in both the training and test part of a split; the message names the file and line.</exception>
    public static UciSplits Load(string dataSetDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataSetDirectory);
        string dataPath = Path.Combine(dataSetDirectory, "data.csv");
        LabeledData<float> data = NumericCsv.Read(RequireFile(dataPath)).ToRegression(TargetColumn);
        if (data.RowCount == 0)
        {
            throw new FormatException($"{dataPath} has a header but no data rows.");
        }

        string splitDirectory = Path.Combine(dataSetDirectory, "splits");
        var train = new List<int[]>();
        var test = new List<int[]>();
        for (int i = 0; ; i++)
        {
            string trainPath = Path.Combine(splitDirectory, $"index_train_{i}.txt");
            if (i > 0 && !File.Exists(trainPath))
            {
                break;
            }

            string testPath = Path.Combine(splitDirectory, $"index_test_{i}.txt");
            var inTrain = new bool[data.RowCount];
            train.Add(ReadIndices(RequireFile(trainPath), data.RowCount, (row, _) => inTrain[row] = true));
            test.Add(ReadIndices(RequireFile(testPath), data.RowCount, (row, line) =>
            {
                if (inTrain[row])
                {
                    throw new FormatException($"{testPath}, line {line}: row {row} is also in {trainPath}; the training and test rows of a split must be disjoint.");
                }
            }));
        }

        string name = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(dataSetDirectory)));
        return new UciSplits(name, data, train.ToArray(), test.ToArray());
    }

    private static string RequireFile(string path)
        => File.Exists(path) ? path : throw new FileNotFoundException($"The UCI data set file {path} does not exist.", path);

    /// <summary>Reads one index per line (blank lines skipped), checks its range, and hands it with its 1-based line to <paramref name="visit"/>.</summary>
    private static int[] ReadIndices(string path, int rowCount, Action<int, int> visit)
    {
        var rows = new List<int>();
        int line = 0;
        foreach (string text in File.ReadLines(path))
        {
            line++;
            string field = text.Trim();
            if (field.Length == 0)
            {
                continue;
            }

            if (!int.TryParse(field, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int row))
            {
                throw new FormatException($"{path}, line {line}: '{field}' is not a row index.");
            }

            if ((uint)row >= (uint)rowCount)
            {
                throw new FormatException($"{path}, line {line}: row index {row} is out of range; data.csv has {rowCount} data rows (indices 0 to {rowCount - 1}).");
            }

            visit(row, line);
            rows.Add(row);
        }

        return rows.Count > 0 ? rows.ToArray() : throw new FormatException($"{path} lists no row indices; every split needs training and test rows.");
    }
}
