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
}
