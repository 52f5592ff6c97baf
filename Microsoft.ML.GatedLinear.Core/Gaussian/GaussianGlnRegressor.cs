using Microsoft.ML.GatedLinear.Data;
using Microsoft.ML.GatedLinear.Gating;
using Microsoft.ML.GatedLinear.Numerics;
using Microsoft.ML.GatedLinear.Training;

namespace Microsoft.ML.GatedLinear.Gaussian;

/// <summary>
/// A Gaussian gated linear network: online regression that predicts a full Gaussian (mean and variance)
/// for a scalar or vector target. Every neuron predicts the target; each learns by local convex updates.
/// Learning is not thread-safe; prediction is, and may run concurrently with other predictions.
/// </summary>
public sealed partial class GaussianGlnRegressor : IEarlyStoppable, ICalibratedOnHeldOutRows
{
    private readonly GaussianGlnOptions _options;
    private readonly FeatureStandardizer _features;
    private readonly FeatureStandardizer _targets;
    private readonly BayesianLinearBase[]? _linearBases;
    private readonly HalfSpaceGating _gating;
    private readonly GaussianNetwork _network;
    private readonly SwitchingAggregation? _switching;
    private readonly WorkspacePool<Workspace> _workspaces;
    private readonly ContextBatch _batch;
    private Workspace? _learnWorkspace;
    private BatchRows? _batchRows;
    private PipelineSlots? _pipeline;
    private HeldOutCalibration? _calibration;

    private GaussianGlnRegressor(GaussianGlnOptions options, int featureCount, int targetDimension, FeatureStandardizer features, FeatureStandardizer targets, BayesianLinearBase[]? linearBases, HalfSpaceGating gating, GaussianNetwork network, SwitchingAggregation? switching, long updateCount, HeldOutCalibration? calibration = null)
    {
        _calibration = calibration;
        _options = options;
        FeatureCount = featureCount;
        TargetDimension = targetDimension;
        _features = features;
        _targets = targets;
        _linearBases = linearBases;
        _gating = gating;
        _network = network;
        _switching = switching;
        UpdateCount = updateCount;
        _workspaces = new(() => new Workspace(this));
        _batch = new ContextBatch(gating);
    }

    /// <summary>Creates an untrained regressor.</summary>
    /// <param name="featureCount">Features per row.</param>
    /// <param name="targetDimension">Dimension D of the target (1 for ordinary regression).</param>
    /// <param name="options">Hyperparameters; default <see cref="GaussianGlnOptions"/>. The regressor keeps a copy.</param>
    public static GaussianGlnRegressor Create(int featureCount, int targetDimension = 1, GaussianGlnOptions? options = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(featureCount);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(targetDimension);
        options = (options ?? new GaussianGlnOptions()).Clone();
        options.Validate();
        FeatureStandardizer features = OptionChecks.Standardizer(options.Standardization, options.SuppliedMean, options.SuppliedStandardDeviation, featureCount, "feature");
        FeatureStandardizer targets = OptionChecks.Standardizer(options.TargetStandardization, options.SuppliedTargetMean, options.SuppliedTargetStandardDeviation, targetDimension, "target");
        BayesianLinearBase[]? linearBases = options.BaseModel == GaussianBaseModel.BayesianLinearRegression
            ? Enumerable.Range(0, featureCount).Select(_ => new BayesianLinearBase(targetDimension)).ToArray()
            : null;

        GaussianNetwork network = CreateNetwork(options, featureCount, targetDimension, null);
        var gating = HalfSpaceGating.CreateRandom(network.NeuronCount, options.ContextDimension, featureCount, options.HyperplaneOffsetScale, new SeededRandom(options.Seed), options.HyperplaneDirection);
        SwitchingAggregation? switching = options.Output == GaussianOutput.SwitchingAggregation ? new SwitchingAggregation(network.NeuronCount) : null;
        return new GaussianGlnRegressor(options, featureCount, targetDimension, features, targets, linearBases, gating, network, switching, 0);
    }

