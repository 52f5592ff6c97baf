using Microsoft.ML.GatedLinear.Bernoulli;

namespace Microsoft.ML.Trainers.GatedLinear;

/// <summary>Options every B-GLN trainer takes: the common trainer options and the network's hyperparameters.</summary>
public abstract class GatedLinearClassificationOptions : GatedLinearTrainerOptions
{
    /// <summary>
    /// The network's hyperparameters (one network per class for multiclass), defaults as documented on
    /// <see cref="BernoulliGlnOptions"/>. The trainer supplies the training data's feature statistics and the
    /// seed, overriding those settings there.
    /// </summary>
    public BernoulliGlnOptions Network { get; set; } = new();
}
