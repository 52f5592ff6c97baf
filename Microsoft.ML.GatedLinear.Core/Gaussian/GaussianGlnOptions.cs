using Microsoft.ML.GatedLinear.Gating;
using Microsoft.ML.GatedLinear.Numerics;
using Microsoft.ML.GatedLinear.Training;

namespace Microsoft.ML.GatedLinear.Gaussian;

/// <summary>What layer 0 receives for each feature.</summary>
public enum GaussianBaseModel
{
    /// <summary>N(z_j, σ²): a Gaussian of fixed width centred on the standardized feature.</summary>
    FixedWidth = 0,

    /// <summary>The predictive distribution of an online Bayesian linear regression of the target on that one feature.</summary>
    BayesianLinearRegression = 1,
}

/// <summary>Which distribution the model reports.</summary>
public enum GaussianOutput
{
    /// <summary>The top neuron's Gaussian.</summary>
    TopNeuron = 0,

    /// <summary>The switching mixture over all neurons, reported as its moment-matched Gaussian.</summary>
    SwitchingAggregation = 1,
}

/// <summary>How a multivariate target's variance is modelled.</summary>
public enum GaussianPrecision
{
    /// <summary>One precision per Gaussian, shared by all target dimensions: O(1) per input.</summary>
    Isotropic = 0,

    /// <summary>
    /// One precision per target dimension: O(D) per input. A neuron's weights are shared by all dimensions,
    /// so output precisions differ between dimensions only as far as its inputs' do: pair it with
    /// <see cref="GaussianBaseModel.BayesianLinearRegression"/>, whose base Gaussians carry per-dimension
    /// residual variances (fixed-width base Gaussians are equally wide in every dimension).
    /// </summary>
    Diagonal = 1,
}

/// <summary>Hyperparameters of a Gaussian gated linear network regressor.</summary>
/// <remarks>
/// Scales in standardized units (the hyperplane offsets, gating noise, weight bound, bias range and the standard
/// deviations) are at most 10⁶ and <see cref="MaxVariance"/> at most 10¹², and every precision 1/σ² must fit a float:
/// beyond those the network's float arithmetic overflows. <see cref="Validate"/> names the option that does not fit.
/// </remarks>
public sealed class GaussianGlnOptions
{
    /// <summary>Neurons per layer, bottom to top; the last must be 1. Default [32, 32, 1].</summary>
    public int[] LayerSizes { get; set; } = [32, 32, 1];

    /// <summary>
    /// Hyperplanes per neuron, s (2^s weight rows each). Default 8 (on the UCI sets 8 beat 4 and 6); range 0–16 (0 ungates
    /// the neurons: one weight row each, see <see cref="AsLinearModel"/>).
    /// </summary>
    public int ContextDimension { get; set; } = 8;

    /// <summary>Standard deviation σ_b of the hyperplane offsets. Default 1.</summary>
    public double HyperplaneOffsetScale { get; set; } = 1.0;

    /// <summary>
    /// Which way the hyperplanes face: <see cref="HyperplaneDirection.Random"/> (the default, as in the GLN papers) or
    /// along one feature each (<see cref="HyperplaneDirection.FeatureAxis"/>, what <see cref="ForData(long, int)"/> chooses).
    /// </summary>
    public HyperplaneDirection HyperplaneDirection { get; set; }

    /// <summary>
    /// Standard deviation, in standardized feature units, of Gaussian noise added to a training row's features
    /// before they choose the active weights (the base Gaussians and every prediction use the exact features).
    /// Rows near a hyperplane then train the weights on both sides of it, which smooths the hard gate boundaries —
    /// a regulariser for small data sets seen for many epochs. The noise of update t is fixed by
    /// (<see cref="Seed"/>, t) alone, so a saved and reloaded model continues exactly as the original would.
    /// Default 0 (off).
    /// </summary>
    public double GatingNoise { get; set; }

    /// <summary>
    /// H, the horizon of weight averaging for prediction (Polyak–Ruppert averaging, as in the averaged perceptron):
    /// every weight row keeps an average of its values after each update — the plain mean of its first H values,
    /// then an exponential average over roughly the last H — and predictions read the averaged rows while learning
    /// continues on the raw ones. With a constant learning rate the raw weights keep jumping around the optimum
    /// (on the UCI concrete set a [1024, 64, 1] network's training RMSE went from 3.0 to 9.3 in one epoch at η = 0.01);
    /// their average does not. Costs a second copy of the weights. Default 0 (off: predictions read the learned rows).
    /// </summary>
    public int WeightAveragingHorizon { get; set; }

    /// <summary>The learning-rate schedule. Default constant 0.003.</summary>
    public LearningRateSchedule LearningRate { get; set; } = LearningRateSchedule.Constant(0.003);

