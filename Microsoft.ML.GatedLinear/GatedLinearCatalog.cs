using Microsoft.ML.GatedLinear.Classification;
using Microsoft.ML.GatedLinear.Regression;

namespace Microsoft.ML.GatedLinear;

/// <summary>The gated linear trainers in ML.NET's catalogs.</summary>
public static class GatedLinearCatalog
{
    /// <summary>A Gaussian gated linear network: regression with a predicted mean (<c>Score</c>) and variance (<c>Variance</c>).</summary>
    /// <param name="catalog">The regression trainers.</param>
    /// <param name="labelColumnName">The label: Single, or a known-size vector of Single. Default "Label".</param>
    /// <param name="featureColumnName">The features: a known-size vector of Single. Default "Features".</param>
    /// <param name="numberOfEpochs">Passes over the data. Default 10.</param>
    public static GatedLinearRegressionTrainer GatedLinearRegression(this RegressionCatalog.RegressionTrainers catalog, string labelColumnName = "Label", string featureColumnName = "Features", int numberOfEpochs = 10)
        => GatedLinearRegression(catalog, new GatedLinearRegressionTrainer.Options { LabelColumnName = labelColumnName, FeatureColumnName = featureColumnName, NumberOfEpochs = numberOfEpochs });

    /// <summary>A Gaussian gated linear network with every option given.</summary>
    public static GatedLinearRegressionTrainer GatedLinearRegression(this RegressionCatalog.RegressionTrainers catalog, GatedLinearRegressionTrainer.Options options)
        => new(CatalogEnvironment.Get(catalog), options);

    /// <summary>A binary Bernoulli gated linear network: <c>Score</c> (logit), <c>Probability</c>, <c>PredictedLabel</c>.</summary>
    /// <param name="catalog">The binary classification trainers.</param>
    /// <param name="labelColumnName">The label: Boolean. Default "Label".</param>
    /// <param name="featureColumnName">The features: a known-size vector of Single. Default "Features".</param>
    /// <param name="numberOfEpochs">Passes over the data. Default 1.</param>
    public static GatedLinearBinaryClassificationTrainer GatedLinearClassification(this BinaryClassificationCatalog.BinaryClassificationTrainers catalog, string labelColumnName = "Label", string featureColumnName = "Features", int numberOfEpochs = 1)
        => GatedLinearClassification(catalog, new GatedLinearBinaryClassificationTrainer.Options { LabelColumnName = labelColumnName, FeatureColumnName = featureColumnName, NumberOfEpochs = numberOfEpochs });

    /// <summary>A binary Bernoulli gated linear network with every option given.</summary>
    public static GatedLinearBinaryClassificationTrainer GatedLinearClassification(this BinaryClassificationCatalog.BinaryClassificationTrainers catalog, GatedLinearBinaryClassificationTrainer.Options options)
        => new(CatalogEnvironment.Get(catalog), options);

    /// <summary>A one-vs-all Bernoulli gated linear network: <c>Score</c> (class probabilities) and <c>PredictedLabel</c> (key).</summary>
    /// <param name="catalog">The multiclass classification trainers.</param>
    /// <param name="labelColumnName">The label: a key type (MapValueToKey). Default "Label".</param>
    /// <param name="featureColumnName">The features: a known-size vector of Single. Default "Features".</param>
    /// <param name="numberOfEpochs">Passes over the data. Default 1.</param>
    public static GatedLinearMulticlassClassificationTrainer GatedLinearClassification(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog, string labelColumnName = "Label", string featureColumnName = "Features", int numberOfEpochs = 1)
        => GatedLinearClassification(catalog, new GatedLinearMulticlassClassificationTrainer.Options { LabelColumnName = labelColumnName, FeatureColumnName = featureColumnName, NumberOfEpochs = numberOfEpochs });

    /// <summary>A one-vs-all Bernoulli gated linear network with every option given.</summary>
    public static GatedLinearMulticlassClassificationTrainer GatedLinearClassification(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog, GatedLinearMulticlassClassificationTrainer.Options options)
        => new(CatalogEnvironment.Get(catalog), options);
}
