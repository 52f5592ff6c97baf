using Microsoft.ML.Trainers.GatedLinear;

namespace Microsoft.ML;

/// <summary>The gated linear trainers in ML.NET's catalogs.</summary>
public static class GatedLinearCatalog
{
    /// <summary>
    /// A Gaussian gated linear network: regression with a predicted mean (<c>Score</c>) and variance (<c>Variance</c>) for
    /// every row, and the bounds of its central 90 % interval (<c>Lower</c>, <c>Upper</c>; set
    /// <see cref="GatedLinearRegressionTrainer.Options.IntervalCoverage"/>). The variance is rescaled and the interval set by
    /// split-conformal quantiles on the held-out rows early stopping keeps, so intervals cover what they claim on new rows
    /// from the same distribution (on average over training sets). The network's linear special case is trained too and
    /// kept when it predicts the held-out rows better (<see cref="GatedLinearRegressionTrainer.Options.TryLinearModel"/>).
    /// </summary>
    /// <param name="catalog">The regression trainers.</param>
    /// <param name="labelColumnName">The label: Single, or a known-size vector of Single. Default "Label".</param>
    /// <param name="featureColumnName">The features: a known-size vector of Single. Default "Features".</param>
    /// <param name="numberOfEpochs">The most passes over the data, chosen by held-out loss; 1 for one online pass. Default 50.</param>
    public static GatedLinearRegressionTrainer GatedLinearRegression(this RegressionCatalog.RegressionTrainers catalog, string labelColumnName = "Label", string featureColumnName = "Features", int numberOfEpochs = 50)
        => GatedLinearRegression(catalog, new GatedLinearRegressionTrainer.Options { LabelColumnName = labelColumnName, FeatureColumnName = featureColumnName, NumberOfEpochs = numberOfEpochs });

    /// <summary>A Gaussian gated linear network with every option given.</summary>
    public static GatedLinearRegressionTrainer GatedLinearRegression(this RegressionCatalog.RegressionTrainers catalog, GatedLinearRegressionTrainer.Options options)
        => new(CatalogEnvironment.Get(catalog), options);

