using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;
using static System.FormattableString;

namespace MLGated.Benchmarks.Defaults;

/// <summary>
/// `defaults`: what an ML.NET user gets with defaults everywhere. Every set is prepared as such a user would (categoricals
/// one-hot, NormalizeMeanVariance, keys for classes); every trainer — ours and ML.NET's linear, online and tree trainers —
/// runs with its defaults in 5-fold cross-validation (ML.NET's CrossValidationSplit, seed --seed), scored by ML.NET's
/// evaluators. --repeats N repeats the cross-validation with seeds seed … seed + N − 1 (the folds and every trainer's
/// own seed change with it), because on sets of a few hundred rows one seed's figures move by more than the gaps
/// between trainers; the figures are then means over all N × 5 folds. Error: RMSE (regression), 1 − AUC (binary),
/// 1 − micro-accuracy (multiclass); log loss for classifiers and the Gaussian negative log-likelihood for trainers that
/// predict a variance; Fit seconds per fold (the median over the folds). The summary gives each
/// MLGated trainer's geometric-mean error ratio to LightGbm, its wins (error at or below LightGbm's) and its sets below
/// every linear trainer.
/// </summary>
internal static class DefaultsBenchmark
{
    public static int Run(BenchmarkArguments cl)
    {
        string root = cl.Text("data") ?? throw new ArgumentException("defaults needs --data DIR (../shared/data, holding uci/, tabular/ and mnist/).");
        string[] sets = cl.Text("sets") is { } list ? list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : DefaultsDataSets.Names;
        string[]? only = cl.Text("trainers")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        int folds = cl.Int("folds", 5), seed = cl.Int("seed", 1), repeats = cl.Int("repeats", 1);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(repeats, "--repeats");
        int[] seeds = Enumerable.Range(seed, repeats).ToArray();
        List<Result> results = cl.Text("baseline") is { } baseline ? Result.Read(baseline, sets, cl.Flag("candidates") ? DefaultsTrainers.MLGatedNames : only) : [];
        var intervals = new List<IntervalResult>();
        foreach (string name in sets)
        {
            var ml = new MLContext(seed);
            var clock = Stopwatch.StartNew();
            DefaultsDataSet set = DefaultsDataSets.Load(ml, root, name);
            Console.Error.WriteLine(Invariant($"{name}: {set.Rows} rows, {set.Features} features, {set.Task} (loaded in {clock.Elapsed.TotalSeconds:0.0} s)"));
            IEnumerable<DefaultsTrainer> trainers = cl.Flag("candidates") ? DefaultsCandidates.For(set.Task) : DefaultsTrainers.For(set.Task);
            // A candidate is named by its code too ("C8" for "C8 C1, context 2"): its full name may hold commas.
            foreach (DefaultsTrainer trainer in trainers.Where(t => only is null || only.Any(o => t.Name == o || t.Name.StartsWith(o + " ", StringComparison.Ordinal))))
            {
                Result result = CrossValidate(set, trainer, folds, seeds, intervals);
                results.Add(result);
                Console.Error.WriteLine(Invariant($"  {trainer.Name,-26} error {result.Error:0.#####} ± {result.ErrorSe:0.#####}  log loss/NLL {result.LogLoss:0.####}  fit {result.FitSeconds:0.###} s{(result.Failure is null ? string.Empty : "  FAILED: " + result.Failure)}"));
            }
        }

        Summary[] summaries = Summarize(results);
        Console.WriteLine(Markdown(results, summaries, folds, seeds));
        Console.WriteLine(IntervalMarkdown(intervals));
        if (cl.Text("json") is { } json)
        {
            File.WriteAllText(json, JsonSerializer.Serialize(new { title = "defaults", folds, seed, repeats, machine = Machine.Describe(), results, summaries, intervals }, new JsonSerializerOptions { WriteIndented = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals }));
        }

        return 0;
    }

