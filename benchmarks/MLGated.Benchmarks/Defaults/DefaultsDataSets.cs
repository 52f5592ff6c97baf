using System.IO.Compression;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.GatedLinear.Data;
using MLGated.Lab;

namespace MLGated.Benchmarks.Defaults;

/// <summary>What a data set asks of a trainer.</summary>
internal enum LearningTask
{
    Regression,
    Binary,
    Multiclass,
}

/// <summary>
/// A public data set as a new ML.NET user would prepare it: the raw rows, and the featurization every trainer gets in
/// front of it (categoricals one-hot encoded, then <c>NormalizeMeanVariance("Features")</c>; class labels mapped to keys).
/// </summary>
internal sealed record DefaultsDataSet(string Name, LearningTask Task, IDataView Data, IEstimator<ITransformer> Featurize, int Rows, int Features);

/// <summary>Loads the sets of the <c>defaults</c> benchmark from ../shared/data (the folder given with --data).</summary>
internal static class DefaultsDataSets
{
    public static readonly string[] Names =
    [
        "boston_housing", "concrete", "energy", "kin8nm", "naval", "power_plant", "protein", "wine_quality_red", "yacht",
        "diabetes", "breast_cancer", "adult", "iris", "wine", "digits", "mnist10k",
    ];

    /// <summary>
    /// One of <see cref="Names"/>, or a variant of one that is not among them (given with --sets): fewer rows, fewer
    /// features or two of the classes, to check a rule measured on the sets against data it was not chosen on. A variant
    /// takes the first rows in file order.
    /// </summary>
    public static DefaultsDataSet Load(MLContext ml, string root, string name) => name switch
    {
        "wine_4_features" => Variant(ml, name, Path.Combine(root, "tabular", "wine", "data.csv"), LearningTask.Multiclass, features: 4),
        "wine_6_features" => Variant(ml, name, Path.Combine(root, "tabular", "wine", "data.csv"), LearningTask.Multiclass, features: 6),
        "wine_quality_400_classes" => Variant(ml, name, Path.Combine(root, "uci", "wine_quality_red", "data.csv"), LearningTask.Multiclass, rows: 400),
        "digits_400" => Variant(ml, name, Path.Combine(root, "tabular", "digits", "data.csv"), LearningTask.Multiclass, rows: 400),
        "mnist_400" => MnistSubset(ml, name, Path.Combine(root, "mnist"), 400),
        "breast_cancer_6_features" => Variant(ml, name, Path.Combine(root, "tabular", "breast_cancer", "data.csv"), LearningTask.Binary, features: 6),
        "breast_cancer_10_features" => Variant(ml, name, Path.Combine(root, "tabular", "breast_cancer", "data.csv"), LearningTask.Binary, features: 10),
        // Versicolor (1) against virginica (2), setosa's rows left out.
        "iris_2_classes" => Variant(ml, name, Path.Combine(root, "tabular", "iris", "data.csv"), LearningTask.Binary, label: y => y > 0 ? y - 1 : null),
        // Quality 6 or more against less.
        "wine_quality_400_binary" => Variant(ml, name, Path.Combine(root, "uci", "wine_quality_red", "data.csv"), LearningTask.Binary, rows: 400, label: y => y >= 6 ? 1 : 0),
        "diabetes" => Numeric(ml, name, Path.Combine(root, "tabular", name, "data.csv"), LearningTask.Regression),
        "breast_cancer" => Numeric(ml, name, Path.Combine(root, "tabular", name, "data.csv"), LearningTask.Binary),
        "iris" or "wine" or "digits" => Numeric(ml, name, Path.Combine(root, "tabular", name, "data.csv"), LearningTask.Multiclass),
        "adult" => Adult(ml, Path.Combine(root, "tabular", "adult", "train.csv.gz")),
        "mnist10k" => MnistSubset(ml, name, Path.Combine(root, "mnist"), 10_000),
        _ => Numeric(ml, name, Path.Combine(root, "uci", name, "data.csv"), LearningTask.Regression),
    };

    private static DefaultsDataSet Numeric(MLContext ml, string name, string path, LearningTask task)
    {
        NumericCsv csv = NumericCsv.Read(path);
        LabeledData<float> rows = csv.ToRegression("y");
        return FromRows(ml, name, task, rows.Features.ToArray(), rows.Labels.ToArray(), rows.FeatureCount);
    }

