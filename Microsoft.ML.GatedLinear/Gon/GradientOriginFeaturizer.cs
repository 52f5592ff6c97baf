using Microsoft.ML.Data;
using Microsoft.ML.GatedLinear.Data;
using Microsoft.ML.GatedLinear.Gon;
using Microsoft.ML.GatedLinear.Training;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.Trainers.GatedLinear;

/// <summary>
/// Fits a Gradient Origin Network on a vector column and appends each row's latent (the negative gradient of the
/// reconstruction loss at the origin) as a new column, for use as features by any trainer. The input column is
/// streamed through cursors each epoch; values are expected in [0, 1] (the decoder ends in a sigmoid).
/// </summary>
public sealed class GradientOriginFeaturizer : IEstimator<GradientOriginTransformer>
{
    private readonly IHost _host;
    private readonly Options _options;

    internal GradientOriginFeaturizer(IHostEnvironment environment, Options options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(options.OutputColumnName, nameof(options.OutputColumnName));
        ArgumentException.ThrowIfNullOrEmpty(options.InputColumnName, nameof(options.InputColumnName));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.NumberOfEpochs, nameof(options.NumberOfEpochs));
        options.Network.Validate();
        _host = environment.Register("FeaturizeByGradientOrigin");
        _options = options;
    }

    /// <summary>Options of <see cref="GradientOriginFeaturizer"/>.</summary>
    public sealed class Options
    {
        /// <summary>The new latent column (a vector of Network.LatentDimension Single values).</summary>
        public string OutputColumnName { get; set; } = "Features";

        /// <summary>The input: a known-size vector of Single, values in [0, 1].</summary>
        public string InputColumnName { get; set; } = "Features";

        /// <summary>The network, defaults as documented on <see cref="GonOptions"/>; Seed is overridden by <see cref="Seed"/>.</summary>
        public GonOptions Network { get; set; } = new();

        /// <summary>Passes over the data. Default 10.</summary>
        public int NumberOfEpochs { get; set; } = 10;

        /// <summary>Seed of weights and shuffles. Default null: drawn from the MLContext.</summary>
        public int? Seed { get; set; }

        /// <summary>Cancels training between batches.</summary>
        public CancellationToken CancellationToken { get; set; }
    }

    /// <summary>Trains the GON on the input column.</summary>
    public GradientOriginTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        using IChannel channel = _host.Start("Fit");
        int seed = _options.Seed ?? _host.Rand.Next();
        var rows = new CursorRows(input, _options.InputColumnName, label: null, skipMissing: false, shuffled: true, seed);
        InMemoryRows heldOut = rows.Scan(channel).HeldOut;
        GonOptions network = _options.Network.Clone();
        network.Seed = seed;
        var gon = GradientOriginNetwork.Create(rows.FeatureCount, network);
        var training = new OnlineTrainingOptions { Epochs = _options.NumberOfEpochs, Seed = seed, CancellationToken = _options.CancellationToken };
        LoggedTraining.Run(_host, channel, gon, rows, heldOut, training, network.BatchSize, gon.TrainBatch);
        return new GradientOriginTransformer(gon, _options.InputColumnName, _options.OutputColumnName);
    }

    /// <summary>The input shape with the latent column appended.</summary>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        SchemaShape.Column input = inputSchema.FirstOrDefault(c => c.Name == _options.InputColumnName);
        if (input.Name is null || input.ItemType != NumberDataViewType.Single || input.Kind != SchemaShape.Column.VectorKind.Vector)
        {
            throw new ArgumentOutOfRangeException(nameof(inputSchema), $"Input column '{_options.InputColumnName}' must be a known-size vector of Single.");
        }

        return SchemaShapeColumns.Append(inputSchema, SchemaShapeColumns.Vector(_options.OutputColumnName, NumberDataViewType.Single));
    }
}
