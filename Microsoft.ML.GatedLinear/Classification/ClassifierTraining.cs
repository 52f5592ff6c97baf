using Microsoft.ML.GatedLinear.Bernoulli;
using Microsoft.ML.GatedLinear.Training;

namespace Microsoft.ML.GatedLinear.Classification;

/// <summary>What the binary and multiclass trainers share: creating, copying and feeding a B-GLN.</summary>
internal static class ClassifierTraining
{
    public static BernoulliGlnClassifier Create(BernoulliGlnOptions template, TrainingStream stream, TrainingStream.Statistics features, int classCount, int seed)
    {
        BernoulliGlnOptions network = template.Clone();
        network.Standardization = StandardizationMode.Supplied;
        network.SuppliedMean = features.Mean;
        network.SuppliedStandardDeviation = features.StandardDeviation;
        network.Seed = seed;
        return BernoulliGlnClassifier.Create(stream.FeatureCount, classCount, network);
    }

    public static BernoulliGlnClassifier Copy(BernoulliGlnClassifier previous, TrainingStream stream, int classCount)
    {
        Data.ModelShape.RequireFeatureCount(stream.FeatureColumn, stream.FeatureCount, previous.FeatureCount);
        if (previous.ClassCount != classCount)
        {
            throw new ArgumentOutOfRangeException(nameof(previous), $"Label column '{stream.LabelColumn.Name}' has {classCount} classes; the previous model has {previous.ClassCount}.");
        }

        using var copy = new MemoryStream();
        previous.Save(copy);
        copy.Position = 0;
        return BernoulliGlnClassifier.Load(copy);
    }

    /// <summary>Feeds batches whose labels arrive as floats (class indices) to the classifier.</summary>
    public static Action<ReadOnlySpan<float>, ReadOnlySpan<float>> Learner(BernoulliGlnClassifier model)
    {
        int[] classes = [];
        return (rows, labels) =>
        {
            if (classes.Length < labels.Length)
            {
                classes = new int[labels.Length];
            }

            for (int i = 0; i < labels.Length; i++)
            {
                classes[i] = (int)labels[i];
            }

            model.Learn(rows, classes.AsSpan(0, labels.Length));
        };
    }
}
