using Microsoft.ML.Data;
using Microsoft.ML.GatedLinear.Data;
using Microsoft.ML.GatedLinear.Galu;
using Microsoft.ML.GatedLinear.Numerics;
using Microsoft.ML.GatedLinear.Training;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.GatedLinear.GaluTrainers;

/// <summary>Options of the GaLU trainers: the common trainer options and the network's hyperparameters.</summary>
public sealed class GaluTrainerOptions : GatedLinearTrainerOptions
{
    /// <summary>Creates options with 10 epochs and mini-batches of 64 (one Adam step per batch).</summary>
    public GaluTrainerOptions()
    {
        NumberOfEpochs = 10;
        BatchSize = 64;
    }

    /// <summary>
    /// The network, defaults as documented on <see cref="GaluOptions"/>. Regression with one hidden layer is solved in
    /// closed form from one pass (epochs are then ignored); otherwise the linear parts train by Adam. Features are
    /// used as given: normalize them first (e.g. NormalizeMeanVariance). The trainer's Seed overrides Network.Seed.
    /// </summary>
    public GaluOptions Network { get; set; } = new();
}

/// <summary>Trains a GaLU regression network (closed form for one hidden layer, Adam for deeper ones).</summary>
public sealed class GaluRegressionTrainer : GatedLinearTrainer<GaluRegressionTransformer, IGaluPredictor>
{
    private readonly GaluTrainerOptions _options;

    internal GaluRegressionTrainer(IHostEnvironment environment, GaluTrainerOptions options)
        : base(environment, "GaluRegression", options)
    {
        _options = options;
    }

    private bool ClosedForm => _options.Network.HiddenSizes.Length == 1;

    private protected override CursorRows CreateRows(IDataView data, int seed)
    {
        int dimension = LabelReaders.RegressionDimension(CursorRows.Column(data.Schema, _options.LabelColumnName, "Label"));
        return Rows(data, seed, column => LabelReaders.Regression(column, dimension), dimension);
    }

    private protected override int Epochs(GatedLinearTrainerOptions options) => ClosedForm ? 1 : options.NumberOfEpochs;

    private protected override IGaluPredictor CreateModel(CursorRows rows, RunningMoments features, RunningMoments labels, int seed)
    {
        GaluOptions network = _options.Network.Clone();
        network.Seed = seed;
        return ClosedForm ? ClosedFormGalu.Create(rows.FeatureCount, rows.LabelWidth, network) : DeepGaluNetwork.Create(rows.FeatureCount, rows.LabelWidth, network);
    }

    private protected override IGaluPredictor Continue(GaluRegressionTransformer previous, CursorRows rows)
        => previous.Model is DeepGaluNetwork deep
            ? GaluCopies.Copy(deep, rows)
            : throw new NotSupportedException("A closed-form GaLU is solved from all of its data at once and cannot continue; fit it again on the combined data.");

    private protected override BatchLearner Learner(IGaluPredictor model)
        => model is ClosedFormGalu closed ? closed.BatchStep : ((DeepGaluNetwork)model).LearnRegressionBatch;

    private protected override GaluRegressionTransformer CreateTransformer(IGaluPredictor model, CursorRows rows)
    {
        double variance = model is ClosedFormGalu closed ? closed.Solve().TrainingLoss : 2 * ((DeepGaluNetwork)model).RecentLoss / model.Outputs;
        return new(model, rows.FeatureColumn.Name, variance);
    }

    private protected override SchemaShape.Column[] OutputColumns(SchemaShape.Column label)
    {
        if (label.ItemType != NumberDataViewType.Single || label.IsKey || label.Kind == SchemaShape.Column.VectorKind.VariableVector)
        {
            throw new ArgumentOutOfRangeException(nameof(label), $"Label column '{label.Name}' must be Single (or a known-size vector of Single) for regression.");
        }

        Func<string, DataViewType, SchemaShape.Column> column = label.Kind == SchemaShape.Column.VectorKind.Vector ? SchemaShapeColumns.Vector : SchemaShapeColumns.Scalar;
        return [column(DefaultColumnNames.Score, NumberDataViewType.Single), column(RegressionMapper.VarianceColumnName, NumberDataViewType.Single)];
    }
}

