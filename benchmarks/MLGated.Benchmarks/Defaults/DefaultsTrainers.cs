using Microsoft.ML;

namespace MLGated.Benchmarks.Defaults;

/// <summary>Who a trainer is: ours, one of ML.NET's linear or online trainers, or one of its tree ensembles.</summary>
internal enum TrainerFamily
{
    MLGated,
    Linear,
    Trees,
}

/// <summary>A trainer with its defaults, as <c>ml.&lt;Task&gt;.Trainers.&lt;Name&gt;()</c> gives it.</summary>
internal sealed record DefaultsTrainer(string Name, TrainerFamily Family, Func<MLContext, IEstimator<ITransformer>> Create);

/// <summary>The trainers the <c>defaults</c> benchmark compares, per task, every one with its defaults.</summary>
internal static class DefaultsTrainers
{
    /// <summary>Ours, which `defaults --candidates` replaces by candidate configurations.</summary>
    public static readonly string[] MLGatedNames = ["GatedLinearRegression", "GaluRegression", "GatedLinearClassification", "GaluClassification"];

    /// <summary>The reference every ratio is taken against.</summary>
    public const string Reference = "LightGbm";

    public static IReadOnlyList<DefaultsTrainer> For(LearningTask task) => task switch
    {
        LearningTask.Regression =>
        [
            new("GatedLinearRegression", TrainerFamily.MLGated, ml => ml.Regression.Trainers.GatedLinearRegression()),
            new("GaluRegression", TrainerFamily.MLGated, ml => ml.Regression.Trainers.GaluRegression()),
            new("Sdca", TrainerFamily.Linear, ml => ml.Regression.Trainers.Sdca()),
            new("OnlineGradientDescent", TrainerFamily.Linear, ml => ml.Regression.Trainers.OnlineGradientDescent()),
            new("FastTree", TrainerFamily.Trees, ml => ml.Regression.Trainers.FastTree()),
            new(Reference, TrainerFamily.Trees, ml => ml.Regression.Trainers.LightGbm()),
        ],
        LearningTask.Binary =>
        [
            new("GatedLinearClassification", TrainerFamily.MLGated, ml => ml.BinaryClassification.Trainers.GatedLinearClassification()),
            new("GaluClassification", TrainerFamily.MLGated, ml => ml.BinaryClassification.Trainers.GaluClassification()),
            new("SdcaLogisticRegression", TrainerFamily.Linear, ml => ml.BinaryClassification.Trainers.SdcaLogisticRegression()),
            new("LbfgsLogisticRegression", TrainerFamily.Linear, ml => ml.BinaryClassification.Trainers.LbfgsLogisticRegression()),
            new("FastTree", TrainerFamily.Trees, ml => ml.BinaryClassification.Trainers.FastTree()),
            new(Reference, TrainerFamily.Trees, ml => ml.BinaryClassification.Trainers.LightGbm()),
        ],
        _ =>
        [
            new("GatedLinearClassification", TrainerFamily.MLGated, ml => ml.MulticlassClassification.Trainers.GatedLinearClassification()),
            new("GaluClassification", TrainerFamily.MLGated, ml => ml.MulticlassClassification.Trainers.GaluClassification()),
            new("SdcaMaximumEntropy", TrainerFamily.Linear, ml => ml.MulticlassClassification.Trainers.SdcaMaximumEntropy()),
            new("LbfgsMaximumEntropy", TrainerFamily.Linear, ml => ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy()),
            new("FastTree", TrainerFamily.Trees, ml => ml.MulticlassClassification.Trainers.OneVersusAll(ml.BinaryClassification.Trainers.FastTree())),
            new(Reference, TrainerFamily.Trees, ml => ml.MulticlassClassification.Trainers.LightGbm()),
        ],
    };
}
