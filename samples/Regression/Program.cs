using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.GatedLinear.Data;
using Microsoft.ML.Trainers.GatedLinear;

// Regression with uncertainty: a Gaussian GLN with defaults in an ML.NET pipeline: 5-fold cross-validated RMSE and
// interval coverage, then 90 % prediction intervals (the Lower and Upper columns) on a held-out fifth, printed and
// plotted (regression-intervals.png in the working folder). Default data: scikit-learn's diabetes set (442 rows, shipped
// in samples/data). Any numeric CSV with a target column `y` works, e.g. a UCI set:
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
    .Append(ml.Regression.Trainers.GatedLinearRegression());

Console.WriteLine("5-fold cross-validation, defaults…");
var folds = ml.Regression.CrossValidate(data, pipeline, numberOfFolds: 5);
double[] rmse = folds.Select(f => f.Metrics.RootMeanSquaredError).ToArray();
double mean = rmse.Average(), se = Math.Sqrt(rmse.Sum(r => (r - mean) * (r - mean)) / (rmse.Length - 1) / rmse.Length);
Console.WriteLine($"  RMSE {mean:0.0} ± {se:0.0} (target standard deviation {Math.Sqrt(rows.Average(r => Math.Pow(r.Label - rows.Average(q => q.Label), 2))):0.0})");
// Each fold's scored test rows carry Lower and Upper: pool their coverage, as a single split of a few hundred rows is noisy.
double foldCoverage = folds.Average(f => ml.Regression.EvaluateIntervals(f.ScoredHoldOutSet).Coverage);
Console.WriteLine($"  the 90 % intervals contain {foldCoverage:P1} of the held-out targets over the 5 folds");

var split = ml.Data.TrainTestSplit(data, testFraction: 0.2, seed: 1);
var model = pipeline.Fit(split.TrainSet);
RegressionIntervalMetrics intervals = ml.Regression.EvaluateIntervals(model.Transform(split.TestSet));
Console.WriteLine($"Held-out fifth: 90 % coverage {intervals.Coverage:P0}, mean width {intervals.MeanIntervalWidth:0.0}, NLL {intervals.NegativeLogLikelihood:0.00}, CRPS {intervals.ContinuousRankedProbabilityScore:0.0} ({intervals.RowCount} rows)");
var engine = ml.Model.CreatePredictionEngine<Patient, Prediction>(model, inputSchemaDefinition: schema);
var held = ml.Data.CreateEnumerable<Patient>(split.TestSet, reuseRowObject: false, schemaDefinition: schema).ToList();
Prediction[] predictions = held.Select(engine.Predict).ToArray();
Console.WriteLine("  prediction  90 % interval      truth");
for (int i = 0; i < 5; i++)
{
    Console.WriteLine($"  {predictions[i].Score,10:0.0}  [{predictions[i].Lower,6:0.0}, {predictions[i].Upper,6:0.0}]  {held[i].Label,6:0}");
}

// The held-out rows in the order of their prediction: the interval as a band, the truth as dots.
int[] order = Enumerable.Range(0, held.Count).OrderBy(i => predictions[i].Score).ToArray();
double[] rank = Enumerable.Range(0, order.Length).Select(i => (double)i).ToArray();
var plot = new ScottPlot.Plot();
var band = plot.Add.FillY(rank, order.Select(i => (double)predictions[i].Lower).ToArray(), order.Select(i => (double)predictions[i].Upper).ToArray());
band.FillColor = ScottPlot.Color.FromHex("#1f77b4").WithAlpha(0.25);
band.LegendText = "90 % interval";
var score = plot.Add.ScatterLine(rank, order.Select(i => (double)predictions[i].Score).ToArray(), ScottPlot.Color.FromHex("#1f77b4"));
score.LegendText = "prediction (Score)";
var truth = plot.Add.ScatterPoints(rank, order.Select(i => (double)held[i].Label).ToArray(), ScottPlot.Color.FromHex("#d62728"));
truth.LegendText = "truth";
plot.Title($"Held-out rows by prediction: {intervals.Coverage:P0} of the truths inside the 90 % intervals");
plot.XLabel("held-out row, in the order of its prediction");
plot.ShowLegend();
string figure = Path.Combine(Directory.GetCurrentDirectory(), "regression-intervals.png");
plot.SavePng(figure, 800, 500);
Console.WriteLine($"Wrote {figure}.");

public sealed class Patient
{
    public float Label { get; set; }

    public float[] Features { get; set; } = [];
}

public sealed class Prediction
{
    public float Score { get; set; }

    public float Variance { get; set; }

    public float Lower { get; set; }

    public float Upper { get; set; }
}