    /// <summary>
    /// Weights are kept in [−β, β]. Negative weights let a neuron's mean leave the convex hull of its
    /// inputs' means (DeepMind's reference implementation uses β = 1000). Default β = 1000.
    /// </summary>
    public double WeightBound { get; set; } = 1000;

    /// <summary>
    /// A neuron's gradient is rescaled to at most this Euclidean norm before the step. The gradient grows
    /// with input precision × squared error, so one outlier against a confident neuron can throw its
    /// weights far; clipping bounds every step. Default 10; <see cref="double.PositiveInfinity"/> turns it off.
    /// </summary>
    public double MaxGradientNorm { get; set; } = 10;

    /// <summary>
    /// Smallest output variance σ²_min, in standardized target units. Default 0.01 (a standard deviation of
    /// a tenth of the target's): lower floors let a neuron grow confident enough for one surprise to wreck
    /// it. Lower it for a nearly noiseless target whose residual standard deviation is below a tenth of the
    /// target's, where the floor binds: on the UCI energy set 0.001 took a [256, 32, 1] network's test RMSE
    /// from 1.52 to 1.34.
    /// </summary>
    public double MinVariance { get; set; } = 0.01;

    /// <summary>Largest output variance σ²_max, in standardized target units. Default 100.</summary>
    public double MaxVariance { get; set; } = 100;

    /// <summary>Bias Gaussians per target axis, means evenly spaced over [−r, r]. Default 2 (means ±r).</summary>
    public int BiasCount { get; set; } = 2;

    /// <summary>
    /// r, the reach of the bias means in standardized target units, and the bound on every neuron's mean: means
    /// are clamped to [−r, r] per axis (weights of both signs can otherwise extrapolate far beyond the data).
    /// Default 5.
    /// </summary>
    public double BiasRange { get; set; } = 5;

    /// <summary>Standard deviation of every bias Gaussian. Default 1.</summary>
    public double BiasStandardDeviation { get; set; } = 1;

    /// <summary>What layer 0 receives per feature. Default <see cref="GaussianBaseModel.FixedWidth"/>.</summary>
    public GaussianBaseModel BaseModel { get; set; } = GaussianBaseModel.FixedWidth;

    /// <summary>σ of the fixed-width base Gaussians, in standardized target units. Default 1.</summary>
    public double BaseStandardDeviation { get; set; } = 1;

    /// <summary>
    /// Which distribution the model reports. Default <see cref="GaussianOutput.SwitchingAggregation"/>: on the
    /// UCI sets it matched the top neuron's RMSE with a slightly better log-likelihood, and it stays
    /// calibrated when the top neuron is over-confident.
    /// </summary>
    public GaussianOutput Output { get; set; } = GaussianOutput.SwitchingAggregation;

    /// <summary>Variance model for vector targets. Default <see cref="GaussianPrecision.Isotropic"/>.</summary>
    public GaussianPrecision Precision { get; set; } = GaussianPrecision.Isotropic;

    /// <summary>How features are standardized for gating and the base models. Default <see cref="StandardizationMode.Online"/>.</summary>
    public StandardizationMode Standardization { get; set; } = StandardizationMode.Online;

    /// <summary>With supplied feature standardization: per-feature means.</summary>
    public double[]? SuppliedMean { get; set; }

    /// <summary>With supplied feature standardization: per-feature standard deviations.</summary>
    public double[]? SuppliedStandardDeviation { get; set; }

    /// <summary>How targets are standardized; predictions are mapped back to original units. Default <see cref="StandardizationMode.Online"/>.</summary>
    public StandardizationMode TargetStandardization { get; set; } = StandardizationMode.Online;

    /// <summary>With supplied target standardization: per-dimension means.</summary>
    public double[]? SuppliedTargetMean { get; set; }

    /// <summary>With supplied target standardization: per-dimension standard deviations.</summary>
    public double[]? SuppliedTargetStandardDeviation { get; set; }

    /// <summary>Seed of the hyperplanes. Default 1.</summary>
    public int Seed { get; set; } = 1;

    /// <summary>
    /// Cores learning may use. With more than one, a batch of rows learns in a pipeline over two cores when the network's
    /// layers split into two parts of comparable work (<see cref="LayerSizes"/> like [128, 64, 1]): one core learns the
    /// lower layers of a row while the other learns the upper layers and the mixture of the row before; otherwise a
    /// layer of 256 neurons or more learns in two halves on two cores. The model bits are the same either way. Not saved
    /// with the model. Default <see cref="Environment.ProcessorCount"/>.
    /// </summary>
    public int MaxDegreeOfParallelism { get; set; } = Environment.ProcessorCount;