    // Every fold of every seed's split; the error's standard error is over all of them (folds of different seeds share
    // rows, so with repeats it understates the spread: a guide, not a test).
    private static Result CrossValidate(DefaultsDataSet set, DefaultsTrainer trainer, int folds, int[] seeds, List<IntervalResult> intervals)
    {
        var errors = new List<double>();
        var losses = new List<double>();
        var seconds = new List<double>();
        var tally = new DefaultsIntervals.Tally(set.Name, trainer.Name);
        var conformal = new DefaultsIntervals.Tally(set.Name, DefaultsIntervals.ConformalLightGbm);
        bool hasIntervals = set.Task == LearningTask.Regression;
        try
        {
            foreach ((MLContext ml, DataOperationsCatalog.TrainTestData split, int seed) in seeds.SelectMany(s => Splits(set, folds, s)))
            {
                var clock = Stopwatch.StartNew();
                ITransformer model = set.Featurize.Append(trainer.Create(ml)).Fit(split.TrainSet);
                seconds.Add(clock.Elapsed.TotalSeconds);
                IDataView scored = model.Transform(split.TestSet);
                (double error, double loss) = Evaluate(ml, set.Task, scored);
                errors.Add(error);
                losses.Add(loss);
                hasIntervals = hasIntervals && DefaultsIntervals.AddFold(ml, tally, model, split.TestSet);
                if (set.Task == LearningTask.Regression && trainer.Name == DefaultsTrainers.Reference)
                {
                    DefaultsIntervals.AddConformalFold(ml, conformal, set.Featurize, split.TrainSet, split.TestSet, seed);
                }
            }

            if (hasIntervals)
            {
                intervals.Add(tally.Result());
            }

            if (conformal.Rows > 0)
            {
                intervals.Add(conformal.Result());
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return new Result(set.Name, set.Task.ToString(), trainer.Name, trainer.Family.ToString(), double.NaN, double.NaN, double.NaN, double.NaN, [], e.GetType().Name + ": " + e.Message);
        }

        double mean = errors.Average(), se = Math.Sqrt(errors.Sum(e => (e - mean) * (e - mean)) / (errors.Count - 1) / errors.Count);
        return new Result(set.Name, set.Task.ToString(), trainer.Name, trainer.Family.ToString(), mean, se, losses.Average(), Median(seconds), errors.ToArray(), null);
    }

    private static IEnumerable<(MLContext, DataOperationsCatalog.TrainTestData, int)> Splits(DefaultsDataSet set, int folds, int seed)
    {
        var ml = new MLContext(seed);
        return ml.Data.CrossValidationSplit(set.Data, folds, seed: seed).Select(split => (ml, split, seed));
    }

    private static (double Error, double Loss) Evaluate(MLContext ml, LearningTask task, IDataView scored)
    {
        switch (task)
        {
            case LearningTask.Regression:
                RegressionMetrics regression = ml.Regression.Evaluate(scored);
                return (regression.RootMeanSquaredError, GaussianNll(ml, scored));
            case LearningTask.Binary:
                CalibratedBinaryClassificationMetrics binary = ml.BinaryClassification.Evaluate(scored);
                return (1 - binary.AreaUnderRocCurve, binary.LogLoss);
            default:
                MulticlassClassificationMetrics multiclass = ml.MulticlassClassification.Evaluate(scored);
                return (1 - multiclass.MicroAccuracy, multiclass.LogLoss);
        }
    }

    /// <summary>Mean −log N(y; Score, Variance) over the scored rows (our interval evaluator's); NaN for a trainer that predicts no variance.</summary>
    private static double GaussianNll(MLContext ml, IDataView scored)
        => scored.Schema.GetColumnOrNull("Variance") is null ? double.NaN : ml.Regression.EvaluateIntervals(scored).NegativeLogLikelihood;

    private static Summary[] Summarize(List<Result> results)
    {
        var bySet = results.GroupBy(r => r.Set).ToList();
        return results.Where(r => r.Family == nameof(TrainerFamily.MLGated)).Select(r => r.Trainer).Distinct().Select(name =>
        {
            var ratios = new List<double>();
            var timeRatios = new List<double>();
            int wins = 0, belowLinear = 0, sets = 0;
            foreach (var set in bySet)
            {
                Result? ours = set.FirstOrDefault(r => r.Trainer == name), reference = set.FirstOrDefault(r => r.Trainer == DefaultsTrainers.Reference);
                if (ours is null || reference is null || double.IsNaN(ours.Error) || double.IsNaN(reference.Error))
                {
                    continue;
                }

                sets++;
                ratios.Add(Math.Max(ours.Error, 1e-12) / Math.Max(reference.Error, 1e-12));
                timeRatios.Add(ours.FitSeconds / reference.FitSeconds);
                wins += ours.Error <= reference.Error ? 1 : 0;
                double bestLinear = set.Where(r => r.Family == nameof(TrainerFamily.Linear) && !double.IsNaN(r.Error)).Select(r => r.Error).DefaultIfEmpty(double.PositiveInfinity).Min();
                belowLinear += ours.Error < bestLinear ? 1 : 0;
            }

            return new Summary(name, sets, sets == 0 ? double.NaN : Math.Exp(ratios.Average(Math.Log)), wins, belowLinear, Median(timeRatios));
        }).ToArray();
    }

    private static double Median(List<double> values)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        values.Sort();
        return values.Count % 2 == 1 ? values[values.Count / 2] : (values[values.Count / 2 - 1] + values[values.Count / 2]) / 2;
    }