    /// <summary>Features per row.</summary>
    public int FeatureCount { get; }

    /// <summary>Dimension D of the target.</summary>
    public int TargetDimension { get; }

    /// <summary>Examples learned so far: the t of the learning-rate schedule (the first model's when it averages several, <see cref="EnsembleSize"/>).</summary>
    public long UpdateCount { get; private set; }

    /// <summary>A copy of the hyperparameters.</summary>
    public GaussianGlnOptions Options => _options.Clone();

    /// <summary>The half-space gating of every neuron.</summary>
    internal HalfSpaceGating Gating => _gating;

    /// <summary>The layers of Gaussian neurons (where a batch's pipeline cuts them, say).</summary>
    internal GaussianNetwork Network => _network;

    /// <summary>Learns one example with a scalar target (<see cref="TargetDimension"/> must be 1).</summary>
    public void Learn(ReadOnlySpan<float> features, float target)
    {
        RequireScalar();
        Learn(features, [target]);
    }

    /// <summary>Learns one example.</summary>
    /// <param name="features">The row, <see cref="FeatureCount"/> finite values.</param>
    /// <param name="target">The target, <see cref="TargetDimension"/> finite values, in original units.</param>
    public void Learn(ReadOnlySpan<float> features, ReadOnlySpan<float> target)
    {
        InputValidation.ValidateRow(features, FeatureCount);
        ValidateTarget(target, -1);
        Workspace ws = _learnWorkspace ??= new Workspace(this);
        PrepareLearningRow(features, target, UpdateCount + 1, ws.Z, ws.Target, ws.BaseMeans, ws.BasePrecisions);
        _gating.ComputeContexts(ws.Z, ws.Contexts);
        LearnPrepared(ws, ws.Contexts, ++UpdateCount);
        foreach (GaussianGlnRegressor other in _others)
        {
            other.Learn(features, target);
        }
    }

    /// <summary>Learns a batch in order; the model ends bit-identical to learning each row alone.</summary>
    /// <param name="rows">Row-major [n × FeatureCount]; every row is validated before any update.</param>
    /// <param name="targets">Row-major [n × TargetDimension], original units.</param>
    public void LearnBatch(ReadOnlySpan<float> rows, ReadOnlySpan<float> targets)
    {
        LearnOwnBatch(rows, targets);
        foreach (GaussianGlnRegressor other in _others)
        {
            other.LearnOwnBatch(rows, targets);
        }
    }

    private void LearnOwnBatch(ReadOnlySpan<float> rows, ReadOnlySpan<float> targets)
    {
        int d = FeatureCount, t = TargetDimension;
        if (targets.Length % t != 0 || rows.Length != (long)(targets.Length / t) * d)
        {
            throw new ArgumentException($"{rows.Length} feature values and {targets.Length} target values do not make whole rows of {d} features and {t} targets.", nameof(rows));
        }

        int n = targets.Length / t;
        for (int i = 0; i < n; i++)
        {
            InputValidation.ValidateRow(rows.Slice(i * d, d), d, i);
            ValidateTarget(targets.Slice(i * t, t), i);
        }

        if (n == 0)
        {
            return;
        }

        BatchRows batch = _batchRows is { } b && b.Capacity >= n ? b : _batchRows = new BatchRows(this, n);
        _batch.Reserve(n);
        for (int i = 0; i < n; i++)
        {
            PrepareLearningRow(rows.Slice(i * d, d), targets.Slice(i * t, t), UpdateCount + 1 + i, _batch.Z(i), batch.Target(i), batch.BaseMeans(i), batch.BasePrecisions(i));
        }

        if (_options.MaxDegreeOfParallelism > 1 && _network.PipelineCut > 0 && n > 1)
        {
            LearnPipelined(batch, n);
            return;
        }

        Workspace ws = _learnWorkspace ??= new Workspace(this);
        _batch.ComputeContexts(0, n);
        for (int i = 0; i < n; i++)
        {
            TakeRow(batch, i, ws);
            LearnPrepared(ws, _batch.Contexts(i), ++UpdateCount);
        }
    }