    /// <summary>
    /// The options the ML.NET trainer uses when none are given, for <paramref name="rows"/> training rows: layers
    /// [32, 32, 1], and [128, 32, 1] from 4 096 rows (session 20: on the ten regression sets of the `defaults` benchmark,
    /// three seeds, [128, 32, 1] had a lower RMSE on all ten — kin8nm 0.118 → 0.105, naval 0.0021 → 0.0018, protein
    /// 5.08 → 4.77 — at 2–5 × the fit time, which on the small sets, whose tree ensembles fit in hundredths of a second,
    /// would break the benchmark's time goal);
    /// context dimension ⌊log₂ rows⌋ − 3 within [3, 6], so each weight row sees about ten rows or more per epoch (up to 8
    /// from 4 096 rows when the feature count is known: <see cref="ForData(long, int)"/>);
    /// hyperplanes along the feature axes (<see cref="HyperplaneDirection.FeatureAxis"/>; session 19: energy's RMSE
    /// 2.12 → 0.80, yacht's 5.44 → 2.53, concrete's 7.06 → 5.36, boston's 3.87 → 3.49, lower on kin8nm, power plant and
    /// wine quality too, within a standard error higher on naval, protein and diabetes);
    /// constant η = 0.03 with weight averaging over ~100 updates (a large rate learns fast, the average steadies it);
    /// the top neuron as output (the switching mixture's log-densities cost a third of the time and measured no better).
    /// Chosen with the `defaults` benchmark (benchmarks/RESULTS.md, sessions 7, 19, 20 and 22). Everything else as the
    /// constructor sets it.
    /// </summary>
    /// <param name="rows">Training rows.</param>
    public static GaussianGlnOptions ForData(long rows) => ForData(rows, int.MaxValue);

    /// <summary>
    /// <see cref="ForData(long)"/> for rows of <paramref name="featureCount"/> features: from 4 096 rows, where the first
    /// layer has 128 neurons, the context dimension ⌊log₂ rows⌋ − 3 may pass 6, up to 8, as long as the first layer's
    /// weight table — neurons × 2^s rows × (features + bias inputs) — holds at most 2^22 weights (16 MB, twice that with
    /// weight averaging): 8 for up to 126 features, 7 up to 254, 6 beyond. Session 22, three CV seeds, 8 contexts against
    /// 6: protein's RMSE −5.7 %, power plant's −2.2 %, naval's −4.4 %, kin8nm's −1.1 %, at 1.2–1.7 × the fit time.
    /// </summary>
    /// <param name="rows">Training rows.</param>
    /// <param name="featureCount">Features per row.</param>
    public static GaussianGlnOptions ForData(long rows, int featureCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(featureCount);
        var options = new GaussianGlnOptions
        {
            LayerSizes = [rows >= WideFirstLayerRows ? 128 : 32, 32, 1],
            HyperplaneDirection = HyperplaneDirection.FeatureAxis,
            LearningRate = LearningRateSchedule.Constant(0.03),
            WeightAveragingHorizon = 100,
            Output = GaussianOutput.TopNeuron,
        };
        int context = DataSizeRule.ContextDimension(rows, log2RowsPerWeightRow: 3, min: 3, max: rows >= WideFirstLayerRows ? MaxContextDimension : ContextDimensionBelowBudget);
        while (context > ContextDimensionBelowBudget && (long)options.LayerSizes[0] * (1L << context) * ((long)featureCount + options.BiasCount) > FirstLayerWeightBudget)
        {
            context--;
        }

        options.ContextDimension = context;
        return options;
    }

    // The rule's contexts: at most 6, and from 4 096 rows up to 8 while the first layer's weights stay within the budget.
    private const int ContextDimensionBelowBudget = 6;
    private const int MaxContextDimension = 8;
    private const long FirstLayerWeightBudget = 1L << 22;

    // Training rows from which ForData's first layer has 128 neurons instead of 32.
    private const long WideFirstLayerRows = 4096;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid option.</summary>
    public void Validate()
    {
        OptionChecks.LayerSizes(LayerSizes, nameof(LayerSizes));
        OptionChecks.ContextDimension(ContextDimension, nameof(ContextDimension));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxDegreeOfParallelism, nameof(MaxDegreeOfParallelism));
        OptionChecks.FiniteNonNegative(HyperplaneOffsetScale, nameof(HyperplaneOffsetScale));
        OptionChecks.StandardizedScale(HyperplaneOffsetScale, nameof(HyperplaneOffsetScale));
        OptionChecks.FiniteNonNegative(GatingNoise, nameof(GatingNoise));
        OptionChecks.StandardizedScale(GatingNoise, nameof(GatingNoise));
        ArgumentOutOfRangeException.ThrowIfNegative(WeightAveragingHorizon, nameof(WeightAveragingHorizon));
        ArgumentNullException.ThrowIfNull(LearningRate, nameof(LearningRate));
        LearningRate.Validate();
        OptionChecks.FinitePositive(WeightBound, nameof(WeightBound));
        OptionChecks.StandardizedScale(WeightBound, nameof(WeightBound));
        if (!(MaxGradientNorm > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(MaxGradientNorm), MaxGradientNorm, "The gradient norm cap must be positive (or +∞ for none).");
        }