    private static string Markdown(List<Result> results, Summary[] summaries, int folds, int[] seeds)
    {
        var sb = new StringBuilder();
        string repeated = seeds.Length == 1 ? Invariant($"seed {seeds[0]}") : Invariant($"repeated with seeds {seeds[0]}–{seeds[^1]}");
        sb.AppendLine(Invariant($"### Defaults: {folds}-fold cross-validation ({repeated}), every trainer with its defaults after NormalizeMeanVariance")).AppendLine();
        foreach (var task in results.GroupBy(r => r.Task))
        {
            string[] trainers = task.Select(r => r.Trainer).Distinct().ToArray();
            string metric = task.Key switch { nameof(LearningTask.Regression) => "RMSE", nameof(LearningTask.Binary) => "1 − AUC", _ => "1 − accuracy" };
            sb.AppendLine($"{task.Key}: error ({metric}, mean over folds ± standard error); log loss or Gaussian NLL; Fit seconds (median over the folds, so the first fold's JIT does not count)").AppendLine();
            sb.AppendLine("| set | " + string.Join(" | ", trainers) + " |");
            sb.AppendLine("|---|" + string.Concat(trainers.Select(_ => "---|")));
            foreach (var set in task.GroupBy(r => r.Set))
            {
                sb.AppendLine($"| {set.Key} | " + string.Join(" | ", trainers.Select(t => set.FirstOrDefault(r => r.Trainer == t) is { } r ? Cell(r) : "")) + " |");
            }

            sb.AppendLine();
        }

        sb.AppendLine($"| MLGated trainer | sets | geometric-mean error / {DefaultsTrainers.Reference} | at or below {DefaultsTrainers.Reference} | below every linear trainer | median Fit time / {DefaultsTrainers.Reference} |");
        sb.AppendLine("|---|---|---|---|---|---|");
        foreach (Summary s in summaries)
        {
            sb.AppendLine(Invariant($"| {s.Trainer} | {s.Sets} | {s.GeometricMeanRatio:0.###} | {s.Wins} | {s.BelowEveryLinear} | {s.MedianFitTimeRatio:0.##} |"));
        }

        return sb.ToString();
    }

    private static string IntervalMarkdown(List<IntervalResult> intervals)
    {
        if (intervals.Count == 0)
        {
            return string.Empty;
        }

        var sb = new StringBuilder();
        string levels = string.Join(" / ", DefaultsIntervals.Levels.Select(l => Invariant($"{l:P0}")));
        sb.AppendLine(Invariant($"Regression intervals, pooled over the folds: coverage of the central {levels} intervals (share of held-out labels inside), their mean widths, Gaussian NLL and CRPS")).AppendLine();
        sb.AppendLine("| set | trainer | coverage | mean width | NLL | CRPS |");
        sb.AppendLine("|---|---|---|---|---|---|");
        foreach (IntervalResult r in intervals)
        {
            sb.AppendLine(Invariant($"| {r.Set} | {r.Trainer} | {string.Join(" / ", r.Coverage.Select(c => c.ToString("0.000", CultureInfo.InvariantCulture)))} | {string.Join(" / ", r.Width.Select(Number))} | {Number(r.NegativeLogLikelihood)} | {Number(r.Crps)} |"));
        }

        return sb.ToString();
    }

    private static string Cell(Result r) => r.Failure is not null ? "failed" : Invariant($"{Number(r.Error)} ± {Number(r.ErrorSe)}<br>{Number(r.LogLoss)}<br>{r.FitSeconds:0.##} s");

    private static string Number(double value) => double.IsNaN(value) ? "—" : value.ToString(Math.Abs(value) >= 100 ? "0.0" : Math.Abs(value) >= 1 ? "0.###" : "0.####", CultureInfo.InvariantCulture);

    /// <summary>One trainer on one set: the fold-mean error and its standard error, log loss or NLL, median Fit seconds per fold.</summary>
    internal sealed record Result(string Set, string Task, string Trainer, string Family, double Error, double ErrorSe, double LogLoss, double FitSeconds, double[] FoldErrors, string? Failure)
    {
        /// <summary>Results of an earlier run for the given sets, except the trainers this run measures again.</summary>
        public static List<Result> Read(string path, string[] sets, string[]? rerun)
        {
            using JsonDocument document = JsonDocument.Parse(File.ReadAllText(path));
            return document.RootElement.GetProperty("results").Deserialize<List<Result>>(new JsonSerializerOptions { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals })!
                .Where(r => sets.Contains(r.Set) && rerun is not null && !rerun.Contains(r.Trainer))
                .ToList();
        }
    }

    /// <summary>An MLGated trainer against the reference over all sets.</summary>
    internal sealed record Summary(string Trainer, int Sets, double GeometricMeanRatio, int Wins, int BelowEveryLinear, double MedianFitTimeRatio);
}