    // The batch on two cores, an example apart: this thread computes the contexts (a few rows at a time, as the batch
    // product would) and learns the layers below the network's pipeline cut, a pool thread the layers above and the
    // mixture, each example in its own workspace. Every layer and the mixture see the examples in order, so the model
    // ends with the same bits as learning them one by one.
    private void LearnPipelined(BatchRows batch, int n)
    {
        PipelineSlots slots = _pipeline ??= new PipelineSlots(this);
        int cut = _network.PipelineCut, layers = _network.Layers.Count;
        bool densities = _switching is not null;
        long first = UpdateCount + 1;
        slots.Pipeline.Run(
            n,
            (i, slot) =>
            {
                if (i % ContextRows == 0)
                {
                    _batch.ComputeContexts(i, Math.Min(i + ContextRows, n));
                }

                Workspace ws = slots.Workspaces[slot];
                TakeRow(batch, i, ws);
                SetBases(ws);
                _network.LearnLayers(0, cut, _batch.Contexts(i), ws.Activations, ws.Target, LearningRate(first + i), densities);
            },
            (i, slot) =>
            {
                Workspace ws = slots.Workspaces[slot];
                _network.LearnLayers(cut, layers, _batch.Contexts(i), ws.Activations, ws.Target, LearningRate(first + i), densities);
                _switching?.Update(ws.Activations.LogDensities, ws.MixtureWeights);
            });
        UpdateCount += n;
    }

    // Rows whose contexts the pipeline computes at once: enough to fill the gating kernel's vector lanes.
    private const int ContextRows = 16;

    private static void TakeRow(BatchRows batch, int i, Workspace ws)
    {
        batch.Target(i).CopyTo(ws.Target);
        batch.BaseMeans(i).CopyTo(ws.BaseMeans);
        batch.BasePrecisions(i).CopyTo(ws.BasePrecisions);
    }

    private float LearningRate(long t) => (float)_options.LearningRate.Rate(t);

    /// <summary>Trains on scalar targets for the given epochs (<see cref="TargetDimension"/> must be 1).</summary>
    /// <param name="data">Rows and targets in original units; validated before any update.</param>
    /// <param name="training">Epochs, shuffling, progress, cancellation; default one shuffled pass.</param>
    public TrainingHistory Fit(LabeledData<float> data, OnlineTrainingOptions? training = null)
    {
        RequireScalar();
        return Fit(InMemoryRows.Create(data, FeatureCount, 1, (y, row, values) =>
        {
            values[0] = y;
            ValidateTarget(values, row);
        }), training);
    }

    /// <summary>Trains on vector targets (each of length <see cref="TargetDimension"/>) for the given epochs.</summary>
    /// <param name="data">Rows and targets in original units; validated before any update.</param>
    /// <param name="training">Epochs, shuffling, progress, cancellation; default one shuffled pass.</param>
    public TrainingHistory Fit(LabeledData<float[]> data, OnlineTrainingOptions? training = null)
        => Fit(InMemoryRows.Create(data, FeatureCount, TargetDimension, (y, row, values) =>
        {
            ValidateTarget(y, row);
            y.CopyTo(values);
        }), training);

    private TrainingHistory Fit(InMemoryRows rows, OnlineTrainingOptions? training)
    {
        training ??= new OnlineTrainingOptions();
        _calibration = null;
        return EarlyStopping.Fit(this, rows, training, training.BatchSize, BatchStep);
    }

