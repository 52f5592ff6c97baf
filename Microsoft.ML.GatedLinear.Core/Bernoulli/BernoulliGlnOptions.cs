using Microsoft.ML.GatedLinear.Gating;
using Microsoft.ML.GatedLinear.Training;

namespace Microsoft.ML.GatedLinear.Bernoulli;

/// <summary>How the weights of every context row start.</summary>
public enum WeightInitialization
{
    /// <summary>All weights 1/m: each neuron starts as the geometric average of its m inputs.</summary>
    Average = 0,

    /// <summary>All weights 0: each neuron starts predicting 1/2.</summary>
    Zero = 1,
}

/// <summary>How layer 0 turns a feature into the probability it mixes.</summary>
public enum BaseModel
{
    /// <summary>σ(z) of the standardized feature z, clipped to [ε, 1 − ε]: works for any real-valued feature.</summary>
    StandardizedSigmoid = 0,

    /// <summary>The raw feature itself, clipped to [ε, 1 − ε]: for features that already are probabilities or intensities in [0, 1] (e.g. pixels).</summary>
    FeatureAsProbability = 1,
}

/// <summary>Hyperparameters of a Bernoulli gated linear network classifier.</summary>
public sealed class BernoulliGlnOptions
{
    /// <summary>
    /// Neurons per layer, bottom to top; the last must be 1. Default [32, 1]: on the six classification sets of the
    /// `defaults` benchmark one gated layer of 32 against [32, 32, 1] had a 5 % lower geometric-mean error (lower on
    /// breast cancer, iris and digits; higher on wine, and on adult and MNIST-10k by less than a standard error), lower
    /// log loss on four and a shorter Fit on all six (benchmarks/RESULTS.md, session 10).
    /// </summary>
    public int[] LayerSizes { get; set; } = [32, 1];

    /// <summary>
    /// Hyperplanes per neuron, s: each neuron has 2^s weight rows. Default 4; range 0–16 (0 ungates the neurons: one
    /// weight row each, so a [1] network is a logistic regression on the base logits, see <see cref="AsLinearModel"/>).
    /// </summary>
    public int ContextDimension { get; set; } = 4;

    /// <summary>Standard deviation σ_b of the hyperplane offsets. Default 1.</summary>
    public double HyperplaneOffsetScale { get; set; } = 1.0;

    /// <summary>
    /// Which way the hyperplanes face: <see cref="HyperplaneDirection.Random"/> (the default, as in the GLN papers) or
    /// along one feature each (<see cref="HyperplaneDirection.FeatureAxis"/>, what <see cref="ForData"/> chooses).
    /// </summary>
    public HyperplaneDirection HyperplaneDirection { get; set; }

    /// <summary>
    /// Multiclass only: draw one set of hyperplanes that every class's network uses, instead of one set per
    /// class. Sharing computes the gating once per example instead of once per class. Default true.
    /// </summary>
    public bool ShareHyperplanesAcrossClasses { get; set; } = true;

    /// <summary>The learning-rate schedule. Default min(0.01, 100/t), the GLN paper's schedule.</summary>
    public LearningRateSchedule LearningRate { get; set; } = LearningRateSchedule.CappedHarmonic(100, 0.01);

    /// <summary>Weights are kept in the box [−β, β] by projection after every step. Default β = 5.</summary>
    public double WeightBound { get; set; } = 5.0;

    /// <summary>Base-model probabilities σ(z) are clipped to [ε, 1 − ε]. Default ε = 0.01.</summary>
    public double InputClipping { get; set; } = 0.01;

    /// <summary>Every neuron's prediction is clipped to [ε, 1 − ε]. Default ε = 0.001 (on MNIST, 0.001 beat 0.01 by 3.7 points).</summary>
    public double PredictionClipping { get; set; } = 0.001;

    /// <summary>How layer 0 turns features into probabilities. Default <see cref="BaseModel.StandardizedSigmoid"/>. Gating always uses the standardized features.</summary>
    public BaseModel BaseModel { get; set; } = BaseModel.StandardizedSigmoid;

    /// <summary>The constant probability every layer receives as an extra input (an intercept). Default σ(1) ≈ 0.731.</summary>
    public double BiasProbability { get; set; } = 1.0 / (1.0 + Math.Exp(-1.0));

    /// <summary>How weight rows start. Default <see cref="WeightInitialization.Average"/> (1/m).</summary>
    public WeightInitialization Initialization { get; set; } = WeightInitialization.Average;

    /// <summary>How features are standardized before gating and the base model. Default <see cref="StandardizationMode.Online"/>.</summary>
    public StandardizationMode Standardization { get; set; } = StandardizationMode.Online;

    /// <summary>With <see cref="StandardizationMode.Supplied"/>: the per-feature means.</summary>
    public double[]? SuppliedMean { get; set; }

    /// <summary>With <see cref="StandardizationMode.Supplied"/>: the per-feature standard deviations.</summary>
    public double[]? SuppliedStandardDeviation { get; set; }

    /// <summary>Seed of the hyperplanes. Default 1.</summary>
    public int Seed { get; set; } = 1;

