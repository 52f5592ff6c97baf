using System.Globalization;
using System.Runtime.ExceptionServices;
using Microsoft.ML.GatedLinear.Training;
using Microsoft.ML.Data;
using Microsoft.ML.GatedLinear.Numerics;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.Trainers.GatedLinear;

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
        int seed = _options.Seed ?? _host.Rand.Next();
        OnlineTrainingOptions training = _options.Training(Epochs(_options), seed);
        bool holdsOut = HoldsOut(training);
        // Model k of an ensemble holds out the k-th share of the rows (k·fraction to (k + 1)·fraction of one seed's coins),
        // so no row is held out by two models (until the shares wrap round) and every row is learned by the rest.
        CursorRows RowsFor(int member) => CreateRows(trainData, unchecked(seed + member), holdsOut ? new ValidationSplit(training.ValidationFraction, seed, member * training.ValidationFraction % 1) : default);
        CursorRows rows = RowsFor(0);
        (RunningMoments features, RunningMoments labels, InMemoryRows heldOut) = rows.Scan(channel);
        var scanned = new ScannedRows(rows, heldOut, features, labels);
        int members = previousModel is null ? EnsembleSize(rows, holdsOut) : 1;
        string continuing = previousModel is null ? string.Empty : ", continuing a previous model";
        string models = members > 1 ? $" {members} models (seeds {seed} to {unchecked(seed + members - 1)}, then averaged)" : string.Empty;
        string heldOutRows = members > 1 ? $"each model holding out its own share of the rows ({heldOut.RowCount} for the first)" : $"{heldOut.RowCount} rows held out";
        channel.Info(MessageSensitivity.None, training.HoldsOut
            ? $"Training{models} on {rows.RowCount} rows of {rows.FeatureCount} features for at most {training.Epochs} epochs, {heldOutRows} to choose when to stop{continuing}."
            : $"Training{models} on {rows.RowCount} rows of {rows.FeatureCount} features for {training.Epochs} epoch(s){(holdsOut ? $", {heldOutRows}" : string.Empty)}{continuing}.");
        // Members differ in their seed (hyperplanes, row orders) and their share of held-out rows. Their shape follows
        // the first member's rows.
        (TModel Kept, TModel Network) TrainMember(IChannel log, int member, int cores)
        {
            int memberSeed = unchecked(seed + member);
            CursorRows memberRows = rows;
            InMemoryRows memberHeldOut = heldOut;
            if (member > 0)
            {
                memberRows = RowsFor(member);
                memberHeldOut = memberRows.Scan(log, warn: false).HeldOut;
                log.Info(MessageSensitivity.None, $"Model {member + 1} of {members}, seed {memberSeed}, {memberHeldOut.RowCount} rows held out.");
            }

            TModel network = previousModel is null ? CreateModel(scanned, memberSeed, cores) : Continue(previousModel, rows);
            return (TrainOne(log, network, previousModel is null, scanned, memberRows, memberHeldOut, memberSeed, seed, cores, logBatchSize: member == 0), network);
        }

        var kept = new (TModel Kept, TModel Network)[members];
        if (MembersTrainSideBySide && members > 1)
        {
            // Models train side by side, one core each: a small network gains little from a second core,
            // two models twice as much (session 24). Each keeps its log apart; the logs are written in order after.
            var logs = new BufferedChannel[members];
            try
            {
                Parallel.For(0, members, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, member =>
                {
                    logs[member] = new BufferedChannel(channel);
                    kept[member] = TrainMember(logs[member], member, cores: 1);
                });
            }
            catch (AggregateException e)
            {
                ExceptionDispatchInfo.Throw(e.InnerExceptions[0]);
            }
            finally
            {
                foreach (BufferedChannel? log in logs)
                {
                    log?.WriteTo(channel);
                }
            }
        }
        else
        {
            for (int member = 0; member < members; member++)
            {
                kept[member] = TrainMember(channel, member, Environment.ProcessorCount);
            }
        }

        TModel model = members == 1 ? kept[0].Kept : Average(kept);
        return CreateTransformer(Finish(channel, model, heldOut), rows);
    }

    // One model's training on rows (held-out rows aside, their calibration halves split by the fit's seed): its linear
    // special case first (shaped by the first model's scanned rows, when rows are held out), then the network, and the
    // better kept.
    private TModel TrainOne(IChannel channel, TModel model, bool created, ScannedRows shape, CursorRows rows, InMemoryRows heldOut, int seed, int fitSeed, int cores, bool logBatchSize)
    {
        int batchSize = BatchSize(model, rows);
        if (logBatchSize && batchSize != _options.BatchSize)
        {
            channel.Info(MessageSensitivity.None, $"{batchSize} rows per batch for {rows.RowCount} rows (BatchSize {_options.BatchSize} is the largest).");
        }

        // The linear special case learns first, on the same rows with the same held-out rows, so the network can start from it.
        (TModel Model, TrainingHistory History)? linear = created && heldOut.RowCount > 0 && CreateLinearModel(shape, seed, cores) is { } linearModel
            ? (linearModel, TrainLinearModel(channel, linearModel, rows, heldOut, Training(seed, fitSeed)))
            : null;
        if (linear is { } trained)
        {
            StartFromLinearModel(channel, model, trained.Model);
        }

        TrainingHistory history = LoggedTraining.Run(_host, channel, model, rows, heldOut, Training(seed, fitSeed), batchSize, Learner(model));
        return linear is { } alternative ? KeepBetter(channel, model, history, alternative.Model, alternative.History) : model;
    }

    // Options of its own for every run: a run binds the options it is given to its own cancellation and progress, and
    // disposes them. The held-out rows' calibration halves follow the fit's seed, as the held-out shares do.
    private OnlineTrainingOptions Training(int seed, int fitSeed)
    {
        OnlineTrainingOptions training = _options.Training(Epochs(_options), seed);
        training.CalibrationSplitSeed = fitSeed;
        return training;
    }

    private TrainingHistory TrainLinearModel(IChannel channel, TModel linear, CursorRows rows, InMemoryRows heldOut, OnlineTrainingOptions training)
    {
        channel.Info(MessageSensitivity.None, "Training the network's linear special case (one ungated neuron) on the same rows first, to keep whichever predicts the held-out rows better.");
        return LoggedTraining.Run(_host, channel, linear, rows, heldOut, training, BatchSize(linear, rows), Learner(linear));
    }

    // The lower held-out loss wins (ties keep the network).
    private static TModel KeepBetter(IChannel channel, TModel network, TrainingHistory networkHistory, TModel linear, TrainingHistory linearHistory)
    {
        bool keepLinear = linearHistory.BestValidationLoss < networkHistory.BestValidationLoss;
        channel.Info(MessageSensitivity.None, string.Create(CultureInfo.InvariantCulture, $"Held-out loss: network {networkHistory.BestValidationLoss:0.#####}, linear model {linearHistory.BestValidationLoss:0.#####}; kept the {(keepLinear ? "linear model" : "network")}."));
        return keepLinear ? linear : network;
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

    /// <summary>The training rows, with this trainer's label reader.</summary>
    private protected abstract CursorRows CreateRows(IDataView data, int seed, ValidationSplit split);

    /// <summary>Passes to make: the options' epochs unless the model learns in one pass.</summary>
    private protected virtual int Epochs(GatedLinearTrainerOptions options) => options.NumberOfEpochs;

    /// <summary>A new model for the first pass's <paramref name="data"/> that learns on at most <paramref name="cores"/> cores where its options set that (1 when models train side by side).</summary>
    private protected abstract TModel CreateModel(ScannedRows data, int seed, int cores);

    /// <summary>
    /// The model's linear special case, trained before the model on the same rows when rows are held out; the one with
    /// the lower held-out loss is kept. Null (the default) when the trainer has none or its options turn it off.
    /// </summary>
    private protected virtual TModel? CreateLinearModel(ScannedRows data, int seed, int cores) => null;

    /// <summary>Lets the untrained network start from its trained linear special case (<see cref="CreateLinearModel"/>). Default: it keeps its own start.</summary>
    private protected virtual void StartFromLinearModel(IChannel channel, TModel network, TModel linear)
    {
    }

    private protected abstract TModel Continue(TTransformer previous, CursorRows rows);

    /// <summary>
    /// Models to train apart, with seeds seed, seed + 1, …, and average (<see cref="Average"/>), for a new model on
    /// <paramref name="rows"/> (of which some were held out when <paramref name="holdsOut"/>). Default 1.
    /// </summary>
    private protected virtual int EnsembleSize(CursorRows rows, bool holdsOut) => 1;

    /// <summary>
    /// Whether averaged models train side by side, one core each (one after another otherwise, each on every core). Default false.
    /// </summary>
    private protected virtual bool MembersTrainSideBySide => false;

    /// <summary>
    /// One model averaging the members' kept models (each given with the network it trained, which the kept model may be
    /// the linear special case of). <see cref="Finish"/> then runs on it with the first member's held-out rows, which the
    /// other members learned.
    /// </summary>
    private protected virtual TModel Average(IReadOnlyList<(TModel Kept, TModel Network)> members)
        => throw new NotSupportedException($"{GetType().Name} trains one model.");

    private protected abstract BatchLearner Learner(TModel model);

    /// <summary>Whether rows are held out: for a model trained over epochs, when it has more than one and a validation fraction.</summary>
    private protected virtual bool HoldsOut(OnlineTrainingOptions training) => training.HoldsOut;

    /// <summary>The last step after training, given the held-out rows (empty when none are held out). Default: the model as trained.</summary>
    private protected virtual TModel Finish(IChannel channel, TModel model, InMemoryRows heldOut) => model;

    /// <summary>Rows <paramref name="model"/> learns at a time from <paramref name="rows"/>: the options' <see cref="GatedLinearTrainerOptions.BatchSize"/> unless the trainer has a rule.</summary>
    private protected virtual int BatchSize(TModel model, CursorRows rows) => _options.BatchSize;

    private protected abstract TTransformer CreateTransformer(TModel model, CursorRows rows);

    /// <summary>Output columns, given the label column (which the shape check has found).</summary>
    private protected abstract SchemaShape.Column[] OutputColumns(SchemaShape.Column label);

    /// <summary>CursorRows over <paramref name="data"/> with the options' columns and this label reader.</summary>
    private protected CursorRows Rows(IDataView data, int seed, ValidationSplit split, Func<DataViewSchema.Column, Func<DataViewRow, LabelReader>> labelReader, int labelWidth)
        => new(data, _options.FeatureColumnName, (_options.LabelColumnName, labelReader, labelWidth), _options.SkipRowsWithMissingValues, _options.Shuffle, seed, split);

    private protected static void RequireFeatureCount(CursorRows rows, int modelFeatures)
        => ModelShape.RequireFeatureCount(rows.FeatureColumn, rows.FeatureCount, modelFeatures);

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
