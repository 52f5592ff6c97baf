using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.GatedLinear.Gaussian;
using Microsoft.ML.GatedLinear.Data;
using Microsoft.ML.Trainers.GatedLinear;

// Regression with uncertainty: a Gaussian GLN in an ML.NET pipeline: 5-fold cross-validated RMSE, then 90 %
// prediction intervals on a held-out fifth. Default data: scikit-learn's diabetes set (442 rows, shipped in
// samples/data). Any numeric CSV with a target column `y` works, e.g. a UCI set:
//   dotnet run --project samples/Regression -- ../shared/data/uci/energy/data.csv
string path = args.Length > 0 ? args[0] : Path.Combine(AppContext.BaseDirectory, "data", "diabetes.csv");
LabeledData<float> table = NumericCsv.Read(path).ToRegression("y");
Console.WriteLine($"{path}: {table.RowCount} rows, {table.FeatureCount} features.");
var rows = Enumerable.Range(0, table.RowCount).Select(i => new Patient { Features = table.Row(i).ToArray(), Label = table.Labels[i] }).ToList();
var schema = SchemaDefinition.Create(typeof(Patient));
schema["Features"].ColumnType = new VectorDataViewType(NumberDataViewType.Single, table.FeatureCount);
var ml = new MLContext(seed: 1);
IDataView data = ml.Data.LoadFromEnumerable(rows, schema);
var pipeline = ml.Transforms.NormalizeMeanVariance("Features")
    .Append(ml.Regression.Trainers.GatedLinearRegression(new GatedLinearRegressionTrainer.Options { NumberOfEpochs = 20, Network = new GaussianGlnOptions { ContextDimension = 4, LayerSizes = [16, 16, 1] } }));

Console.WriteLine("5-fold cross-validation…");
var folds = ml.Regression.CrossValidate(data, pipeline, numberOfFolds: 5);
double[] rmse = folds.Select(f => f.Metrics.RootMeanSquaredError).ToArray();
double mean = rmse.Average(), se = Math.Sqrt(rmse.Sum(r => (r - mean) * (r - mean)) / (rmse.Length - 1) / rmse.Length);
Console.WriteLine($"  RMSE {mean:0.0} ± {se:0.0} (target standard deviation {Math.Sqrt(rows.Average(r => Math.Pow(r.Label - rows.Average(q => q.Label), 2))):0.0})");

var split = ml.Data.TrainTestSplit(data, testFraction: 0.2, seed: 1);
var model = pipeline.Fit(split.TrainSet);
var engine = ml.Model.CreatePredictionEngine<Patient, Prediction>(model, inputSchemaDefinition: schema);
var held = ml.Data.CreateEnumerable<Patient>(split.TestSet, reuseRowObject: false, schemaDefinition: schema).ToList();
int covered = 0;
Console.WriteLine("Held-out rows: prediction, 90 % interval, truth");
for (int i = 0; i < held.Count; i++)
{
    Prediction p = engine.Predict(held[i]);
    double half = 1.6449 * Math.Sqrt(p.Variance);
    covered += Math.Abs(held[i].Label - p.Score) <= half ? 1 : 0;
    if (i < 5)
    {
        Console.WriteLine($"  {p.Score,6:0.0}  [{p.Score - half,6:0.0}, {p.Score + half,6:0.0}]  {held[i].Label,6:0}");
    }
}

Console.WriteLine($"  the 90 % intervals contain {covered} of {held.Count} held-out targets ({(double)covered / held.Count:P0})");

public sealed class Patient
{
    public float Label { get; set; }

    public float[] Features { get; set; } = [];
}

public sealed class Prediction
{
    public float Score { get; set; }

    public float Variance { get; set; }
}