    /// <summary>
    /// Mean squared error of the rows' targets (original units, summed over target dimensions). Not the negative
    /// log-likelihood: while the means keep improving over the epochs the variances shrink faster, so the held-out
    /// likelihood peaks epochs before the fit does (concrete: after 5 epochs at RMSE 8.0; 40 epochs reach 6.6).
    /// </summary>
    double IEarlyStoppable.HeldOutLoss(IRowSource rows)
    {
        double total = 0;
        var mean = new double[TargetDimension];
        var variance = new double[TargetDimension];
        rows.Stream(null, (features, target) =>
        {
            Predict(features, mean, variance);
            for (int d = 0; d < TargetDimension; d++)
            {
                total += (target[d] - mean[d]) * (target[d] - mean[d]);
            }
        });
        return total / rows.RowCount;
    }

    object IEarlyStoppable.Snapshot(object? previous)
        => IEarlyStoppable.Reuse(this, previous, model => model.Copy(), (copy, model) => copy.TakeLearnedState(model));

    /// <summary>
    /// A deep copy, made directly rather than through the model's format: early stopping copies the model at its first
    /// best epochs, and on a few hundred rows saving and loading it cost as much as the epochs (session 24).
    /// </summary>
    private GaussianGlnRegressor Copy()
    {
        GaussianGlnRegressor copy = SameShape();
        copy.TakeLearnedState(this);
        return copy;
    }

    // A model of this one's shape (and its averaged models' shapes) for TakeLearnedState to fill. Hyperplanes and
    // calibration never change once made, so it shares them.
    private GaussianGlnRegressor SameShape()
        => new(_options, FeatureCount, TargetDimension, _features.Clone(), _targets.Clone(), _linearBases?.Select(_ => new BayesianLinearBase(TargetDimension)).ToArray(), _gating, CreateNetwork(_options, FeatureCount, TargetDimension, null), _switching is null ? null : new SwitchingAggregation(_network.NeuronCount), UpdateCount, _calibration)
        {
            _others = _others.Select(other => other.SameShape()).ToArray(),
        };

    void IEarlyStoppable.Restore(object snapshot) => TakeLearnedState((GaussianGlnRegressor)snapshot);

    /// <summary>Makes this model's learned state (weights, statistics, counts) equal <paramref name="snapshot"/>'s, a copy of this model.</summary>
    private void TakeLearnedState(GaussianGlnRegressor snapshot)
    {
        UpdateCount = snapshot.UpdateCount;
        _features.CopyFrom(snapshot._features);
        _targets.CopyFrom(snapshot._targets);
        for (int j = 0; j < (_linearBases?.Length ?? 0); j++)
        {
            _linearBases![j].CopyFrom(snapshot._linearBases![j]);
        }

        for (int i = 0; i < _network.Layers.Count; i++)
        {
            _network.Layers[i].CopyFrom(snapshot._network.Layers[i]);
        }

        _switching?.CopyFrom(snapshot._switching!);
        for (int j = 0; j < _others.Length; j++)
        {
            _others[j].TakeLearnedState(snapshot._others[j]);
        }
    }

    HeldOutPredictions ICalibratedOnHeldOutRows.PredictHeldOut(IRowSource rows)
    {
        int n = checked((int)rows.RowCount), t = TargetDimension, i = 0;
        var predictions = new HeldOutPredictions(new double[n * t], new double[n * t], new float[n * t], t);
        // The network's own Gaussians: the calibration these predictions are for replaces any earlier one.
        _calibration = null;
        rows.Stream(null, (features, target) =>
        {
            Predict(features, predictions.Means.AsSpan(i * t, t), predictions.Variances.AsSpan(i * t, t));
            target.CopyTo(predictions.Targets.AsSpan(i * t, t));
            i++;
        });
        return predictions;
    }

    /// <summary>Recalibrates the variances and intervals on rows the network never learned (see <see cref="HeldOutCalibration"/>).</summary>
    void ICalibratedOnHeldOutRows.Calibrate(HeldOutPredictions predictions)
    {
        _calibration = HeldOutCalibration.Fit(predictions.Means, predictions.Variances, predictions.Targets, predictions.Dimensions);
        _calibrationPredictions = predictions;
    }

