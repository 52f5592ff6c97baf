using System.Diagnostics;
using Microsoft.ML.GatedLinear.Density;
using Microsoft.ML.GatedLinear.Gaussian;
using MLGated.Samples.Denoising;

// Denoising density estimation with a G-GLN: learn a 2-D Swiss roll from one pass over 3000 points,
// pull a grid of points onto the manifold, and draw samples with HMC driven by the learned score.
// Usage: dotnet run --project samples/Denoising [-- OUTPUT_DIR [MNIST_DIR [TRAIN_IMAGES]]]
// With an MNIST folder it also infills the hidden half of MNIST test digits (see MnistInfilling).
string output = args.Length > 0 ? args[0] : Directory.GetCurrentDirectory();
Directory.CreateDirectory(output);
var random = new Random(1);
double Gaussian() => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
double[][] SwissRoll(int n) => Enumerable.Range(0, n).Select(_ =>
{
    double t = 1.5 * Math.PI * (1 + 2 * random.NextDouble());
    return new[] { t * Math.Cos(t) / 10 + 0.03 * Gaussian(), t * Math.Sin(t) / 10 + 0.03 * Gaussian() };
}).ToArray();

double[][] train = SwissRoll(3000), heldOut = SwissRoll(1000);
const double noiseVariance = 0.02;
var model = new DenoisingDensityModel(2, noiseVariance, new GaussianGlnOptions { ContextDimension = 10, LayerSizes = [64, 32, 1], LearningRate = Microsoft.ML.GatedLinear.Training.LearningRateSchedule.Constant(0.01) });
var clock = Stopwatch.StartNew();
for (int i = 0; i < train.Length; i++)
{
    model.Learn([(float)train[i][0], (float)train[i][1]]);
    if ((i + 1) % 1000 == 0)
    {
        Console.WriteLine($"  learned {i + 1}/{train.Length} points");
    }
}

Console.WriteLine($"One pass over {train.Length} points: {clock.Elapsed.TotalSeconds:0.0} s (noise variance λ = {noiseVariance}).");

// A grid over the plane, denoised by repeated x ← μ(x).
var grid = new List<double[]>();
for (int i = 0; i < 30; i++)
{
    for (int j = 0; j < 30; j++)
    {
        grid.Add([-1.5 + 3.0 * i / 29, -1.5 + 3.0 * j / 29]);
    }
}

double[][] denoised = grid.Select(p =>
{
    double[] q = (double[])p.Clone();
    model.DenoiseRepeatedly(q, steps: 10);
    return q;
}).ToArray();

// HMC driven by the learned score, from random starts.
var sampler = new HamiltonianSampler(model.Score, stepSize: 0.01, leapfrogSteps: 10, seed: 2);
double[][] samples = Enumerable.Range(0, 20).SelectMany(chain =>
{
    double[] all = sampler.Sample([2 * random.NextDouble() - 1, 2 * random.NextDouble() - 1], 60);
    return Enumerable.Range(10, 50).Select(n => new[] { all[2 * n], all[2 * n + 1] });
}).ToArray();

double NearestToHeldOut(double[][] points) => points.Average(p => heldOut.Min(h => Math.Sqrt((p[0] - h[0]) * (p[0] - h[0]) + (p[1] - h[1]) * (p[1] - h[1]))));
Console.WriteLine("Mean distance to the nearest held-out data point (lower is closer to the manifold):");
Console.WriteLine($"  grid before denoising   {NearestToHeldOut(grid.ToArray()):0.000}");
Console.WriteLine($"  grid after 10 steps     {NearestToHeldOut(denoised):0.000}");
Console.WriteLine($"  HMC samples             {NearestToHeldOut(samples):0.000}");
Console.WriteLine($"  held-out data itself vs training data: {heldOut.Take(300).Average(p => train.Min(h => Math.Sqrt((p[0] - h[0]) * (p[0] - h[0]) + (p[1] - h[1]) * (p[1] - h[1])))):0.000}");

void SaveScatter(string file, string title, params (string Label, string Colour, double[][] Points, float Size)[] layers)
{
    var plot = new ScottPlot.Plot();
    foreach ((string label, string colour, double[][] points, float size) in layers)
    {
        var scatter = plot.Add.ScatterPoints(points.Select(p => p[0]).ToArray(), points.Select(p => p[1]).ToArray(), ScottPlot.Color.FromHex(colour));
        scatter.MarkerSize = size;
        scatter.LegendText = label;
    }

    plot.Title(title);
    plot.Axes.SetLimits(-1.6, 1.6, -1.6, 1.6);
    plot.SavePng(Path.Combine(output, file), 560, 600);
}

SaveScatter("swiss-roll-denoising.png", "A grid denoised onto the Swiss roll by a G-GLN (one pass)", ("training data", "#bbbbbb", train, 3), ("grid", "#1f77b4", grid.ToArray(), 3), ("denoised grid", "#d62728", denoised, 4));
SaveScatter("swiss-roll-hmc.png", "HMC samples driven by the learned score", ("training data", "#bbbbbb", train, 3), ("HMC samples", "#2ca02c", samples, 4));
Console.WriteLine($"Wrote {Path.Combine(output, "swiss-roll-denoising.png")} and swiss-roll-hmc.png.");

if (args.Length > 1)
{
    MnistInfilling.Run(args[1], output, args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 10_000);
}
