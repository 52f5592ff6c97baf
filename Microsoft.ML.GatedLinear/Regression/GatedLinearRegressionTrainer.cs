using Microsoft.ML.Data;
using Microsoft.ML.GatedLinear.Gaussian;
using Microsoft.ML.GatedLinear.Numerics;
using Microsoft.ML.GatedLinear.Training;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.Trainers.GatedLinear;

/// <summary>
/// Trains a Gaussian gated linear network: regression that predicts a mean and a variance (Single label),
/// or a mean vector and per-dimension variances (known-size vector label).
/// </summary>
public sealed class GatedLinearRegressionTrainer : GatedLinearTrainer<GatedLinearRegressionTransformer, GaussianGlnRegressor>
{
    private readonly Options _options;

    internal GatedLinearRegressionTrainer(IHostEnvironment environment, Options options)
        : base(environment, "GatedLinearRegression", options)
    {
        _options = options;
    }

    /// <summary>Options of <see cref="GatedLinearRegressionTrainer"/>.</summary>
    public sealed class Options : GatedLinearTrainerOptions
    {
        /// <summary>Creates options with 10 epochs (regression gains from several passes).</summary>
        public Options() => NumberOfEpochs = 10;

        /// <summary>
        /// The network's hyperparameters, defaults as documented on <see cref="GaussianGlnOptions"/>. The trainer
        /// supplies the exact feature and label statistics of the training data and the seed, so the
        /// standardization and seed settings there are overridden.
        /// </summary>
        public GaussianGlnOptions Network { get; set; } = new();
    }

    private protected override CursorRows CreateRows(IDataView data, int seed)
    {
        int dimension = LabelReaders.RegressionDimension(CursorRows.Column(data.Schema, _options.LabelColumnName, "Label"));
        return Rows(data, seed, column => LabelReaders.Regression(column, dimension), dimension);
    }

    private protected override GaussianGlnRegressor CreateModel(CursorRows rows, RunningMoments features, RunningMoments labels, int seed)
    {
        GaussianGlnOptions network = _options.Network.Clone();
        network.Standardization = StandardizationMode.Supplied;
        network.SuppliedMean = features.Mean.ToArray();
        network.SuppliedStandardDeviation = features.PopulationStandardDeviations();
        network.TargetStandardization = StandardizationMode.Supplied;
        network.SuppliedTargetMean = labels.Mean.ToArray();
        network.SuppliedTargetStandardDeviation = labels.PopulationStandardDeviations();
        network.Seed = seed;
        return GaussianGlnRegressor.Create(rows.FeatureCount, rows.LabelWidth, network);
    }

    private protected override GaussianGlnRegressor Continue(GatedLinearRegressionTransformer previous, CursorRows rows)
    {
        RequireFeatureCount(rows, previous.Model.FeatureCount);
        if (rows.LabelWidth != previous.Model.TargetDimension)
        {
            throw new ArgumentOutOfRangeException(nameof(previous), $"Label column '{rows.LabelColumn.Name}' has {rows.LabelWidth} values; the previous model predicts {previous.Model.TargetDimension}.");
        }

        return ModelCopy.Of(previous.Model, (m, s) => m.Save(s), GaussianGlnRegressor.Load);
    }

    private protected override BatchLearner Learner(GaussianGlnRegressor model) => model.BatchStep;

    private protected override GatedLinearRegressionTransformer CreateTransformer(GaussianGlnRegressor model, CursorRows rows)
        => new(model, rows.FeatureColumn.Name);

    private protected override SchemaShape.Column[] OutputColumns(SchemaShape.Column label)
    {
        bool vector = label.Kind == SchemaShape.Column.VectorKind.Vector;
        if (label.ItemType != NumberDataViewType.Single || label.IsKey || label.Kind == SchemaShape.Column.VectorKind.VariableVector)
        {
            throw new ArgumentOutOfRangeException(nameof(label), $"Label column '{label.Name}' must be Single (or a known-size vector of Single) for regression.");
        }

        return vector
            ? [SchemaShapeColumns.Vector(DefaultColumnNames.Score, NumberDataViewType.Single), SchemaShapeColumns.Vector(GatedLinearRegressionTransformer.VarianceColumnName, NumberDataViewType.Single)]
            : [SchemaShapeColumns.Scalar(DefaultColumnNames.Score, NumberDataViewType.Single), SchemaShapeColumns.Scalar(GatedLinearRegressionTransformer.VarianceColumnName, NumberDataViewType.Single)];
    }
}