    /// <summary>The driver's batch step (targets row-major [n × TargetDimension]).</summary>
    internal double BatchStep(ReadOnlySpan<float> rows, ReadOnlySpan<float> targets)
    {
        LearnBatch(rows, targets);
        return double.NaN;
    }

    /// <summary>The predictive distribution of a scalar target, in original units.</summary>
    public GaussianPrediction Predict(ReadOnlySpan<float> features)
    {
        RequireScalar();
        Span<double> mean = stackalloc double[1], variance = stackalloc double[1];
        Predict(features, mean, variance);
        return new GaussianPrediction(mean[0], variance[0], _calibration);
    }

    /// <summary>
    /// The predictive mean and per-dimension variance, in original units (the variance calibrated on held-out rows when
    /// training held rows out; see <see cref="CalibrationRowCount"/>).
    /// </summary>
    public void Predict(ReadOnlySpan<float> features, Span<double> mean, Span<double> variance)
    {
        InputValidation.ValidateRow(features, FeatureCount);
        if (mean.Length != TargetDimension || variance.Length != TargetDimension)
        {
            throw new ArgumentException($"The destinations must hold {TargetDimension} values each.");
        }

        if (_others.Length == 0)
        {
            PredictOwn(features, mean, variance, _calibration);
        }
        else
        {
            PredictAverage(features, mean, variance);
        }
    }

    // This network's Gaussian in original units, its variance scaled by the calibration if one is given.
    private void PredictOwn(ReadOnlySpan<float> features, Span<double> mean, Span<double> variance, HeldOutCalibration? calibration)
    {
        Workspace ws = _workspaces.Rent();
        try
        {
            _features.Transform(features, ws.Z);
            ComputeBases(features, ws.Z, ws.BaseMeans, ws.BasePrecisions);
            _gating.ComputeContexts(ws.Z, ws.Contexts);
            SetBases(ws);
            _network.Predict(ws.Contexts, ws.Activations);
            OutputMoments(ws, mean, variance);
            for (int d = 0; d < TargetDimension; d++)
            {
                double scale = _targets.Scale(d);
                mean[d] = mean[d] * scale + _targets.Center(d);
                variance[d] *= scale * scale * (calibration?.VarianceScale(d) ?? 1);
            }
        }
        finally
        {
            _workspaces.Return(ws);
        }
    }

    /// <summary>
    /// The central interval of dimension <paramref name="dimension"/> meant to hold the target with probability
    /// <paramref name="coverage"/>, for a prediction of <paramref name="mean"/> and <paramref name="variance"/> from
    /// <see cref="Predict(ReadOnlySpan{float}, Span{double}, Span{double})"/> (see <see cref="GaussianPrediction.Interval"/>).
    /// </summary>
    public (double Lower, double Upper) Interval(double mean, double variance, double coverage, int dimension = 0)
    {
        OptionChecks.Coverage(coverage, nameof(coverage));
        ArgumentOutOfRangeException.ThrowIfNegative(dimension);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(dimension, TargetDimension);
        return new GaussianPrediction(mean, variance, _calibration, dimension).Interval(coverage);
    }

    /// <summary>
    /// Held-out rows the variances and intervals were calibrated on when <c>Fit</c> last held rows out (0: uncalibrated,
    /// the network's own Gaussians, as after one pass or with no validation fraction). Each <c>Fit</c> replaces the
    /// calibration; <c>Learn</c> keeps it.
    /// </summary>
    public int CalibrationRowCount => _calibration?.RowCount ?? 0;

    /// <summary>The held-out calibration, if any.</summary>
    internal HeldOutCalibration? Calibration => _calibration;

