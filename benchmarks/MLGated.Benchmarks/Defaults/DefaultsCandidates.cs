using Microsoft.ML;
using Microsoft.ML.GatedLinear.Bernoulli;
using Microsoft.ML.GatedLinear.Gaussian;
using Microsoft.ML.GatedLinear.Training;
using Microsoft.ML.Trainers.GatedLinear;

namespace MLGated.Benchmarks.Defaults;

/// <summary>
/// Candidate defaults for the gated linear trainers, measured with `defaults --candidates` against the baselines of an
/// earlier run (--baseline): how the library's defaults were chosen.
/// </summary>
internal static class DefaultsCandidates
{
    public static IReadOnlyList<DefaultsTrainer> For(LearningTask task) => task switch
    {
        LearningTask.Regression =>
        [
            Regression("R1 early stopping, constructor defaults", o => o.Network = new GaussianGlnOptions()),
            Regression("R5 ForData rule, validation 0.1", o => o.ValidationFraction = 0.1),
            Regression("R6 R5 with validation 0.2 (the default)", _ => { }),
            Regression("R7 R6 without the linear model", o => o.TryLinearModel = false),
            Regression("R8 the linear model alone", o => { o.Network = GaussianGlnOptions.ForData(1000).AsLinearModel(); o.TryLinearModel = false; }),
            Regression("R9 linear alone eta 0.1", o => { o.Network = GaussianGlnOptions.ForData(1000).AsLinearModel(); o.Network.LearningRate = LearningRateSchedule.Constant(0.1); o.TryLinearModel = false; }),
            Regression("R11 linear alone learning held-out rows", o => { o.Network = GaussianGlnOptions.ForData(1000).AsLinearModel(); o.TryLinearModel = false; o.LearnHeldOutRows = true; }),
            Regression("R10 linear alone eta 0.01", o => { o.Network = GaussianGlnOptions.ForData(1000).AsLinearModel(); o.Network.LearningRate = LearningRateSchedule.Constant(0.01); o.TryLinearModel = false; }),
            Regression("R12 R6 with context 2", o => o.Network = WithContext(2)),
            Regression("R13 R6 with context 3", o => o.Network = WithContext(3)),
            Regression("R14 R6 with context 4", o => o.Network = WithContext(4)),
        ],
        LearningTask.Binary => [.. Classifier.Select(c => Binary(c.Name, c.Configure))],
        _ => [.. Classifier.Select(c => Multiclass(c.Name, c.Configure))],
    };

    // The data-size rule's options with a fixed context dimension instead of the rule's (the rule sets nothing else from the rows).
    private static GaussianGlnOptions WithContext(int contextDimension)
    {
        GaussianGlnOptions options = GaussianGlnOptions.ForData(1000);
        options.ContextDimension = contextDimension;
        return options;
    }

    // The same candidates for binary and multiclass classification (both trainers' options share these settings). Each
    // starts from the constructor's network options (context dimension 4), which were the trainers' defaults until the
    // data-size rule C25 replaced them.
    private static readonly (string Name, Action<GatedLinearClassificationOptions> Configure)[] Classifier =
    [
        ("C1 early stopping", _ => { }),
        ("C25 the ForData rule: context ⌊log₂ rows⌋ − 5 within [2, 4] (the default since session 19)", o => o.Network = null),
        ("C27 C25 without the linear model", o => { o.Network = null; o.TryLinearModel = false; }),
        ("C4 C1, context 6", o => o.Network!.ContextDimension = 6),
        ("C6 C1, [64, 32, 1]", o => o.Network!.LayerSizes = [64, 32, 1]),
        ("C7 C1, η 0.01", o => o.Network!.LearningRate = LearningRateSchedule.Constant(0.01)),
        ("C8 C1, context 2", o => o.Network!.ContextDimension = 2),
        ("C9 C1, context 1", o => o.Network!.ContextDimension = 1),
        ("C10 C1, validation 0.2", o => o.ValidationFraction = 0.2),
        ("C11 C1, [16, 1]", o => o.Network!.LayerSizes = [16, 1]),
        ("C12 C1, patience 10", o => o.EarlyStoppingPatience = 10),
        ("C13 C1, weight bound 20", o => o.Network!.WeightBound = 20),
        ("C14 C1 with layers 32 and 1 (the default since session 10: now C1)", o => o.Network!.LayerSizes = [32, 1]),
        ("C0 C1 with layers 32 32 1 (C1 before session 10)", o => o.Network!.LayerSizes = [32, 32, 1]),
        ("C15 C1 with layers 16, 16 and 1", o => o.Network!.LayerSizes = [16, 16, 1]),
        ("C16 C1 without the linear model", o => o.TryLinearModel = false),
        ("C17 the linear model alone", o => { o.Network = o.Network!.AsLinearModel(); o.TryLinearModel = false; }),
        ("C20 linear alone learning held-out rows", o => { o.Network = o.Network!.AsLinearModel(); o.TryLinearModel = false; o.LearnHeldOutRows = true; }),
        ("C18 linear alone eta 0.1", o => { o.Network = o.Network!.AsLinearModel(); o.Network.LearningRate = LearningRateSchedule.CappedHarmonic(1000, 0.1); o.TryLinearModel = false; }),
        ("C19 linear alone eta 0.03", o => { o.Network = o.Network!.AsLinearModel(); o.Network.LearningRate = LearningRateSchedule.CappedHarmonic(300, 0.03); o.TryLinearModel = false; }),
        ("C21 C1, context 3", o => o.Network!.ContextDimension = 3),
        ("C22 C1, context 5", o => o.Network!.ContextDimension = 5),
        ("C23 C1, [64, 1]", o => o.Network!.LayerSizes = [64, 1]),
        ("C24 C1, context 6, [64, 1]", o => { o.Network!.ContextDimension = 6; o.Network.LayerSizes = [64, 1]; }),
    ];

    private static DefaultsTrainer Regression(string name, Action<GatedLinearRegressionTrainer.Options> configure)
        => new(name, TrainerFamily.MLGated, ml =>
        {
            var options = new GatedLinearRegressionTrainer.Options();
            configure(options);
            return ml.Regression.Trainers.GatedLinearRegression(options);
        });

    private static DefaultsTrainer Binary(string name, Action<GatedLinearBinaryClassificationTrainer.Options> configure)
        => new(name, TrainerFamily.MLGated, ml =>
        {
            var options = new GatedLinearBinaryClassificationTrainer.Options { Network = new BernoulliGlnOptions() };
            configure(options);
            return ml.BinaryClassification.Trainers.GatedLinearClassification(options);
        });

    private static DefaultsTrainer Multiclass(string name, Action<GatedLinearMulticlassClassificationTrainer.Options> configure)
        => new(name, TrainerFamily.MLGated, ml =>
        {
            var options = new GatedLinearMulticlassClassificationTrainer.Options { Network = new BernoulliGlnOptions() };
            configure(options);
            return ml.MulticlassClassification.Trainers.GatedLinearClassification(options);
        });
}
