using Microsoft.ML;
using Microsoft.ML.Data;
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
            Regression("R15 the linear model alone on Bayesian linear bases", o => { o.Network = GaussianGlnOptions.ForData(1000).AsLinearModel(); o.Network.BaseModel = GaussianBaseModel.BayesianLinearRegression; o.TryLinearModel = false; }),
            Regression("R16 the session-19 rule for 1000 rows on Bayesian linear bases", o => { o.Network = SessionNineteenRule(1000); o.Network.BaseModel = GaussianBaseModel.BayesianLinearRegression; }),
            RegressionRule("R17 the session-19 rule with η 0.01", n => { n.LayerSizes = [32, 32, 1]; n.LearningRate = LearningRateSchedule.Constant(0.01); }),
            RegressionRule("R18 the session-19 rule averaging weights over 1000 updates", n => { n.LayerSizes = [32, 32, 1]; n.WeightAveragingHorizon = 1000; }),
            RegressionRule("R19 the session-19 rule with gating noise 0.1", n => { n.LayerSizes = [32, 32, 1]; n.GatingNoise = 0.1; }),
            RegressionRule("R20 the session-19 rule with hyperplane offsets of scale 2", n => { n.LayerSizes = [32, 32, 1]; n.HyperplaneOffsetScale = 2; }),
            RegressionRule("R21 the rule for the training rows, unchanged (a check on R6)", _ => { }),
            RegressionRule("R22 the rule with layers [64, 32, 1]", n => n.LayerSizes = [64, 32, 1]),
            RegressionRule("R23 the rule with layers [16, 16, 1]", n => n.LayerSizes = [16, 16, 1]),
            RegressionRule("R24 the rule with layers [64, 1]", n => n.LayerSizes = [64, 1]),
            RegressionRule("R25 the rule's context dimension + 1", n => n.ContextDimension++),
            RegressionRule("R26 the rule with layers [128, 32, 1]", n => n.LayerSizes = [128, 32, 1]),
            RegressionRule("R27 the rule with layers [64, 64, 1]", n => n.LayerSizes = [64, 64, 1]),
            RegressionRule("R28 the rule with layers [128, 1]", n => n.LayerSizes = [128, 1]),
            RegressionRule("R29 the rule with layers [256, 1]", n => n.LayerSizes = [256, 1]),
            RegressionRule("R30 the rule with η 0.01", n => n.LearningRate = LearningRateSchedule.Constant(0.01)),
            RegressionRule("R31 the rule's context dimension + 2", n => n.ContextDimension += 2),
            // Since session 24 every regression candidate that leaves EnsembleSize unset averages four models below 512
            // learned rows, as the trainer does; R32 is one model, the default before.
            Regression("R32 one model (the default before session 24)", o => o.EnsembleSize = 1),
            Regression("R33 four models at every size", o => o.EnsembleSize = 4),
            Regression("R34 eight models", o => o.EnsembleSize = 8),
            Regression("R35 two models", o => o.EnsembleSize = 2),
            RegressionRule("R36 the rule on one core", n => n.MaxDegreeOfParallelism = 1),
            Regression("R37 five models (each holding out its own fifth: every row held out by one)", o => o.EnsembleSize = 5),
            .. GaluRegression.Select(c => GaluTrainer<GaluRegressionTrainer.Options>(c.Name, o => { o.ValidationFraction = 0; c.Configure(o); }, (ml, o) => ml.Regression.Trainers.GaluRegression(o))),
        ],
        LearningTask.Binary =>
        [
            .. Classifier.Select(c => Binary(c.Name, c.Configure)),
            .. ClassifierRule.Select(c => ClassifierRuleTrainer<GatedLinearBinaryClassificationTrainer.Options>(c.Name, c.Change, (ml, o) => ml.BinaryClassification.Trainers.GatedLinearClassification(o))),
            .. Galu.Select(c => GaluTrainer<GaluBinaryClassificationTrainer.Options>(c.Name, c.Configure, (ml, o) => ml.BinaryClassification.Trainers.GaluClassification(o))),
        ],
        _ =>
        [
            .. Classifier.Select(c => Multiclass(c.Name, c.Configure)),
            .. ClassifierRule.Select(c => ClassifierRuleTrainer<GatedLinearMulticlassClassificationTrainer.Options>(c.Name, c.Change, (ml, o) => ml.MulticlassClassification.Trainers.GatedLinearClassification(o))),
            .. Galu.Select(c => GaluTrainer<GaluMulticlassClassificationTrainer.Options>(c.Name, c.Configure, (ml, o) => ml.MulticlassClassification.Trainers.GaluClassification(o))),
        ],
    };

    // The G-GLN's data-size rule as it was before session 20 widened its first layer, for the candidates measured then.
    private static GaussianGlnOptions SessionNineteenRule(long rows)
    {
        GaussianGlnOptions options = GaussianGlnOptions.ForData(rows);
        options.LayerSizes = [32, 32, 1];
        return options;
    }

    // The session-19 rule's options with a fixed context dimension instead of the rule's.
    private static GaussianGlnOptions WithContext(int contextDimension)
    {
        GaussianGlnOptions options = SessionNineteenRule(1000);
        options.ContextDimension = contextDimension;
        return options;
    }

    // The same candidates for binary and multiclass classification (both trainers' options share these settings). Each
    // starts from the constructor's network options (context dimension 4), which were the trainers' defaults until the
    // data-size rule C25 replaced them. Since session 23 every candidate that leaves EnsembleSize unset averages four
    // models below 512 learned rows, as the trainer does; C35 is one model, the default before. Since session 25 every
    // candidate that leaves LinearDiscriminantBase unset reads the discriminant below 512 learned rows; C43 does not. Since
    // session 27 every candidate that leaves LinearDiscriminantStart unset starts half way to it for more than two classes
    // from 20 rows per feature; C47 does not.
    private static readonly (string Name, Action<GatedLinearClassificationOptions> Configure)[] Classifier =
    [
        ("C1 early stopping", _ => { }),
        ("C25 the ForData rule, the default (its contexts since session 19, [128, 1] from 512 rows since session 20)", o => o.Network = null),
        ("C27 C25 without the linear model", o => { o.Network = null; o.TryLinearModel = false; }),
        ("C35 C25 with one model (the default before session 23)", o => { o.Network = null; o.EnsembleSize = 1; }),
        ("C36 C25 with 8 models", o => { o.Network = null; o.EnsembleSize = 8; }),
        ("C37 C25 with 2 models", o => { o.Network = null; o.EnsembleSize = 2; }),
        ("C43 C25 without the linear discriminant base (the default before session 25)", o => { o.Network = null; o.LinearDiscriminantBase = false; }),
        ("C44 C25 with the linear discriminant base at every size", o => { o.Network = null; o.LinearDiscriminantBase = true; }),
        ("C45 C25 holding out a fifth (each of four models its own)", o => { o.Network = null; o.ValidationFraction = 0.2; }),
        ("C46 C25 holding out a quarter (four models: every row held out by one)", o => { o.Network = null; o.ValidationFraction = 0.25; }),
        ("C47 C25 with its networks started at 1/m alone (the default before session 27)", o => { o.Network = null; o.LinearDiscriminantStart = 0; }),
        ("C48 C25 with its networks started half way to the discriminant on every set", o => { o.Network = null; o.LinearDiscriminantStart = 0.5; }),
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

    // Changes to the B-GLN's data-size rule, applied for each fit's training rows (binary and multiclass alike).
    private static readonly (string Name, Action<BernoulliGlnOptions> Change)[] ClassifierRule =
    [
        ("C28 the rule for the training rows, unchanged (a check on C25)", _ => { }),
        ("C29 the rule with layers [64, 1]", n => n.LayerSizes = [64, 1]),
        ("C30 the rule with layers [128, 1]", n => n.LayerSizes = [128, 1]),
        ("C31 the rule with layers [64, 32, 1]", n => n.LayerSizes = [64, 32, 1]),
        ("C38 the rule's context dimension + 1", n => n.ContextDimension++),
        ("C39 the rule's context dimension + 2", n => n.ContextDimension += 2),
    ];

    // GaLU classification (session 21). G2–G19, the Adam mini-batch and step size fixed or from each fit's training rows,
    // were measured at commit 7658b5c, before the trainers' batch rule made BatchSize a maximum (benchmarks/RESULTS.md).
    private static readonly (string Name, Action<GaluTrainerOptionsBase> Configure)[] Galu =
    [
        ("G1 GaLU, the trainer's default", _ => { }),
        ("G20 GaLU 128 hidden", o => o.Network.HiddenSizes = [128]),
        ("G21 GaLU 256 hidden", o => o.Network.HiddenSizes = [256]),
        ("G22 GaLU two layers of 64", o => o.Network.HiddenSizes = [64, 64]),
        ("G23 GaLU η 3e-3", o => o.Network.LearningRate = 0.003),
    ];

    // GaLU regression (session 21), measured before the trainer chose its ridge on held-out rows: each holds nothing
    // out (ValidationFraction 0), so the closed form still solves with the given ridge on every row, as it did then.
    private static readonly (string Name, Action<GaluTrainerOptionsBase> Configure)[] GaluRegression =
    [
        ("GR1 GaLU regression, the session-20 default (λ 10⁻³)", _ => { }),
        ("GR2 GaLU regression 32 hidden", o => o.Network.HiddenSizes = [32]),
        ("GR3 GaLU regression 128 hidden", o => o.Network.HiddenSizes = [128]),
        ("GR4 GaLU regression 256 hidden", o => o.Network.HiddenSizes = [256]),
        ("GR5 GaLU regression ridge 0.1", o => o.Network.Ridge = 0.1),
        ("GR6 GaLU regression ridge 1", o => o.Network.Ridge = 1),
        ("GR7 GaLU regression 128 hidden, ridge 0.1", o => { o.Network.HiddenSizes = [128]; o.Network.Ridge = 0.1; }),
        ("GR8 GaLU regression 256 hidden, ridge 1", o => { o.Network.HiddenSizes = [256]; o.Network.Ridge = 1; }),
        ("GR9 GaLU regression step gates", o => o.Network.Gate = Microsoft.ML.GatedLinear.Galu.GateKind.Step),
    ];

    // A GaLU candidate in the regression, binary or multiclass trainer.
    private static DefaultsTrainer GaluTrainer<TOptions>(string name, Action<GaluTrainerOptionsBase> configure, Func<MLContext, TOptions, IEstimator<ITransformer>> trainer)
        where TOptions : GaluTrainerOptionsBase, new()
        => new(name, TrainerFamily.MLGated, ml =>
        {
            var options = new TOptions();
            configure(options);
            return trainer(ml, options);
        });

    private static DefaultsTrainer Regression(string name, Action<GatedLinearRegressionTrainer.Options> configure)
        => new(name, TrainerFamily.MLGated, ml =>
        {
            var options = new GatedLinearRegressionTrainer.Options();
            configure(options);
            return ml.Regression.Trainers.GatedLinearRegression(options);
        });

    // The rows a trainer's rule sees: the training rows less the share it holds out (the trainer's seeded split holds out
    // about that many).
    private static long RowsLearned(long rows, GatedLinearTrainerOptions options) => (long)(rows * (1 - options.ValidationFraction));

    // The G-GLN's data-size rule with one change, for each fit's training rows.
    private static DefaultsTrainer RegressionRule(string name, Action<GaussianGlnOptions> change)
        => new(name, TrainerFamily.MLGated, ml => new ForTrainingRows(ml, (ml, rows, features) =>
        {
            var options = new GatedLinearRegressionTrainer.Options();
            options.Network = GaussianGlnOptions.ForData(RowsLearned(rows, options), features);
            change(options.Network);
            return ml.Regression.Trainers.GatedLinearRegression(options);
        }));

    // The B-GLN's data-size rule with one change, for each fit's training rows, in the binary or multiclass trainer.
    private static DefaultsTrainer ClassifierRuleTrainer<TOptions>(string name, Action<BernoulliGlnOptions> change, Func<MLContext, TOptions, IEstimator<ITransformer>> trainer)
        where TOptions : GatedLinearClassificationOptions, new()
        => new(name, TrainerFamily.MLGated, ml => new ForTrainingRows(ml, (ml, rows, _) =>
        {
            var options = new TOptions();
            options.Network = BernoulliGlnOptions.ForData(RowsLearned(rows, options));
            change(options.Network);
            return trainer(ml, options);
        }));

    // An estimator made when its training rows are known: counts them (and reads the features per row), then fits what
    // the factory makes for them. Only that estimator draws from the MLContext's random source (a trainer's seed comes
    // from it), so a candidate that changes nothing fits what the plain trainer fits; the schema comes from one made in a
    // context of its own.
    private sealed class ForTrainingRows(MLContext ml, Func<MLContext, long, int, IEstimator<ITransformer>> create) : IEstimator<ITransformer>
    {
        public ITransformer Fit(IDataView input)
        {
            long rows = 0;
            using (DataViewRowCursor cursor = input.GetRowCursor([]))
            {
                while (cursor.MoveNext())
                {
                    rows++;
                }
            }

            int features = input.Schema["Features"].Type is VectorDataViewType vector ? vector.Size : 1;
            return create(ml, rows, features).Fit(input);
        }

        public SchemaShape GetOutputSchema(SchemaShape inputSchema) => create(new MLContext(0), 1, 1).GetOutputSchema(inputSchema);
    }

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