    /// <summary>
    /// For each neuron, how many times the weight row its context selects for <paramref name="features"/>
    /// has been updated (neurons bottom layer first; model by model when it averages several). Contextual bandits
    /// explore with the minimum.
    /// </summary>
    public void ActiveRowUpdateCounts(ReadOnlySpan<float> features, Span<long> counts)
    {
        InputValidation.ValidateRow(features, FeatureCount);
        if (counts.Length != NeuronCount)
        {
            throw new ArgumentException($"The destination must hold {NeuronCount} values, one per neuron.", nameof(counts));
        }

        OwnActiveRowUpdateCounts(features, counts[.._network.NeuronCount]);
        int offset = _network.NeuronCount;
        foreach (GaussianGlnRegressor other in _others)
        {
            other.OwnActiveRowUpdateCounts(features, counts.Slice(offset, other._network.NeuronCount));
            offset += other._network.NeuronCount;
        }
    }

    private void OwnActiveRowUpdateCounts(ReadOnlySpan<float> features, Span<long> counts)
    {
        Workspace ws = _workspaces.Rent();
        try
        {
            _features.Transform(features, ws.Z);
            _gating.ComputeContexts(ws.Z, ws.Contexts);
            CopyActiveCounts(ws.Contexts, counts);
        }
        finally
        {
            _workspaces.Return(ws);
        }
    }

    private void CopyActiveCounts(ReadOnlySpan<int> contexts, Span<long> counts)
    {
        int n = 0;
        for (int i = 0; i < _network.Layers.Count; i++)
        {
            GaussianLayer layer = _network.Layers[i];
            ReadOnlySpan<int> layerContexts = _network.LayerContexts(contexts, i);
            for (int k = 0; k < layer.NeuronCount; k++)
            {
                counts[n++] = layer.UpdateCount(k, layerContexts[k]);
            }
        }
    }

    /// <summary>Total neurons in the network (in all of them, first model first, when it averages several: <see cref="EnsembleSize"/>).</summary>
    public int NeuronCount => _network.NeuronCount + _others.Sum(other => other._network.NeuronCount);

    private void LearnPrepared(Workspace ws, ReadOnlySpan<int> contexts, long t)
    {
        SetBases(ws);
        _network.Learn(contexts, ws.Activations, ws.Target, LearningRate(t), densities: _switching is not null, splitWideLayers: _options.MaxDegreeOfParallelism > 1);
        _switching?.Update(ws.Activations.LogDensities, ws.MixtureWeights);
    }

    // Observes the row in the standardizers, then writes its standardized features and target and the
    // base Gaussians predicted *before* the base models see this row (prequential, as online learning must).
    // z is left as the gating will see it: with the gating noise of update t added after the bases are computed.
    private void PrepareLearningRow(ReadOnlySpan<float> features, ReadOnlySpan<float> target, long t, Span<float> z, Span<float> standardizedTarget, Span<float> baseMeans, Span<float> basePrecisions)
    {
        // The row as the standardizers took it: one extreme value is learned at their winsorizing bound.
        features = _features.Observe(features);
        target = _targets.Observe(target);
        _features.Transform(features, z);
        _targets.Transform(target, standardizedTarget);
        ComputeBases(features, z, baseMeans, basePrecisions);
        if (_options.GatingNoise > 0)
        {
            SeededRandom.AddGaussianNoise(z, _options.GatingNoise, _options.Seed, t);
        }

        if (_linearBases is not null)
        {
            for (int j = 0; j < FeatureCount; j++)
            {
                _linearBases[j].Observe(features[j], target);
            }
        }
    }

