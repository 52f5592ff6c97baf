using System.Runtime.CompilerServices;
using Microsoft.ML.GatedLinear.Bernoulli;
using Microsoft.ML.GatedLinear.Numerics;
using Microsoft.ML.GatedLinear.Training;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.Trainers.GatedLinear;

/// <summary>What the binary and multiclass B-GLN trainers share: creating, copying and feeding the classifier.</summary>
/// <typeparam name="TTransformer">The fitted transformer.</typeparam>
public abstract class GatedLinearClassificationTrainer<TTransformer> : GatedLinearTrainer<TTransformer, BernoulliGlnClassifier>
    where TTransformer : GatedLinearPredictionTransformer<BernoulliGlnClassifier>
{
    private readonly BernoulliGlnOptions? _network;
    private readonly bool _tryLinearModel;
    private readonly int? _ensembleSize;
    private readonly bool? _linearDiscriminantBase;
    private readonly double? _linearDiscriminantStart;
    // The linear discriminant of each fit's rows: every member's network and linear model read the same one.
    private readonly ConditionalWeakTable<ScannedRows, LinearDiscriminantBase> _discriminants = new();

    private protected GatedLinearClassificationTrainer(IHostEnvironment environment, string name, GatedLinearClassificationOptions options)
        : base(environment, name, options)
    {
        _network = options.Network;
        _tryLinearModel = options.TryLinearModel;
        _ensembleSize = options.EnsembleSize;
        _linearDiscriminantBase = options.LinearDiscriminantBase;
        _linearDiscriminantStart = options.LinearDiscriminantStart;
    }

    private protected abstract int ClassCount(CursorRows rows);

    private protected override BernoulliGlnClassifier CreateModel(ScannedRows data, int seed, int cores)
        => Create(NetworkFor(data.Rows).Clone(), data, seed, cores);

    private protected override BernoulliGlnClassifier? CreateLinearModel(ScannedRows data, int seed, int cores)
        => _tryLinearModel ? Create(NetworkFor(data.Rows).AsLinearModel(), data, seed, cores) : null;

    private BernoulliGlnOptions NetworkFor(CursorRows rows) => _network ?? BernoulliGlnOptions.ForData(rows.RowCount);

    private BernoulliGlnClassifier Create(BernoulliGlnOptions network, ScannedRows data, int seed, int cores)
    {
        (CursorRows rows, RunningMoments features) = (data.Rows, data.Features);
        network.MaxDegreeOfParallelism = Math.Min(network.MaxDegreeOfParallelism, cores);
        network.Standardization = StandardizationMode.Supplied;
        network.SuppliedMean = features.Mean.ToArray();
        network.SuppliedStandardDeviation = features.PopulationStandardDeviations();
        network.Seed = seed;
        int classes = ClassCount(rows);
        // Fitted once on every training row, held out or not, as the standardization is: so every averaged model reads
        // the same discriminant, whatever rows its seed holds out.
        LinearDiscriminantBase? discriminant = _linearDiscriminantBase ?? UsesDiscriminantByDefault(data, classes)
            ? _discriminants.GetValue(data, d => BernoulliGlnClassifier.FitLinearDiscriminant(rows.FeatureCount, classes, network, [d.Rows, d.HeldOut]))
            : null;
        return BernoulliGlnClassifier.Create(rows.FeatureCount, classes, network, discriminant, _linearDiscriminantStart ?? DiscriminantStartByDefault(data, classes));
    }

    // The rule of LinearDiscriminantStart's default: ½ for more than two classes from 20 training rows (the ones the
    // discriminant is fitted on) per feature.
    private static double DiscriminantStartByDefault(ScannedRows data, int classes)
        => classes > 2 && data.TrainingRowCount >= (long)GatedLinearClassificationOptions.LinearDiscriminantStartRowsPerFeature * data.Rows.FeatureCount
            ? GatedLinearClassificationOptions.DefaultLinearDiscriminantStart
            : 0;

    // The rule of LinearDiscriminantBase's default: below 512 learned rows when rows are held out (and more rows than
    // classes, which a pooled covariance needs).
    private static bool UsesDiscriminantByDefault(ScannedRows data, int classes)
        => data.HeldOut.RowCount > 0 && data.Rows.RowCount < GatedLinearTrainerOptions.EnsembleRowLimit && data.TrainingRowCount > classes;

    private protected override BernoulliGlnClassifier Continue(TTransformer previous, CursorRows rows)
    {
        RequireFeatureCount(rows, previous.Model.FeatureCount);
        int classes = ClassCount(rows);
        if (previous.Model.ClassCount != classes)
        {
            throw new ArgumentOutOfRangeException(nameof(previous), $"Label column '{rows.LabelColumn.Name}' has {classes} classes; the previous model has {previous.Model.ClassCount}.");
        }

        return ModelCopy.Of(previous.Model, (m, s) => m.Save(s), BernoulliGlnClassifier.Load);
    }

    private protected override int EnsembleSize(CursorRows rows, bool holdsOut)
        => GatedLinearTrainerOptions.EnsembleSizeFor(_ensembleSize, rows.RowCount, holdsOut);

    // A member that kept its linear model takes the network's shape with the linear model's predictions, so all average in one.
    private protected override BernoulliGlnClassifier Average(IReadOnlyList<(BernoulliGlnClassifier Kept, BernoulliGlnClassifier Network)> members)
        => BernoulliGlnClassifier.Average(members.Select(m => ReferenceEquals(m.Kept, m.Network) ? m.Network : m.Network.WithWeightsOf(m.Kept)).ToList());

    private protected override BatchLearner Learner(BernoulliGlnClassifier model) => model.BatchStep;
}
