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
        /// <summary>
        /// The defaults, with <see cref="GatedLinearTrainerOptions.ValidationFraction"/> 0.2: the held-out rows choose
        /// the epoch and also calibrate the intervals, and a tenth of a few hundred rows left the coverage of one training
        /// set several points off (the `defaults` benchmark, benchmarks/RESULTS.md, session 10).
        /// </summary>
        public Options() => ValidationFraction = 0.2;

        /// <summary>
        /// The network's hyperparameters. Default null: <see cref="GaussianGlnOptions.ForData(long, int)"/> for the training
        /// rows and their features (a documented rule: contexts from the rows, up to 8 from 4 096 rows while the first
        /// layer stays within 2^22 weights; hyperplanes along the feature axes; 128 first-layer neurons from 4 096 rows). The trainer supplies the exact feature and label statistics of the training data and the
        /// seed, so the standardization and seed settings there are overridden.
        /// </summary>
        public GaussianGlnOptions? Network { get; set; }

        /// <summary>
        /// The probability the <c>Lower</c>–<c>Upper</c> interval columns are meant to hold the label with; 0 leaves
        /// those columns out. With held-out rows (the default) the interval's half-width is a split-conformal quantile
        /// of their standardized errors (below 512 held-out rows each half of them is predicted by the model best on the
        /// other half, so the rows that chose a model do not calibrate it; from 512, the model kept predicts them all), so
        /// for exchangeable rows it holds about this share of new labels on average
        /// over training sets (one small training set can miss by a few percent either way); an average of several
        /// models (<see cref="EnsembleSize"/>) holds more, as its calibration rows are each predicted by one model alone;
        /// with none held out, it is the predicted Gaussian's, with no such guarantee. Change it on a fitted model with
        /// <see cref="GatedLinearRegressionTransformer.WithIntervalCoverage"/>. Default 0.9.
        /// </summary>
        public double IntervalCoverage { get; set; } = 0.9;

        /// <summary>
        /// When rows are held out, first train the network's linear special case (<see cref="GaussianGlnOptions.AsLinearModel"/>:
        /// one ungated neuron whose mean is an affine function of the features) on the same rows, start every weight row of
        /// the network's first layer from the linear model's row, train the network, and keep whichever has the lower
        /// held-out loss; the MLContext log says which. On small, nearly linear data the linear model often wins; starting
        /// from it, the network learns only what departs from the linear trend. False trains the network alone, from
        /// its usual start. A continued model (<c>Fit(data, previousModel)</c>) keeps its own shape. Default true.
        /// </summary>
        public bool TryLinearModel { get; set; } = true;

        /// <summary>
        /// Models to train on the same rows — each with its own seed (seed, seed + 1, …: its hyperplanes and row orders),
        /// its own share of held-out rows (model k holds out the k-th of the disjoint shares of
        /// <see cref="GatedLinearTrainerOptions.ValidationFraction"/> that one seed's coins make: up to 1/ValidationFraction
        /// models, no row is held out by two), its own epoch count and its own choice of network or linear model — and average into
        /// one regressor (<see cref="GaussianGlnRegressor.Average"/>: the equal mixture of their Gaussians, so explanations
        /// stay exact), whose intervals are calibrated on every model's predictions of the rows it held out, pooled (each
        /// row predicted by a model that never learned it). Those are one model's errors, and the mixture errs less, so
        /// the average's intervals err wide. The models train side by side, one core each; the model is that many times
        /// the size of one. Default null: <see cref="GatedLinearTrainerOptions.DefaultEnsembleSize"/> models below
        /// <see cref="GatedLinearTrainerOptions.EnsembleRowLimit"/> learned rows when rows are held out, otherwise 1. On
        /// the `defaults` benchmark's four sets of that size (ten cross-validation seeds), four models on their own shares
        /// took the RMSE of diabetes from 54.86 (four models sharing one held-out fifth) to 54.63, yacht's from 2.592 to
        /// 2.517 and energy's from 0.777 to 0.769 (boston's 3.460 to 3.464); their 90 % intervals held 91.6–96.1 % of new
        /// labels (89.8–90.7 % when the four shared the fifth that calibrated them) and were up to 28 % wider
        /// (benchmarks/RESULTS.md, session 26). Range 1–64; a continued model (<c>Fit(data, previousModel)</c>) keeps its own.
        /// </summary>
        public int? EnsembleSize { get; set; }

        internal override void Validate()
        {
            base.Validate();
            GatedLinearRegressionTransformer.ValidateCoverage(IntervalCoverage, nameof(IntervalCoverage));
            ValidateEnsembleSize(EnsembleSize, GaussianGlnRegressor.MaxEnsembleSize);
        }
    }

    private protected override CursorRows CreateRows(IDataView data, int seed, ValidationSplit split)
    {
        int dimension = LabelReaders.RegressionDimension(CursorRows.Column(data.Schema, _options.LabelColumnName, "Label"));
        return Rows(data, seed, split, column => LabelReaders.Regression(column, dimension), dimension);
    }

    private protected override GaussianGlnRegressor CreateModel(ScannedRows data, int seed, int cores)
        => Create(NetworkFor(data.Rows).Clone(), data.Rows, data.Features, data.Labels, seed, cores);

    private protected override GaussianGlnRegressor? CreateLinearModel(ScannedRows data, int seed, int cores)
        => _options.TryLinearModel ? Create(NetworkFor(data.Rows).AsLinearModel(), data.Rows, data.Features, data.Labels, seed, cores) : null;

    private protected override void StartFromLinearModel(IChannel channel, GaussianGlnRegressor network, GaussianGlnRegressor linear)
    {
        network.StartFirstLayerFrom(linear);
        channel.Info(MessageSensitivity.None, "The network's first layer starts from the linear model: every weight row of its neurons begins as the linear model's row.");
    }

    private protected override int EnsembleSize(CursorRows rows, bool holdsOut) => GatedLinearTrainerOptions.EnsembleSizeFor(_options.EnsembleSize, rows.RowCount, holdsOut);

    // A G-GLN on a few hundred rows gains little from a second core; two models gain twice (session 24).
    private protected override bool MembersTrainSideBySide => true;

    private protected override GaussianGlnRegressor Average(IReadOnlyList<(GaussianGlnRegressor Kept, GaussianGlnRegressor Network)> members)
        => GaussianGlnRegressor.Average(members.Select(m => m.Kept).ToList());

    private GaussianGlnOptions NetworkFor(CursorRows rows) => _options.Network ?? GaussianGlnOptions.ForData(rows.RowCount, rows.FeatureCount);

    private static GaussianGlnRegressor Create(GaussianGlnOptions network, CursorRows rows, RunningMoments features, RunningMoments labels, int seed, int cores)
    {
        network.SupplyStatistics(features, labels);
        network.Seed = seed;
        network.MaxDegreeOfParallelism = Math.Min(network.MaxDegreeOfParallelism, cores);
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
        => new(model, rows.FeatureColumn.Name, _options.IntervalCoverage);

    private protected override SchemaShape.Column[] OutputColumns(SchemaShape.Column label)
    {
        bool vector = label.Kind == SchemaShape.Column.VectorKind.Vector;
        if (label.ItemType != NumberDataViewType.Single || label.IsKey || label.Kind == SchemaShape.Column.VectorKind.VariableVector)
        {
            throw new ArgumentOutOfRangeException(nameof(label), $"Label column '{label.Name}' must be Single (or a known-size vector of Single) for regression.");
        }

        string[] names = _options.IntervalCoverage > 0
            ? [DefaultColumnNames.Score, RegressionMapper.VarianceColumnName, RegressionMapper.LowerColumnName, RegressionMapper.UpperColumnName]
            : [DefaultColumnNames.Score, RegressionMapper.VarianceColumnName];
        return names.Select(name => vector ? SchemaShapeColumns.Vector(name, NumberDataViewType.Single) : SchemaShapeColumns.Scalar(name, NumberDataViewType.Single)).ToArray();
    }
}