    /// <summary>Base Gaussian j, dimension-major: baseMeans[d·F + j], basePrecisions[p·F + j].</summary>
    private void ComputeBases(ReadOnlySpan<float> features, ReadOnlySpan<float> z, Span<float> baseMeans, Span<float> basePrecisions)
    {
        int f = FeatureCount, rows = _network.PrecisionRows;
        if (_linearBases is null)
        {
            for (int d = 0; d < TargetDimension; d++)
            {
                z.CopyTo(baseMeans.Slice(d * f, f));
            }

            basePrecisions.Fill((float)(1 / (_options.BaseStandardDeviation * _options.BaseStandardDeviation)));
            return;
        }

        for (int j = 0; j < f; j++)
        {
            double varianceSum = 0;
            for (int d = 0; d < TargetDimension; d++)
            {
                double scale = _targets.Scale(d);
                (double mean, double variance) = _linearBases[j].Predict(features[j], d) is { } p
                    ? ((p.Mean - _targets.Center(d)) / scale, p.Variance / (scale * scale))
                    : (0.0, 1.0);
                variance = Math.Clamp(variance, _options.MinVariance, _options.MaxVariance);
                baseMeans[d * f + j] = (float)mean;
                varianceSum += variance;
                if (rows > 1)
                {
                    basePrecisions[d * f + j] = (float)(1 / variance);
                }
            }

            if (rows == 1)
            {
                basePrecisions[j] = (float)(TargetDimension / varianceSum);
            }
        }
    }

    private void SetBases(Workspace ws)
    {
        int f = FeatureCount;
        for (int j = 0; j < f; j++)
        {
            for (int d = 0; d < TargetDimension; d++)
            {
                ws.BaseMean[d] = ws.BaseMeans[d * f + j];
            }

            for (int p = 0; p < _network.PrecisionRows; p++)
            {
                ws.BasePrecision[p] = ws.BasePrecisions[p * f + j];
            }

            ws.Activations.SetBase(j, ws.BaseMean, ws.BasePrecision);
        }
    }

    /// <summary>Mean and variance of the reported distribution, in standardized units.</summary>
    private void OutputMoments(Workspace ws, Span<double> mean, Span<double> variance)
    {
        int top = _network.Layers.Count - 1;
        if (_switching is null)
        {
            for (int d = 0; d < TargetDimension; d++)
            {
                (float m, float precision) = ws.Activations.NeuronOutput(top, 0, d);
                mean[d] = m;
                variance[d] = 1.0 / precision;
            }

            return;
        }

        // The moment-matched Gaussian of the mixture Σ_k π_k N(μ_k, σ_k²).
        _switching.Weights(ws.MixtureWeights);
        mean.Clear();
        variance.Clear();
        int n = 0;
        for (int i = 0; i <= top; i++)
        {
            for (int k = 0; k < _network.Layers[i].NeuronCount; k++, n++)
            {
                double weight = ws.MixtureWeights[n];
                for (int d = 0; d < TargetDimension; d++)
                {
                    (float m, float precision) = ws.Activations.NeuronOutput(i, k, d);
                    mean[d] += weight * m;
                    variance[d] += weight * (1.0 / precision + (double)m * m);
                }
            }
        }

        for (int d = 0; d < TargetDimension; d++)
        {
            variance[d] = Math.Max(variance[d] - mean[d] * mean[d], _options.MinVariance);
        }
    }

    private void ValidateTarget(ReadOnlySpan<float> target, long row)
    {
        string where = row >= 0 ? $"Row {row}" : "The example";
        if (target.Length != TargetDimension)
        {
            throw new ArgumentException($"{where} has a target of {target.Length} values; the model predicts {TargetDimension}.");
        }

        for (int d = 0; d < target.Length; d++)
        {
            if (!float.IsFinite(target[d]))
            {
                string dimension = TargetDimension == 1 ? string.Empty : $" in dimension {d}";
                throw new ArgumentException($"{where} has a non-finite target ({target[d]}){dimension}.");
            }
        }
    }

    private void RequireScalar()
    {
        if (TargetDimension != 1)
        {
            throw new InvalidOperationException($"This model predicts a {TargetDimension}-dimensional target; use the overloads that take spans of targets.");
        }
    }

