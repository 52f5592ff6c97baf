using Microsoft.ML.GatedLinear.Bernoulli;

namespace Microsoft.ML.Trainers.GatedLinear;

/// <summary>Options every B-GLN trainer takes: the common trainer options and the network's hyperparameters.</summary>
public abstract class GatedLinearClassificationOptions : GatedLinearTrainerOptions
{
    /// <summary>
    /// The network's hyperparameters (one network per class for multiclass). Default null:
    /// <see cref="BernoulliGlnOptions.ForData"/> for the training rows (a documented rule: fewer contexts below 512
    /// rows; from 512, hyperplanes along the feature axes and 128 first-layer neurons). The trainer supplies the
    /// training data's feature statistics and the seed, overriding those settings there.
    /// </summary>
    public BernoulliGlnOptions? Network { get; set; }

    /// <summary>
    /// When rows are held out, also train the network's linear special case (<see cref="BernoulliGlnOptions.AsLinearModel"/>:
    /// a logistic regression on the base logits per class, learned by the same update) on the same rows, and keep
    /// whichever has the lower held-out log loss; the MLContext log says which. On small, nearly linear data the linear
    /// model often wins. A continued model (<c>Fit(data, previousModel)</c>) keeps its own shape. Default true.
    /// </summary>
    public bool TryLinearModel { get; set; } = true;

    /// <summary>
    /// Models to train apart — each with its own seed (seed, seed + 1, …: its hyperplanes, row orders and held-out rows),
    /// its own epoch count and its own choice of network or linear model — and average into one classifier
    /// (<see cref="BernoulliGlnClassifier.Average"/>: the mean of their logits, so explanations stay exact). Costs that
    /// many times the training time and the model's size. Default null:
    /// <see cref="GatedLinearTrainerOptions.DefaultEnsembleSize"/> models below
    /// <see cref="GatedLinearTrainerOptions.EnsembleRowLimit"/> learned rows when rows are held out, otherwise 1. On the
    /// `defaults` benchmark's three sets of that size (ten cross-validation seeds), four models took breast cancer's
    /// 1 − AUC from 0.0055 to 0.0050, wine's error from 0.0175 to 0.0152 and iris's from 0.054 to 0.047, and lowered
    /// their log losses, at about four times their fit time; two models (ten seeds) gained less on iris and breast
    /// cancer, and eight (three seeds) no more than four (benchmarks/RESULTS.md, session 23). Range 1–64; a continued
    /// model (<c>Fit(data, previousModel)</c>) keeps its own.
    /// </summary>
    public int? EnsembleSize { get; set; }

    internal override void Validate()
    {
        base.Validate();
        ValidateEnsembleSize(EnsembleSize, BernoulliGlnClassifier.MaxEnsembleSize);
    }
}
