using Microsoft.ML.GatedLinear.Data;

namespace MLGated.Lab;

/// <summary>Loads MNIST from its four IDX files (gzipped or not): pixels scaled to [0, 1], labels 0–9.</summary>
public static class Mnist
{
    /// <summary>Image side length.</summary>
    public const int Side = 28;

    /// <summary>Loads the training and test sets from <paramref name="directory"/>.</summary>
    /// <param name="directory">Holds train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte (each optionally .gz).</param>
    /// <param name="deskew">Deskew every image (<see cref="ImageDeskewing"/>), as DeepMind's and pygln's GLN examples do.</param>
    public static (LabeledData<int> Train, LabeledData<int> Test) Load(string directory, bool deskew)
        => (Load(directory, "train", deskew), Load(directory, "t10k", deskew));

    /// <summary>Loads one split ("train" or "t10k").</summary>
    public static LabeledData<int> Load(string directory, string split, bool deskew)
    {
        IdxFile images = IdxFile.Read(Find(directory, $"{split}-images-idx3-ubyte"));
        IdxFile labels = IdxFile.Read(Find(directory, $"{split}-labels-idx1-ubyte"));
        if (images.Dimensions.Count != 3 || images.Dimensions[1] != Side || images.Dimensions[2] != Side)
        {
            throw new FormatException($"The {split} images are {string.Join("×", images.Dimensions)}, not n×{Side}×{Side}.");
        }

        int n = images.Dimensions[0];
        if (labels.Dimensions.Count != 1 || labels.Dimensions[0] != n)
        {
            throw new FormatException($"The {split} set has {n} images but {string.Join("×", labels.Dimensions)} labels.");
        }

        const int pixels = Side * Side;
        var features = new float[(long)n * pixels];
        var raw = new float[pixels];
        for (int i = 0; i < n; i++)
        {
            Span<float> row = features.AsSpan(i * pixels, pixels);
            Span<float> target = deskew ? raw : row;
            for (int p = 0; p < pixels; p++)
            {
                target[p] = images.Data[(long)i * pixels + p] / 255f;
            }

            if (deskew)
            {
                ImageDeskewing.Deskew(raw, Side, Side, row);
            }
        }

        var classes = new int[n];
        for (int i = 0; i < n; i++)
        {
            classes[i] = labels.Data[i] <= 9 ? labels.Data[i] : throw new FormatException($"Label {i} of the {split} set is {labels.Data[i]}, not a digit.");
        }

        return new LabeledData<int>(features, classes, pixels);
    }

    private static string Find(string directory, string name)
    {
        foreach (string candidate in new[] { name, name + ".gz" })
        {
            string path = Path.Combine(directory, candidate);
            if (File.Exists(path))
            {
                return path;
            }
        }

        throw new FileNotFoundException($"MNIST file {name}[.gz] is not in {directory}.");
    }
}