    private static GaussianNetwork CreateNetwork(GaussianGlnOptions options, int featureCount, int targetDimension, GaussianLayer[]? layers)
    {
        if (layers is null)
        {
            int[] inputs = GaussianNetwork.InputCounts(featureCount, options.LayerSizes, options.BiasCount * targetDimension);
            layers = new GaussianLayer[options.LayerSizes.Length];
            for (int i = 0; i < layers.Length; i++)
            {
                layers[i] = GaussianLayer.Create(options.LayerSizes[i], inputs[i], 1 << options.ContextDimension, options.WeightAveragingHorizon);
            }
        }

        float[] biasValues = options.BiasCount == 1
            ? [0f]
            : Enumerable.Range(0, options.BiasCount).Select(i => (float)(-options.BiasRange + 2 * options.BiasRange * i / (options.BiasCount - 1))).ToArray();
        return new GaussianNetwork(
            layers,
            targetDimension,
            options.Precision == GaussianPrecision.Diagonal,
            biasValues,
            (float)(1 / (options.BiasStandardDeviation * options.BiasStandardDeviation)),
            new GaussianConstraints((float)options.WeightBound, 1 / options.MaxVariance, 1 / options.MinVariance, options.BiasRange, (float)options.MaxGradientNorm));
    }

    private sealed class Workspace
    {
        public Workspace(GaussianGlnRegressor owner)
        {
            int f = owner.FeatureCount, d = owner.TargetDimension, p = owner._network.PrecisionRows;
            Z = new float[f];
            Target = new float[d];
            BaseMeans = new float[d * f];
            BasePrecisions = new float[p * f];
            BaseMean = new float[d];
            BasePrecision = new float[p];
            Contexts = new int[owner._network.NeuronCount];
            Activations = owner._network.CreateActivations();
            MixtureWeights = new double[owner._network.NeuronCount];
        }

        public float[] Z { get; }

        public float[] Target { get; }

        public float[] BaseMeans { get; }

        public float[] BasePrecisions { get; }

        public float[] BaseMean { get; }

        public float[] BasePrecision { get; }

        public int[] Contexts { get; }

        public GaussianNetwork.Activations Activations { get; }

        public double[] MixtureWeights { get; }
    }

    /// <summary>The examples in flight when a batch learns on two cores: one workspace per slot of the pipeline.</summary>
    private sealed class PipelineSlots
    {
        public PipelineSlots(GaussianGlnRegressor owner)
        {
            Workspaces = new Workspace[Pipeline.Slots];
            for (int i = 0; i < Workspaces.Length; i++)
            {
                Workspaces[i] = new Workspace(owner);
            }
        }

        // Eight examples in flight: sixteen measured no faster on the power-plant run (within its run-to-run noise).
        public TwoStagePipeline Pipeline { get; } = new(8);

        public Workspace[] Workspaces { get; }
    }

    /// <summary>Per-row buffers of a batch besides its side information and contexts: targets and base Gaussians.</summary>
    private sealed class BatchRows(GaussianGlnRegressor owner, int capacity)
    {
        private readonly int _f = owner.FeatureCount, _d = owner.TargetDimension, _p = owner._network.PrecisionRows;
        private readonly float[] _target = new float[capacity * owner.TargetDimension];
        private readonly float[] _baseMeans = new float[capacity * owner.FeatureCount * owner.TargetDimension];
        private readonly float[] _basePrecisions = new float[capacity * owner.FeatureCount * owner._network.PrecisionRows];

        public int Capacity => capacity;

        public Span<float> Target(int i) => _target.AsSpan(i * _d, _d);

        public Span<float> BaseMeans(int i) => _baseMeans.AsSpan(i * _f * _d, _f * _d);

        public Span<float> BasePrecisions(int i) => _basePrecisions.AsSpan(i * _f * _p, _f * _p);
    }
}