/// <summary>What the binary and multiclass GaLU trainers share: a deep GaLU network trained by Adam on softmax cross-entropy.</summary>
/// <typeparam name="TTransformer">The fitted transformer.</typeparam>
public abstract class GaluClassificationTrainer<TTransformer> : GatedLinearTrainer<TTransformer, IGaluPredictor>
    where TTransformer : GatedLinearPredictionTransformer<IGaluPredictor>
{
    private readonly GaluTrainerOptions _options;

    private protected GaluClassificationTrainer(IHostEnvironment environment, string name, GaluTrainerOptions options)
        : base(environment, name, options)
    {
        _options = options;
    }

    private protected abstract int ClassCount(CursorRows rows);

    private protected override IGaluPredictor CreateModel(CursorRows rows, RunningMoments features, RunningMoments labels, int seed)
    {
        GaluOptions network = _options.Network.Clone();
        network.Seed = seed;
        return DeepGaluNetwork.Create(rows.FeatureCount, ClassCount(rows), network);
    }

    private protected override IGaluPredictor Continue(TTransformer previous, CursorRows rows)
        => previous.Model.Outputs == ClassCount(rows)
            ? GaluCopies.Copy((DeepGaluNetwork)previous.Model, rows)
            : throw new ArgumentOutOfRangeException(nameof(previous), $"Label column '{rows.LabelColumn.Name}' has {ClassCount(rows)} classes; the previous model has {previous.Model.Outputs}.");

    private protected override BatchLearner Learner(IGaluPredictor model) => ((DeepGaluNetwork)model).LearnClassifierBatch;
}

/// <summary>Trains a binary GaLU classifier on a Boolean label.</summary>
public sealed class GaluBinaryClassificationTrainer : GaluClassificationTrainer<GaluBinaryClassificationTransformer>
{
    internal GaluBinaryClassificationTrainer(IHostEnvironment environment, GaluTrainerOptions options)
        : base(environment, "GaluBinaryClassification", options)
    {
    }

    private protected override int ClassCount(CursorRows rows) => 2;

    private protected override CursorRows CreateRows(IDataView data, int seed) => Rows(data, seed, LabelReaders.Boolean, 1);

    private protected override GaluBinaryClassificationTransformer CreateTransformer(IGaluPredictor model, CursorRows rows) => new(model, rows.FeatureColumn.Name);

    private protected override SchemaShape.Column[] OutputColumns(SchemaShape.Column label)
        => label.ItemType == BooleanDataViewType.Instance && label.Kind == SchemaShape.Column.VectorKind.Scalar
            ? [SchemaShapeColumns.Scalar(DefaultColumnNames.Score, NumberDataViewType.Single), SchemaShapeColumns.Scalar(DefaultColumnNames.Probability, NumberDataViewType.Single), SchemaShapeColumns.Scalar(DefaultColumnNames.PredictedLabel, BooleanDataViewType.Instance)]
            : throw new ArgumentOutOfRangeException(nameof(label), $"Label column '{label.Name}' must be Boolean for binary classification.");
}

/// <summary>Trains a multiclass GaLU classifier on a key-typed label.</summary>
public sealed class GaluMulticlassClassificationTrainer : GaluClassificationTrainer<GaluMulticlassClassificationTransformer>
{
    internal GaluMulticlassClassificationTrainer(IHostEnvironment environment, GaluTrainerOptions options)
        : base(environment, "GaluMulticlassClassification", options)
    {
    }

    private protected override int ClassCount(CursorRows rows) => LabelReaders.ClassCount(rows.LabelColumn);

    private protected override CursorRows CreateRows(IDataView data, int seed) => Rows(data, seed, LabelReaders.Key, 1);

    private protected override GaluMulticlassClassificationTransformer CreateTransformer(IGaluPredictor model, CursorRows rows)
    {
        (KeyDataViewType type, DataViewSchema.Annotations annotations) = ClassLabels.KeyOf(rows.LabelColumn);
        return new(model, rows.FeatureColumn.Name, type, annotations);
    }

    private protected override SchemaShape.Column[] OutputColumns(SchemaShape.Column label)
        => label.IsKey && label.Kind == SchemaShape.Column.VectorKind.Scalar
            ? [SchemaShapeColumns.Vector(DefaultColumnNames.Score, NumberDataViewType.Single), SchemaShapeColumns.Key(DefaultColumnNames.PredictedLabel, label.ItemType, label.Annotations)]
            : throw new ArgumentOutOfRangeException(nameof(label), $"Label column '{label.Name}' must be a key type for multiclass classification (use mlContext.Transforms.Conversion.MapValueToKey).");
}

/// <summary>Copies a trained network through the model format (continued training must not touch the original).</summary>
internal static class GaluCopies
{
    public static DeepGaluNetwork Copy(DeepGaluNetwork network, CursorRows rows)
    {
        ModelShape.RequireFeatureCount(rows.FeatureColumn, rows.FeatureCount, network.InputDimension);
        using var copy = new MemoryStream();
        network.Save(copy);
        copy.Position = 0;
        return DeepGaluNetwork.Load(copy);
    }
}