    /// <summary>
    /// Threads that learn a batch (one class network per thread; a large batch's contexts split by rows), and that
    /// one prediction uses when its class networks read 256 KB of weights or more. Results do not depend on it: class
    /// networks are independent, and so are rows' contexts. Default: the processor count.
    /// </summary>
    public int MaxDegreeOfParallelism { get; set; } = Environment.ProcessorCount;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid option.</summary>
    public void Validate()
    {
        OptionChecks.LayerSizes(LayerSizes, nameof(LayerSizes));
        OptionChecks.ContextDimension(ContextDimension, nameof(ContextDimension));
        OptionChecks.FiniteNonNegative(HyperplaneOffsetScale, nameof(HyperplaneOffsetScale));
        OptionChecks.Defined(HyperplaneDirection, nameof(HyperplaneDirection));
        OptionChecks.FinitePositive(WeightBound, nameof(WeightBound));
        RequireProbabilityMargin(InputClipping, nameof(InputClipping));
        RequireProbabilityMargin(PredictionClipping, nameof(PredictionClipping));
        if (!(BiasProbability > 0 && BiasProbability < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(BiasProbability), BiasProbability, "The bias probability must lie in (0, 1).");
        }

        OptionChecks.Defined(BaseModel, nameof(BaseModel));
        OptionChecks.Defined(Initialization, nameof(Initialization));
        OptionChecks.Statistics(Standardization, SuppliedMean, SuppliedStandardDeviation, nameof(SuppliedMean));
        ArgumentNullException.ThrowIfNull(LearningRate, nameof(LearningRate));
        LearningRate.Validate();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxDegreeOfParallelism, nameof(MaxDegreeOfParallelism));
    }

    /// <summary>
    /// The options the ML.NET trainers use when none are given, for <paramref name="rows"/> training rows. Below 512 rows:
    /// context dimension ⌊log₂ rows⌋ − 5 (at least 2), so each of a neuron's 2^s weight rows still sees about 32 rows per
    /// epoch, and random hyperplane directions. From 512 rows: the constructor's context dimension 4, with hyperplanes
    /// along the feature axes (<see cref="HyperplaneDirection.FeatureAxis"/>) and a first layer of 128 neurons
    /// (<see cref="LayerSizes"/> [128, 1]). Everything else as the constructor sets it.
    /// Chosen with the `defaults` benchmark, candidates cross-validated with three seeds on its six classification sets
    /// (benchmarks/RESULTS.md, sessions 19 and 20): fewer contexts took breast cancer's 1 − AUC from 0.0062 to 0.0051 and iris's
    /// error from 0.052 to 0.047; feature-axis hyperplanes took MNIST-10k's error from 0.075 to 0.053, digits' from
    /// 0.0255 to 0.0247 and Adult's from 0.0936 to 0.0932, but raised breast cancer's and iris's (0.0074, 0.061), so the
    /// small sets keep random directions; 128 first-layer neurons instead of 32 took digits' error to 0.019, MNIST-10k's
    /// to 0.049 and Adult's to 0.0911 at two to four times the fit time, and raised the three small sets' (breast cancer
    /// 0.0078, iris 0.050, wine 0.023), which keep 32.
    /// </summary>
    /// <param name="rows">Training rows.</param>
    public static BernoulliGlnOptions ForData(long rows)
    {
        var options = new BernoulliGlnOptions();
        int contextDimension = DataSizeRule.ContextDimension(rows, log2RowsPerWeightRow: 5, min: 2, max: options.ContextDimension);
        if (contextDimension == options.ContextDimension)
        {
            options.HyperplaneDirection = HyperplaneDirection.FeatureAxis;
            options.LayerSizes = [128, 1];
        }

        options.ContextDimension = contextDimension;
        return options;
    }

    /// <summary>
    /// A copy with one ungated neuron (<see cref="LayerSizes"/> [1], <see cref="ContextDimension"/> 0): the network's
    /// linear special case, a logistic regression on the base logits (per class) learned by the same update. On small,
    /// nearly linear data it can beat the gated network, whose every weight row sees only the rows of its context.
    /// </summary>
    public BernoulliGlnOptions AsLinearModel()
    {
        BernoulliGlnOptions linear = Clone();
        linear.LayerSizes = [1];
        linear.ContextDimension = 0;
        return linear;
    }

    /// <summary>A copy that later changes to this instance do not affect.</summary>
    public BernoulliGlnOptions Clone()
    {
        var copy = (BernoulliGlnOptions)MemberwiseClone();
        copy.LayerSizes = (int[])LayerSizes.Clone();
        copy.SuppliedMean = (double[]?)SuppliedMean?.Clone();
        copy.SuppliedStandardDeviation = (double[]?)SuppliedStandardDeviation?.Clone();
        return copy;
    }

    private static void RequireProbabilityMargin(double value, string name)
    {
        if (!(value > 0 && value < 0.5))
        {
            throw new ArgumentOutOfRangeException(name, value, "A clipping margin ε must lie in (0, 0.5).");
        }
    }
}