    /// <summary>
    /// Evaluates predictive distributions and intervals on scored data: the mean Gaussian negative log-likelihood and
    /// CRPS of N(Score, Variance) at the label, and the coverage and mean width of [Lower, Upper] when the data has those
    /// columns. For several coverages, score with <see cref="GatedLinearRegressionTransformer.WithIntervalCoverage"/>
    /// once per coverage. Rows with a non-finite label, score or variance, or a non-positive variance, fail with the
    /// column and row named.
    /// </summary>
    /// <param name="catalog">The regression catalog (<c>mlContext.Regression</c>).</param>
    /// <param name="data">Scored data: Single label, score, variance and, optionally, bound columns.</param>
    /// <param name="labelColumnName">Default "Label".</param>
    /// <param name="scoreColumnName">The predicted mean. Default "Score".</param>
    /// <param name="varianceColumnName">The predicted variance. Default "Variance".</param>
    /// <param name="lowerColumnName">The interval's lower bound; ignored (with the upper) when absent. Default "Lower".</param>
    /// <param name="upperColumnName">The interval's upper bound. Default "Upper".</param>
    public static RegressionIntervalMetrics EvaluateIntervals(this RegressionCatalog catalog, IDataView data, string labelColumnName = "Label", string scoreColumnName = "Score", string varianceColumnName = "Variance", string lowerColumnName = "Lower", string upperColumnName = "Upper")
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(data);
        return RegressionIntervalEvaluator.Evaluate(data, labelColumnName, scoreColumnName, varianceColumnName, lowerColumnName, upperColumnName);
    }

    /// <summary>
    /// A binary Bernoulli gated linear network: <c>Score</c> (logit), <c>Probability</c>, <c>PredictedLabel</c>. The
    /// network's linear special case is trained too and kept when it predicts the held-out rows better
    /// (<see cref="GatedLinearClassificationOptions.TryLinearModel"/>).
    /// </summary>
    /// <param name="catalog">The binary classification trainers.</param>
    /// <param name="labelColumnName">The label: Boolean. Default "Label".</param>
    /// <param name="featureColumnName">The features: a known-size vector of Single. Default "Features".</param>
    /// <param name="numberOfEpochs">The most passes over the data, chosen by held-out loss; 1 for one online pass. Default 50.</param>
    public static GatedLinearBinaryClassificationTrainer GatedLinearClassification(this BinaryClassificationCatalog.BinaryClassificationTrainers catalog, string labelColumnName = "Label", string featureColumnName = "Features", int numberOfEpochs = 50)
        => GatedLinearClassification(catalog, new GatedLinearBinaryClassificationTrainer.Options { LabelColumnName = labelColumnName, FeatureColumnName = featureColumnName, NumberOfEpochs = numberOfEpochs });

    /// <summary>A binary Bernoulli gated linear network with every option given.</summary>
    public static GatedLinearBinaryClassificationTrainer GatedLinearClassification(this BinaryClassificationCatalog.BinaryClassificationTrainers catalog, GatedLinearBinaryClassificationTrainer.Options options)
        => new(CatalogEnvironment.Get(catalog), options);

    /// <summary>
    /// A one-vs-all Bernoulli gated linear network: <c>Score</c> (class probabilities) and <c>PredictedLabel</c> (key). The
    /// network's linear special case is trained too and kept when it predicts the held-out rows better
    /// (<see cref="GatedLinearClassificationOptions.TryLinearModel"/>).
    /// </summary>
    /// <param name="catalog">The multiclass classification trainers.</param>
    /// <param name="labelColumnName">The label: a key type (MapValueToKey). Default "Label".</param>
    /// <param name="featureColumnName">The features: a known-size vector of Single. Default "Features".</param>
    /// <param name="numberOfEpochs">The most passes over the data, chosen by held-out loss; 1 for one online pass. Default 50.</param>
    public static GatedLinearMulticlassClassificationTrainer GatedLinearClassification(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog, string labelColumnName = "Label", string featureColumnName = "Features", int numberOfEpochs = 50)
        => GatedLinearClassification(catalog, new GatedLinearMulticlassClassificationTrainer.Options { LabelColumnName = labelColumnName, FeatureColumnName = featureColumnName, NumberOfEpochs = numberOfEpochs });

    /// <summary>A one-vs-all Bernoulli gated linear network with every option given.</summary>
    public static GatedLinearMulticlassClassificationTrainer GatedLinearClassification(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog, GatedLinearMulticlassClassificationTrainer.Options options)
        => new(CatalogEnvironment.Get(catalog), options);

    /// <summary>
    /// A GaLU regression network (fixed random gates, trained linear parts): <c>Score</c> and <c>Variance</c>. GaLU predicts
    /// no per-row uncertainty: <c>Variance</c> is the training residual variance, the same for every row and measured on the
    /// rows it was fit to, so intervals built from it under-cover; use <see cref="GatedLinearRegression(RegressionCatalog.RegressionTrainers, string, string, int)"/>
    /// for intervals.
    /// </summary>
    /// <param name="catalog">The regression trainers.</param>
    /// <param name="labelColumnName">The label: Single, or a known-size vector of Single. Default "Label".</param>
    /// <param name="featureColumnName">The features (normalize them first). Default "Features".</param>
    /// <param name="hiddenSizes">Neurons per hidden layer; one layer is solved in closed form. Default [64].</param>
    public static GaluRegressionTrainer GaluRegression(this RegressionCatalog.RegressionTrainers catalog, string labelColumnName = "Label", string featureColumnName = "Features", int[]? hiddenSizes = null)
        => GaluRegression(catalog, new GaluRegressionTrainer.Options { LabelColumnName = labelColumnName, FeatureColumnName = featureColumnName, Network = { HiddenSizes = hiddenSizes ?? [64] } });

    /// <summary>A GaLU regression network with every option given.</summary>
    public static GaluRegressionTrainer GaluRegression(this RegressionCatalog.RegressionTrainers catalog, GaluRegressionTrainer.Options options)
        => new(CatalogEnvironment.Get(catalog), options);

    /// <summary>A binary GaLU classifier trained by Adam: <c>Score</c>, <c>Probability</c>, <c>PredictedLabel</c>.</summary>
    /// <param name="catalog">The binary classification trainers.</param>
    /// <param name="labelColumnName">The label: Boolean. Default "Label".</param>
    /// <param name="featureColumnName">The features (normalize them first). Default "Features".</param>
    /// <param name="hiddenSizes">Neurons per hidden layer. Default [64].</param>
    public static GaluBinaryClassificationTrainer GaluClassification(this BinaryClassificationCatalog.BinaryClassificationTrainers catalog, string labelColumnName = "Label", string featureColumnName = "Features", int[]? hiddenSizes = null)
        => GaluClassification(catalog, new GaluBinaryClassificationTrainer.Options { LabelColumnName = labelColumnName, FeatureColumnName = featureColumnName, Network = { HiddenSizes = hiddenSizes ?? [64] } });

    /// <summary>A binary GaLU classifier with every option given.</summary>
    public static GaluBinaryClassificationTrainer GaluClassification(this BinaryClassificationCatalog.BinaryClassificationTrainers catalog, GaluBinaryClassificationTrainer.Options options)
        => new(CatalogEnvironment.Get(catalog), options);

    /// <summary>A multiclass GaLU classifier trained by Adam: <c>Score</c> (probabilities) and a key <c>PredictedLabel</c>.</summary>
    /// <param name="catalog">The multiclass classification trainers.</param>
    /// <param name="labelColumnName">The label: a key type. Default "Label".</param>
    /// <param name="featureColumnName">The features (normalize them first). Default "Features".</param>
    /// <param name="hiddenSizes">Neurons per hidden layer. Default [64].</param>
    public static GaluMulticlassClassificationTrainer GaluClassification(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog, string labelColumnName = "Label", string featureColumnName = "Features", int[]? hiddenSizes = null)
        => GaluClassification(catalog, new GaluMulticlassClassificationTrainer.Options { LabelColumnName = labelColumnName, FeatureColumnName = featureColumnName, Network = { HiddenSizes = hiddenSizes ?? [64] } });

    /// <summary>A multiclass GaLU classifier with every option given.</summary>
    public static GaluMulticlassClassificationTrainer GaluClassification(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog, GaluMulticlassClassificationTrainer.Options options)
        => new(CatalogEnvironment.Get(catalog), options);

    /// <summary>
    /// A Gradient Origin Network featurizer: fits a GON on <paramref name="inputColumnName"/> (a vector of Single in
    /// [0, 1]) and appends each row's latent as <paramref name="outputColumnName"/>.
    /// </summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="outputColumnName">The latent column.</param>
    /// <param name="inputColumnName">The input column; default: the output column's name.</param>
    /// <param name="options">Network and training options; default <see cref="GradientOriginFeaturizer.Options"/>.</param>
    public static GradientOriginFeaturizer FeaturizeByGradientOrigin(this TransformsCatalog catalog, string outputColumnName, string? inputColumnName = null, GradientOriginFeaturizer.Options? options = null)
    {
        options ??= new GradientOriginFeaturizer.Options();
        options.OutputColumnName = outputColumnName;
        options.InputColumnName = inputColumnName ?? outputColumnName;
        return new(CatalogEnvironment.Get(catalog), options);
    }
}
