using System.Diagnostics;
using Microsoft.ML.GatedLinear.Data;
using Microsoft.ML.GatedLinear.Density;
using Microsoft.ML.GatedLinear.Gaussian;
using MLGated.Lab;

namespace MLGated.Samples.Denoising;

/// <summary>
/// MNIST infilling after one pass of denoising training. Images are averaged down to 14×14 (a 196-dimensional
/// target keeps one pass to about a minute); the lower half of each test image is hidden and filled in by
/// repeated denoising x ← μ(x) with the visible pixels held at their values.
/// </summary>
internal static class MnistInfilling
{
    private const int Side = 14, Pixels = Side * Side;

    public static void Run(string mnistDirectory, string output, int trainCount)
    {
        LabeledData<int> train = Mnist.Load(mnistDirectory, "train", deskew: false), test = Mnist.Load(mnistDirectory, "t10k", deskew: false);
        var model = new DenoisingDensityModel(Pixels, noiseVariance: 0.1, new GaussianGlnOptions { LayerSizes = [16, 8, 1], ContextDimension = 6, LearningRate = Microsoft.ML.GatedLinear.Training.LearningRateSchedule.Constant(0.01) });
        var clock = Stopwatch.StartNew();
        var small = new float[Pixels];
        for (int i = 0; i < trainCount; i++)
        {
            Downsample(train.Row(i), small);
            model.Learn(small);
            if ((i + 1) % 2000 == 0)
            {
                Console.WriteLine($"  MNIST: learned {i + 1}/{trainCount} images ({clock.Elapsed.TotalSeconds:0} s)");
            }
        }

        const int shown = 8;
        var rows = new List<float[]>();
        double maskedError = 0, infilledError = 0;
        for (int k = 0; k < shown; k++)
        {
            var original = new float[Pixels];
            Downsample(test.Row(k), original);
            var masked = (float[])original.Clone();
            Array.Fill(masked, 0f, Pixels / 2, Pixels / 2);
            double[] state = masked.Select(v => (double)v).ToArray();
            var x = new float[Pixels];
            for (int step = 0; step < 20; step++)
            {
                for (int p = 0; p < Pixels; p++)
                {
                    x[p] = p < Pixels / 2 ? original[p] : (float)Math.Clamp(state[p], 0, 1);
                }

                model.Denoise(x, state);
            }

            var infilled = new float[Pixels];
            for (int p = 0; p < Pixels; p++)
            {
                infilled[p] = p < Pixels / 2 ? original[p] : (float)Math.Clamp(state[p], 0, 1);
                if (p >= Pixels / 2)
                {
                    maskedError += Math.Pow(masked[p] - original[p], 2);
                    infilledError += Math.Pow(infilled[p] - original[p], 2);
                }
            }

            rows.Add(original);
            rows.Add(masked);
            rows.Add(infilled);
        }

        Console.WriteLine($"MNIST infilling ({trainCount} images, one pass, {clock.Elapsed.TotalSeconds:0} s): squared error of the hidden half, summed over {shown} test images: left blank {maskedError:0.0}, infilled {infilledError:0.0}.");
        string path = Path.Combine(output, "mnist-infilling.png");
        ImageGrid.SavePng(path, [.. Enumerable.Range(0, 3).Select(kind => rows.Where((_, n) => n % 3 == kind).SelectMany(image => image).ToArray())], shown, Side, "MNIST test digits: original; lower half hidden; infilled by the G-GLN");
        Console.WriteLine($"Wrote {path} (rows: original, lower half hidden, infilled).");
    }

    private static void Downsample(ReadOnlySpan<float> image, Span<float> small)
    {
        for (int y = 0; y < Side; y++)
        {
            for (int x = 0; x < Side; x++)
            {
                int i = 2 * y * Mnist.Side + 2 * x;
                small[y * Side + x] = (image[i] + image[i + 1] + image[i + Mnist.Side] + image[i + Mnist.Side + 1]) / 4;
            }
        }
    }
}
