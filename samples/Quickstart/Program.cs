using System.Diagnostics;
using Microsoft.ML.GatedLinear.Bernoulli;
using Microsoft.ML.GatedLinear.Data;
using Microsoft.ML.GatedLinear.Training;

// Quickstart: a Bernoulli gated linear network on the Wisconsin breast cancer data (569 rows, 30 features,
// shipped in samples/data). One pass of online learning, then test metrics and an exact explanation.
string path = args.Length > 0 ? args[0] : Path.Combine(AppContext.BaseDirectory, "data", "breast_cancer.csv");
LabeledData<int> all = NumericCsv.Read(path).ToClassification("y");

(LabeledData<int> train, LabeledData<int> test) = all.Split(testFraction: 0.2, seed: 7);

var model = BernoulliGlnClassifier.Create(train.FeatureCount, classCount: 2, new BernoulliGlnOptions { Seed = 1 });
var clock = Stopwatch.StartNew();
model.Fit(train, new OnlineTrainingOptions { Epochs = 1, Seed = 1 });
clock.Stop();

var probabilities = new double[test.RowCount];
for (int i = 0; i < test.RowCount; i++)
{
    probabilities[i] = model.PredictProbability(test.Row(i));
}

int[] labels = test.Labels.ToArray();
double accuracy = probabilities.Zip(labels, (p, y) => (p > 0.5 ? 1 : 0) == y ? 1.0 : 0.0).Average();
double logLoss = -probabilities.Zip(labels, (p, y) => Math.Log(Math.Clamp(y == 1 ? p : 1 - p, 1e-15, 1))).Average();
Console.WriteLine($"MLGated quickstart: B-GLN on breast cancer ({train.RowCount} train / {test.RowCount} test rows, {train.FeatureCount} features)");
Console.WriteLine($"  trained in one pass: {clock.Elapsed.TotalMilliseconds:0} ms");
Console.WriteLine($"  test accuracy  {accuracy:P1}");
Console.WriteLine($"  test AUC       {Auc(probabilities, labels):0.000}");
Console.WriteLine($"  test log loss  {logLoss:0.000}");

// Every prediction decomposes exactly into per-feature contributions to the logit. Explain the test row the
// model is least sure about (a confident prediction is often clipped, and a clipped neuron is a constant).
int unsure = Enumerable.Range(0, test.RowCount).MinBy(i => Math.Abs(probabilities[i] - 0.5));
LogitAttribution why = model.Explain(test.Row(unsure), classIndex: 1);
Console.WriteLine($"  least certain test row: P(benign) = {why.Probability:0.000} (label {labels[unsure]}); largest contributions to its logit {why.Logit:0.00}:");
int[] largest = Enumerable.Range(0, train.FeatureCount).OrderByDescending(j => Math.Abs(why.Contribution(j))).Take(5).ToArray();
foreach (int j in largest)
{
    Console.WriteLine($"    {train.FeatureNames![j],-24} {why.Contribution(j),8:+0.000;-0.000;0.000}");
}

double rest = Enumerable.Range(0, train.FeatureCount).Except(largest).Sum(j => why.Contribution(j));
Console.WriteLine($"    {$"(the other {train.FeatureCount - largest.Length})",-24} {rest,8:+0.000;-0.000;0.000}");
Console.WriteLine($"    {"(intercept)",-24} {why.Intercept,8:+0.000;-0.000;0.000}");
Console.WriteLine($"    {"= logit",-24} {largest.Sum(j => why.Contribution(j)) + rest + why.Intercept,8:+0.000;-0.000;0.000}");

// Area under the ROC curve by the rank statistic (ties counted half).
static double Auc(double[] scores, int[] labels)
{
    double positives = labels.Count(y => y == 1), negatives = labels.Length - positives, wins = 0;
    for (int i = 0; i < scores.Length; i++)
    {
        for (int k = 0; k < scores.Length; k++)
        {
            if (labels[i] == 1 && labels[k] == 0)
            {
                wins += scores[i] > scores[k] ? 1 : scores[i] == scores[k] ? 0.5 : 0;
            }
        }
    }

    return wins / (positives * negatives);
}