        OptionChecks.FinitePositive(MinVariance, nameof(MinVariance));
        OptionChecks.FinitePositive(MaxVariance, nameof(MaxVariance));
        OptionChecks.StandardizedScale(MaxVariance, nameof(MaxVariance), isVariance: true);
        PrecisionFitsFloat(MinVariance, MinVariance, nameof(MinVariance));
        if (MinVariance >= MaxVariance)
        {
            throw new ArgumentOutOfRangeException(nameof(MinVariance), MinVariance, $"MinVariance must be below MaxVariance ({MaxVariance}).");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(BiasCount, 1, nameof(BiasCount));
        OptionChecks.FinitePositive(BiasRange, nameof(BiasRange));
        OptionChecks.StandardizedScale(BiasRange, nameof(BiasRange));
        OptionChecks.FinitePositive(BiasStandardDeviation, nameof(BiasStandardDeviation));
        PrecisionFitsFloat(BiasStandardDeviation, BiasStandardDeviation * BiasStandardDeviation, nameof(BiasStandardDeviation));
        OptionChecks.StandardizedScale(BiasStandardDeviation, nameof(BiasStandardDeviation));
        OptionChecks.Defined(HyperplaneDirection, nameof(HyperplaneDirection));
        OptionChecks.Defined(BaseModel, nameof(BaseModel));
        OptionChecks.FinitePositive(BaseStandardDeviation, nameof(BaseStandardDeviation));
        PrecisionFitsFloat(BaseStandardDeviation, BaseStandardDeviation * BaseStandardDeviation, nameof(BaseStandardDeviation));
        OptionChecks.StandardizedScale(BaseStandardDeviation, nameof(BaseStandardDeviation));
        OptionChecks.Defined(Output, nameof(Output));
        OptionChecks.Defined(Precision, nameof(Precision));
        OptionChecks.Statistics(Standardization, SuppliedMean, SuppliedStandardDeviation, nameof(SuppliedMean));
        OptionChecks.Statistics(TargetStandardization, SuppliedTargetMean, SuppliedTargetStandardDeviation, nameof(SuppliedTargetMean));
    }

    /// <summary>
    /// A copy with one ungated neuron (<see cref="LayerSizes"/> [1], <see cref="ContextDimension"/> 0): the network's
    /// linear special case, one precision-weighted mixture of the base and bias Gaussians whose weights (of either sign)
    /// make its mean an affine function of the features. On small, nearly linear data it can beat the gated network,
    /// whose every weight row sees only the rows of its context.
    /// </summary>
    public GaussianGlnOptions AsLinearModel()
    {
        GaussianGlnOptions linear = Clone();
        linear.LayerSizes = [1];
        linear.ContextDimension = 0;
        return linear;
    }

    /// <summary>
    /// Standardizes features and targets with the exact statistics of the training rows (population standard deviations),
    /// as the ML.NET trainer does: every model made from options so supplied reads the same inputs.
    /// </summary>
    internal void SupplyStatistics(RunningMoments features, RunningMoments targets)
    {
        Standardization = StandardizationMode.Supplied;
        SuppliedMean = features.Mean.ToArray();
        SuppliedStandardDeviation = features.PopulationStandardDeviations();
        TargetStandardization = StandardizationMode.Supplied;
        SuppliedTargetMean = targets.Mean.ToArray();
        SuppliedTargetStandardDeviation = targets.PopulationStandardDeviations();
    }

    /// <summary>A copy that later changes to this instance do not affect.</summary>
    public GaussianGlnOptions Clone()
    {
        var copy = (GaussianGlnOptions)MemberwiseClone();
        copy.LayerSizes = (int[])LayerSizes.Clone();
        copy.SuppliedMean = (double[]?)SuppliedMean?.Clone();
        copy.SuppliedStandardDeviation = (double[]?)SuppliedStandardDeviation?.Clone();
        copy.SuppliedTargetMean = (double[]?)SuppliedTargetMean?.Clone();
        copy.SuppliedTargetStandardDeviation = (double[]?)SuppliedTargetStandardDeviation?.Clone();
        return copy;
    }

    // The network carries precisions 1/σ² as floats; value is the option as set, variance the σ² it implies.
    private static void PrecisionFitsFloat(double value, double variance, string name)
    {
        if (!float.IsFinite((float)(1 / variance)))
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} is too small: the precision 1/σ² overflows float.");
        }
    }
}