    // The first rows (at most `rows`) with a label kept by `label` (null leaves the row out), their first `features` features.
    private static DefaultsDataSet Variant(MLContext ml, string name, string path, LearningTask task, int rows = int.MaxValue, int? features = null, Func<float, float?>? label = null)
    {
        LabeledData<float> all = NumericCsv.Read(path).ToRegression("y");
        int d = all.FeatureCount, kept = features ?? d;
        var x = new List<float>();
        var y = new List<float>();
        for (int i = 0; i < all.RowCount && y.Count < rows; i++)
        {
            if ((label is null ? all.Labels[i] : label(all.Labels[i])) is { } value)
            {
                x.AddRange(all.Row(i)[..kept]);
                y.Add(value);
            }
        }

        return FromRows(ml, name, task, [.. x], [.. y], kept);
    }

    private static DefaultsDataSet MnistSubset(MLContext ml, string name, string directory, int count)
    {
        LabeledData<int> train = Mnist.Load(directory, "train", deskew: false);
        int d = train.FeatureCount;
        return FromRows(ml, name, LearningTask.Multiclass, train.Features[..(count * d)].ToArray(), train.Labels[..count].ToArray().Select(l => (float)l).ToArray(), d);
    }

    private static DefaultsDataSet FromRows(MLContext ml, string name, LearningTask task, float[] features, float[] labels, int d)
    {
        IDataView data = task == LearningTask.Binary
            ? Load(ml, d, Enumerable.Range(0, labels.Length).Select(i => new BinaryRow { Label = labels[i] > 0.5f, Features = features.AsSpan(i * d, d).ToArray() }).ToList())
            : Load(ml, d, Enumerable.Range(0, labels.Length).Select(i => new NumericRow { Label = labels[i], Features = features.AsSpan(i * d, d).ToArray() }).ToList());
        IEstimator<ITransformer> featurize = ml.Transforms.NormalizeMeanVariance("Features");
        if (task == LearningTask.Multiclass)
        {
            featurize = ml.Transforms.Conversion.MapValueToKey("Label").Append(featurize);
        }

        return new DefaultsDataSet(name, task, data, featurize, labels.Length, d);
    }

    private static IDataView Load<TRow>(MLContext ml, int d, List<TRow> rows)
        where TRow : class
    {
        SchemaDefinition schema = SchemaDefinition.Create(typeof(TRow));
        schema["Features"].ColumnType = new VectorDataViewType(NumberDataViewType.Single, d);
        return ml.Data.Cache(ml.Data.LoadFromEnumerable(rows, schema));
    }

    private static DefaultsDataSet Adult(MLContext ml, string path)
    {
        string[] categorical = ["workclass", "education", "marital_status", "occupation", "relationship", "race", "sex", "native_country"];
        string[] numeric = ["age", "fnlwgt", "education_num", "capital_gain", "capital_loss", "hours_per_week"];
        using var reader = new StreamReader(new GZipStream(File.OpenRead(path), CompressionMode.Decompress));
        string[] header = reader.ReadLine()!.Split(',');
        var rows = new List<AdultRow>();
        while (reader.ReadLine() is { } line)
        {
            string[] f = line.Split(',');
            string Field(string column) => f[Array.IndexOf(header, column)];
            float Number(string column) => float.Parse(Field(column), System.Globalization.CultureInfo.InvariantCulture);
            rows.Add(new AdultRow
            {
                Label = Field("y") == ">50K",
                Numbers = numeric.Select(Number).ToArray(),
                Categories = categorical.Select(Field).ToArray(),
            });
        }

        SchemaDefinition schema = SchemaDefinition.Create(typeof(AdultRow));
        schema[nameof(AdultRow.Numbers)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, numeric.Length);
        schema[nameof(AdultRow.Categories)].ColumnType = new VectorDataViewType(TextDataViewType.Instance, categorical.Length);
        IDataView data = ml.Data.Cache(ml.Data.LoadFromEnumerable(rows, schema));
        IEstimator<ITransformer> featurize = ml.Transforms.Categorical.OneHotEncoding("CategoryCodes", nameof(AdultRow.Categories))
            .Append(ml.Transforms.Concatenate("Features", nameof(AdultRow.Numbers), "CategoryCodes"))
            .Append(ml.Transforms.NormalizeMeanVariance("Features"));
        return new DefaultsDataSet("adult", LearningTask.Binary, data, featurize, rows.Count, numeric.Length + categorical.Length);
    }

    private sealed class NumericRow
    {
        public float Label { get; set; }

        public float[] Features { get; set; } = [];
    }

    private sealed class BinaryRow
    {
        public bool Label { get; set; }

        public float[] Features { get; set; } = [];
    }

    private sealed class AdultRow
    {
        public bool Label { get; set; }

        public float[] Numbers { get; set; } = [];

        public string[] Categories { get; set; } = [];
    }
}
