using Microsoft.ML.Data;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.GatedLinear.Training;

/// <summary>
/// The Fit loop every gated linear trainer shares: validate and scan the data once (row count, exact
/// standardization statistics), create the core model (or continue a previous one), stream the epochs
/// through it, and wrap it in its transformer. Messages go to the MLContext log.
/// </summary>
/// <typeparam name="TTransformer">The fitted transformer.</typeparam>
/// <typeparam name="TModel">The core model it wraps.</typeparam>
public abstract class GatedLinearTrainer<TTransformer, TModel> : IEstimator<TTransformer>
    where TTransformer : GatedLinearPredictionTransformer<TModel>
    where TModel : class
{
    private readonly IHost _host;
    private readonly GatedLinearTrainerOptions _options;

    private protected GatedLinearTrainer(IHostEnvironment environment, string name, GatedLinearTrainerOptions options)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _host = environment.Register(name);
        _options = options;
    }

    /// <summary>Trains a new model on <paramref name="input"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A column is missing or has the wrong type (the message names it).</exception>
    /// <exception cref="ArgumentException">The data has no rows.</exception>
    /// <exception cref="InvalidOperationException">A row has a missing value and <see cref="GatedLinearTrainerOptions.SkipRowsWithMissingValues"/> is off.</exception>
    public TTransformer Fit(IDataView input) => Fit(input, null);

    /// <summary>
    /// Trains on <paramref name="trainData"/>, continuing online from <paramref name="previousModel"/> when one is
    /// given (a copy: the previous model is left unchanged). The continued model keeps its standardization.
    /// </summary>
    public TTransformer Fit(IDataView trainData, TTransformer? previousModel)
    {
        ArgumentNullException.ThrowIfNull(trainData);
        using IChannel channel = _host.Start("Fit");
        TrainingStream stream = CreateStream(trainData, _options);
        (TrainingStream.Statistics features, TrainingStream.Statistics labels, long rows, _) = stream.Scan(channel);
        int seed = _options.Seed ?? _host.Rand.Next();
        TModel model = previousModel is null ? CreateModel(stream, features, labels, seed) : Continue(previousModel, stream);
        channel.Info(MessageSensitivity.None, $"Training on {rows} rows of {stream.FeatureCount} features for {_options.NumberOfEpochs} epoch(s){(previousModel is null ? string.Empty : ", continuing a previous model")}.");
        stream.Train(channel, seed, Learner(model));
        return CreateTransformer(model, stream);
    }

    /// <summary>The input shape with this trainer's output columns, after checking the label and feature columns.</summary>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        SchemaShape.Column features = Find(inputSchema, _options.FeatureColumnName, "Feature");
        if (features.ItemType != NumberDataViewType.Single || features.Kind == SchemaShape.Column.VectorKind.VariableVector)
        {
            throw new ArgumentOutOfRangeException(nameof(inputSchema), $"Feature column '{features.Name}' must be Single or a known-size vector of Single.");
        }

        SchemaShape.Column label = Find(inputSchema, _options.LabelColumnName, "Label");
        return SchemaShapeColumns.Append(inputSchema, OutputColumns(label));
    }

    private protected abstract TrainingStream CreateStream(IDataView data, GatedLinearTrainerOptions options);

    private protected abstract TModel CreateModel(TrainingStream stream, TrainingStream.Statistics features, TrainingStream.Statistics labels, int seed);

    private protected abstract TModel Continue(TTransformer previous, TrainingStream stream);

    private protected abstract Action<ReadOnlySpan<float>, ReadOnlySpan<float>> Learner(TModel model);

    private protected abstract TTransformer CreateTransformer(TModel model, TrainingStream stream);

    /// <summary>Output columns, given the label column (which the shape check has found).</summary>
    private protected abstract SchemaShape.Column[] OutputColumns(SchemaShape.Column label);

    private protected static void RequireFeatureCount(TrainingStream stream, int modelFeatures)
        => Data.ModelShape.RequireFeatureCount(stream.FeatureColumn, stream.FeatureCount, modelFeatures);

    private static SchemaShape.Column Find(SchemaShape shape, string name, string role)
    {
        foreach (SchemaShape.Column column in shape)
        {
            if (column.Name == name)
            {
                return column;
            }
        }

        throw new ArgumentOutOfRangeException(nameof(shape), $"{role} column '{name}' is not in the data.");
    }
}
