using Microsoft.ML.Data;
using Microsoft.ML.GatedLinear.Galu;
using Microsoft.ML.GatedLinear.Numerics;
using Microsoft.ML.GatedLinear.Training;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.Trainers.GatedLinear;

/// <summary>What the binary and multiclass GaLU trainers share: a deep GaLU network trained by Adam on softmax cross-entropy.</summary>
/// <typeparam name="TTransformer">The fitted transformer.</typeparam>
public abstract class GaluClassificationTrainer<TTransformer> : GatedLinearTrainer<TTransformer, IGaluPredictor>
    where TTransformer : GatedLinearPredictionTransformer<IGaluPredictor>
{
    private readonly GaluTrainerOptionsBase _options;

    private protected GaluClassificationTrainer(IHostEnvironment environment, string name, GaluTrainerOptionsBase options)
        : base(environment, name, options)
    {
        _options = options;
    }

    private protected abstract int ClassCount(CursorRows rows);

    private protected override IGaluPredictor CreateModel(ScannedRows data, int seed, int cores)
    {
        CursorRows rows = data.Rows;
        GaluOptions network = _options.Network.Clone();
        network.Seed = seed;
        return DeepGaluNetwork.Create(rows.FeatureCount, ClassCount(rows), network);
    }

    private protected override IGaluPredictor Continue(TTransformer previous, CursorRows rows)
        => previous.Model.Outputs == ClassCount(rows)
            ? GaluModels.Copy((DeepGaluNetwork)previous.Model, rows)
            : throw new ArgumentOutOfRangeException(nameof(previous), $"Label column '{rows.LabelColumn.Name}' has {ClassCount(rows)} classes; the previous model has {previous.Model.Outputs}.");

    private protected override BatchLearner Learner(IGaluPredictor model) => ((DeepGaluNetwork)model).LearnClassifierBatch;

    private protected override int BatchSize(IGaluPredictor model, CursorRows rows) => GaluModels.BatchSize(model, rows, _options.BatchSize);
}
