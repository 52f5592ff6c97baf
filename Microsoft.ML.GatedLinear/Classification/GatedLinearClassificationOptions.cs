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
    /// Models to train apart — each with its own seed (seed, seed + 1, …: its hyperplanes and row orders), its own share of
    /// held-out rows (model k holds out the k-th of the disjoint shares of <see cref="GatedLinearTrainerOptions.ValidationFraction"/>
    /// that one seed's coins make: up to 1/ValidationFraction models, no row is held out by two), its own epoch count and its
    /// own choice of network or linear model — and average into one classifier
    /// (<see cref="BernoulliGlnClassifier.Average"/>: the mean of their logits, so explanations stay exact). Costs that
    /// many times the training time and the model's size. Default null:
    /// <see cref="GatedLinearTrainerOptions.DefaultEnsembleSize"/> models below
    /// <see cref="GatedLinearTrainerOptions.EnsembleRowLimit"/> learned rows when rows are held out, otherwise 1. On the
    /// `defaults` benchmark's three sets of that size (ten cross-validation seeds), four models took breast cancer's
    /// 1 − AUC from 0.0055 to 0.0050, wine's error from 0.0175 to 0.0152 and iris's from 0.054 to 0.047, and lowered
    /// their log losses, at about four times their fit time; two models (ten seeds) gained less on iris and breast
    /// cancer, and eight (three seeds) no more than four (benchmarks/RESULTS.md, session 23). Disjoint shares rather than
    /// a random tenth each (ten seeds, with the linear discriminant base): wine's error 0.0132 → 0.0122, breast cancer's
    /// 1 − AUC 0.0049 → 0.0047, iris's error 0.0321 → 0.0330 (session 26). Range 1–64; a continued
    /// model (<c>Fit(data, previousModel)</c>) keeps its own.
    /// </summary>
    public int? EnsembleSize { get; set; }

    /// <summary>
    /// Whether layer 0 also reads a linear discriminant base model besides the features: Fisher's linear discriminant
    /// (class means and one pooled covariance of the standardized features), fitted in closed form on the training rows
    /// (held out or not, as the standardization is) before training and fixed after, gives each one-vs-all network the
    /// log-odds of every class, standardized like a feature. A few hundred rows estimate this generative model better
    /// than an online fit does; the networks learn how much to trust it, and explanations stay exact (the discriminant's
    /// share goes back onto the features). Costs two passes over the rows and a solve in the feature count. Default
    /// null: on below <see cref="GatedLinearTrainerOptions.EnsembleRowLimit"/> learned rows when rows are held out (and
    /// the rows outnumber the classes), otherwise off. On the `defaults` benchmark's three sets of that size (ten
    /// cross-validation seeds) it took iris's error from 0.047 to 0.032 and its log loss from 0.131 to 0.087, wine's from
    /// 0.0152 to 0.0132 and 0.046 to 0.029, and breast cancer's 1 − AUC from 0.0050 to 0.0049 (its log loss 0.106 to
    /// 0.108); from 512 rows it was worse (digits 0.020 to 0.030, MNIST-10k 0.049 to 0.055) or level (Adult)
    /// (benchmarks/RESULTS.md, session 25). A continued model (<c>Fit(data, previousModel)</c>) keeps its own.
    /// </summary>
    public bool? LinearDiscriminantBase { get; set; }

    /// <summary>
    /// How far the networks start toward trusting the linear discriminant base (<see cref="LinearDiscriminantBase"/>), as
    /// a fraction α from 0 to 1: every layer-0 weight row of class c's network starts at 1/m per input plus α times the
    /// discriminant's log-odds of c (within their clip and the weight bound), so each neuron starts predicting the
    /// average of its inputs plus α times those log-odds; the networks then learn as usual. No effect without the
    /// discriminant base. Default null: <see cref="DefaultLinearDiscriminantStart"/> (½) for more than two classes when
    /// the discriminant is fitted on at least <see cref="LinearDiscriminantStartRowsPerFeature"/> rows per feature,
    /// otherwise 0. On the `defaults` benchmark's iris (30 rows per feature; ten cross-validation seeds) it took the
    /// error from 0.033 to 0.022 and the log loss from 0.088 to 0.076; on wine with 4 or 6 of its features and 400 rows
    /// of red wine quality as six classes (24–36 rows per feature) it was level. It was worse where the rule leaves it
    /// at 0: on multiclass sets with fewer rows per feature (wine 11: log loss 0.026 to 0.042; 400 rows of digits, of
    /// MNIST), and on binary ones (breast cancer with 6, 10 or 30 of its features: 1 − AUC up to a fifth higher)
    /// (benchmarks/RESULTS.md, session 27). A continued model (<c>Fit(data, previousModel)</c>) keeps its weights.
    /// </summary>
    public double? LinearDiscriminantStart { get; set; }

    /// <summary>The default <see cref="LinearDiscriminantStart"/> where its rule applies: ½.</summary>
    public const double DefaultLinearDiscriminantStart = 0.5;

    /// <summary>
    /// Training rows per feature from which <see cref="LinearDiscriminantStart"/> defaults to
    /// <see cref="DefaultLinearDiscriminantStart"/> for more than two classes: 20. (A discriminant fitted on few rows per
    /// feature is overconfident on new rows; measured, the start was level or better at 24–36 rows per feature and cost
    /// at 11 or fewer.)
    /// </summary>
    public const int LinearDiscriminantStartRowsPerFeature = 20;

    internal override void Validate()
    {
        base.Validate();
        ValidateEnsembleSize(EnsembleSize, BernoulliGlnClassifier.MaxEnsembleSize);
        if (LinearDiscriminantStart is { } start && !(start >= 0 && start <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(LinearDiscriminantStart), start, "The linear discriminant start must lie between 0 and 1.");
        }
    }
}
