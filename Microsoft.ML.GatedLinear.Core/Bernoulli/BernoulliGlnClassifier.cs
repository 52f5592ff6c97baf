using Microsoft.ML.GatedLinear.Data;
using Microsoft.ML.GatedLinear.Gating;
using Microsoft.ML.GatedLinear.Numerics;
using Microsoft.ML.GatedLinear.Training;
using System.Numerics.Tensors;

namespace Microsoft.ML.GatedLinear.Bernoulli;

/// <summary>
/// A Bernoulli gated linear network classifier: binary (one network) or multiclass (one-vs-all, one
/// network per class; see <see cref="Average"/> for several trained classifiers in one). It learns online, one
/// example at a time, by local convex updates.
/// Learning is not thread-safe; prediction is, and may run concurrently with other predictions.
/// </summary>
public sealed partial class BernoulliGlnClassifier : IEarlyStoppable
{
    private readonly BernoulliGlnOptions _options;
    private readonly FeatureStandardizer _standardizer;
    private readonly HalfSpaceGating _gating;
    // Class network c's members are _networks[c·m … c·m + m − 1], m = EnsembleSize (1 unless averaged).
    private readonly BernoulliNetwork[] _networks;
    private readonly int _members;
    private readonly LinearDiscriminantBase? _discriminant;
    private readonly float _inputBound;
    private readonly WorkspacePool<Workspace> _workspaces;
    private readonly ContextBatch _batch;
    private readonly BernoulliNetwork.BatchActivations[] _batchActivations;
    private Workspace? _learnWorkspace;
    private float[] _batchInputs = [];
    private float[] _batchRates = [];
    private float[][] _batchTargets = [];
    private int[] _batchLabels = [];
    private int[] _classIndices = [];

    // Rows learned together: their inputs (a few hundred KB for MNIST) stay in L3 while every neuron group passes over
    // them, and the per-row buffers stay bounded whatever batch a caller passes.
    internal const int ChunkRows = 256;

    private BernoulliGlnClassifier(BernoulliGlnOptions options, int featureCount, int classCount, FeatureStandardizer standardizer, LinearDiscriminantBase? discriminant, HalfSpaceGating gating, BernoulliNetwork[] networks, int members, long updateCount)
    {
        _options = options;
        FeatureCount = featureCount;
        _discriminant = discriminant;
        ClassCount = classCount;
        _standardizer = standardizer;
        _gating = gating;
        _networks = networks;
        _members = members;
        _inputBound = Logistic.ClippingBound(options.InputClipping);
        UpdateCount = updateCount;
        _workspaces = new(() => new Workspace(this));
        _batch = new ContextBatch(gating);
        _batchActivations = Array.ConvertAll(networks, n => new BernoulliNetwork.BatchActivations(n));
        PredictsInParallel = networks.Length > 1 && options.MaxDegreeOfParallelism > 1 && WeightTraffic().ReadPerUpdate >= ParallelPredictionBytes;
    }

    /// <summary>Creates an untrained classifier.</summary>
    /// <param name="featureCount">Features per row.</param>
    /// <param name="classCount">2 for binary (labels 0/1), more for multiclass (labels 0 … classCount − 1).</param>
    /// <param name="options">Hyperparameters; default <see cref="BernoulliGlnOptions"/>. The classifier keeps a copy.</param>
    public static BernoulliGlnClassifier Create(int featureCount, int classCount, BernoulliGlnOptions? options = null)
        => Create(featureCount, classCount, options, discriminant: null);

    /// <summary>
    /// Creates an untrained classifier whose layer 0 also reads <paramref name="discriminant"/>'s inputs
    /// (<see cref="FitLinearDiscriminant"/> for the same features, classes and options). With
    /// <paramref name="discriminantStart"/> α &gt; 0, every layer-0 weight row of class network c starts at its usual
    /// start plus α times the discriminant's log-odds of c (within their clip and the weight bound): each neuron starts a
    /// fraction α of the way to trusting the discriminant, which a few epochs on a few hundred rows do not learn from 1/m.
    /// </summary>
    internal static BernoulliGlnClassifier Create(int featureCount, int classCount, BernoulliGlnOptions? options, LinearDiscriminantBase? discriminant, double discriminantStart = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(discriminantStart);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(featureCount);
        ArgumentOutOfRangeException.ThrowIfLessThan(classCount, 2);
        options = (options ?? new BernoulliGlnOptions()).Clone();
        options.Validate();
        if (discriminant is not null && (discriminant.FeatureCount != featureCount || discriminant.ClassCount != classCount))
        {
            throw new ArgumentException($"The linear discriminant reads {discriminant.FeatureCount} features of {discriminant.ClassCount} classes; the classifier has {featureCount} features and {classCount} classes.", nameof(discriminant));
        }

        int discriminantInputs = discriminant?.Count ?? 0;
        CheckSize(featureCount + discriminantInputs, classCount, options);

        FeatureStandardizer standardizer = StandardizerFor(options, featureCount);
        BernoulliNetwork[] networks = CreateNetworks(featureCount + discriminantInputs, ClassNetworkCount(classCount), options);
        var gatedNeurons = (int)GatedNeuronCount(networks[0].NeuronCount, classCount, options.ShareHyperplanesAcrossClasses, 1);
        var gating = HalfSpaceGating.CreateRandom(gatedNeurons, options.ContextDimension, featureCount, options.HyperplaneOffsetScale, new SeededRandom(options.Seed), options.HyperplaneDirection);
        if (discriminant is not null && discriminantStart > 0)
        {
            // Network c reads the discriminant's log-odds of c as its base input featureCount + c (the only one when binary).
            for (int c = 0; c < networks.Length; c++)
            {
                (float slope, float intercept) = discriminant.LogOddsOfInput(c);
                networks[c].AddToLayerZero(featureCount + c, (float)discriminantStart * slope, (float)discriminantStart * intercept);
            }
        }

        return new BernoulliGlnClassifier(options, featureCount, classCount, standardizer, discriminant, gating, networks, 1, 0);
    }

    /// <summary>
    /// The linear discriminant base (<see cref="LinearDiscriminantBase"/>) fitted on <paramref name="rows"/> (class-index
    /// labels) as a classifier with these options standardizes them — which must not change while it learns
    /// (<see cref="StandardizationMode.Supplied"/> or <see cref="StandardizationMode.None"/>), as the discriminant reads
    /// the standardized rows.
    /// </summary>
    internal static LinearDiscriminantBase FitLinearDiscriminant(int featureCount, int classCount, BernoulliGlnOptions options, IReadOnlyList<IRowSource> rows)
    {
        options.Validate();
        if (options.Standardization == StandardizationMode.Online)
        {
            throw new ArgumentException("A linear discriminant base reads standardized rows, so the standardization must be fixed (Supplied or None), not Online.", nameof(options));
        }

        FeatureStandardizer standardizer = StandardizerFor(options, featureCount);
        var z = new float[featureCount];
        float bound = Logistic.ClippingBound(options.InputClipping);
        return LinearDiscriminantBase.Fit(rows, featureCount, classCount, (features, baseLogits) => BaseLogits(options, standardizer, bound, features, z, baseLogits));
    }

    // The feature standardizer the options ask for: the classifier's own, and the one its discriminant is fitted under.
    private static FeatureStandardizer StandardizerFor(BernoulliGlnOptions options, int featureCount)
        => OptionChecks.Standardizer(options.Standardization, options.SuppliedMean, options.SuppliedStandardDeviation, featureCount, "feature");

    // Untrained networks of the options' shape, reading baseInputs base logits (the features', then any discriminant's).
    private static BernoulliNetwork[] CreateNetworks(int baseInputs, int count, BernoulliGlnOptions options)
    {
        var networks = new BernoulliNetwork[count];
        for (int n = 0; n < count; n++)
        {
            networks[n] = BernoulliNetwork.Create(
                baseInputs,
                options.LayerSizes,
                1 << options.ContextDimension,
                options.Initialization == WeightInitialization.Average,
                (float)Logistic.Logit(options.BiasProbability),
                Logistic.ClippingBound(options.PredictionClipping),
                (float)options.WeightBound);
        }

        return networks;
    }

    /// <summary>Features per row.</summary>
    public int FeatureCount { get; }

    /// <summary>Inputs of layer 0 besides its bias: the features' base logits, then any linear discriminant's.</summary>
    private int BaseInputCount => FeatureCount + (_discriminant?.Count ?? 0);

    /// <summary>
    /// Whether layer 0 also reads a linear discriminant base model besides the features: Fisher's linear discriminant of
    /// the standardized features, fitted on the training rows before training, giving each one-vs-all network the
    /// log-odds of every class (the B-GLN trainers' <c>LinearDiscriminantBase</c> option). <see cref="Explain"/> folds its
    /// share onto the features.
    /// </summary>
    public bool UsesLinearDiscriminantBase => _discriminant is not null;

    /// <summary>One-vs-all networks: 1 for binary, one per class otherwise.</summary>
    private static int ClassNetworkCount(int classCount) => classCount == 2 ? 1 : classCount;

    /// <summary>Neurons with hyperplanes of their own: one network's per member, and per class unless classes share them.</summary>
    private static long GatedNeuronCount(long neuronsPerNetwork, int classCount, bool shareHyperplanes, int members)
        => neuronsPerNetwork * members * (shareHyperplanes ? 1 : ClassNetworkCount(classCount));

    /// <summary>
    /// Classifiers this one averages (<see cref="Average"/>): each one-vs-all network's logit is the mean of this many
    /// members'. 1 for a classifier made by <see cref="Create(int, int, BernoulliGlnOptions)"/>.
    /// </summary>
    public int EnsembleSize => _members;

    /// <summary>Number of classes (2 for binary).</summary>
    public int ClassCount { get; }

    /// <summary>Examples learned so far: the t of the learning-rate schedule.</summary>
    public long UpdateCount { get; private set; }

    /// <summary>Whether a prediction runs the class networks on several cores (many networks reading many weights).</summary>
    internal bool PredictsInParallel { get; }

    /// <summary>A copy of the hyperparameters.</summary>
    public BernoulliGlnOptions Options => _options.Clone();

    /// <summary>The feature standardizer (its running statistics).</summary>
    internal FeatureStandardizer Standardizer => _standardizer;

    /// <summary>The half-space gating of every neuron.</summary>
    internal HalfSpaceGating Gating => _gating;

    /// <summary>Learns one example.</summary>
    /// <param name="features">The row, <see cref="FeatureCount"/> finite values.</param>
    /// <param name="label">0 or 1 for binary; the class index for multiclass.</param>
    public void Learn(ReadOnlySpan<float> features, int label)
    {
        InputValidation.ValidateRow(features, FeatureCount);
        InputValidation.ValidateClassLabel(label, ClassCount);
        Workspace ws = _learnWorkspace ??= new Workspace(this);
        // The row as the standardizer took it: one extreme value is learned at its winsorizing bound.
        PrepareRow(_standardizer.Observe(features), ws.Z, ws.BaseLogits);
        _gating.ComputeContexts(ws.Z, ws.Contexts);
        float rate = (float)_options.LearningRate.Rate(++UpdateCount);
        for (int c = 0; c < _networks.Length; c++)
        {
            LearnRow(c, ws.BaseLogits, ws.Contexts, label, rate, ws.Activations[c]);
        }
    }

    /// <summary>Learns a batch in order; the model ends bit-identical to learning each row with <see cref="Learn(ReadOnlySpan{float}, int)"/>.</summary>
    /// <param name="rows">Row-major [labels.Length × FeatureCount]. Every row is validated before any update.</param>
    /// <param name="labels">One label per row.</param>
    public void Learn(ReadOnlySpan<float> rows, ReadOnlySpan<int> labels)
    {
        int n = labels.Length, d = FeatureCount;
        if (rows.Length != (long)n * d)
        {
            throw new ArgumentException($"{n} labels need {(long)n * d} feature values ({d} per row); got {rows.Length}.", nameof(rows));
        }

        for (int i = 0; i < n; i++)
        {
            InputValidation.ValidateRow(rows.Slice(i * d, d), d, i);
            InputValidation.ValidateClassLabel(labels[i], ClassCount, i);
        }

        for (int first = 0; first < n; first += ChunkRows)
        {
            int count = Math.Min(ChunkRows, n - first);
            LearnChunk(rows.Slice(first * d, count * d), labels.Slice(first, count));
        }
    }

    /// <summary>
    /// Learns validated rows: each class network takes its neurons a group at a time through all of them
    /// (<see cref="BernoulliNetwork.LearnBatch"/>), bit-identical to learning the rows one by one, with each group's
    /// weight table in cache for the whole chunk.
    /// </summary>
    private void LearnChunk(ReadOnlySpan<float> rows, ReadOnlySpan<int> labels)
    {
        int n = labels.Length, d = FeatureCount, inputs = BaseInputCount, m = inputs + 1;
        _batch.Reserve(n);
        if (_batchLabels.Length < n)
        {
            // Layer 0 reads each row's base logits, then the bias logit every network shares (one set of options),
            // placed once here like the layers' own bias columns.
            _batchInputs = new float[n * m];
            for (int i = 0; i < n; i++)
            {
                _batchInputs[i * m + inputs] = _networks[0].BiasLogit;
            }

            _batchLabels = new int[n];
            _batchRates = new float[n];
            _batchTargets = Array.ConvertAll(_networks, _ => new float[n]);
        }

        labels.CopyTo(_batchLabels);
        for (int i = 0; i < n; i++)
        {
            PrepareRow(_standardizer.Observe(rows.Slice(i * d, d)), _batch.Z(i), _batchInputs.AsSpan(i * m, inputs));
            _batchRates[i] = (float)_options.LearningRate.Rate(UpdateCount + 1 + i);
        }

        _batch.ComputeContexts(0, n, _options.MaxDegreeOfParallelism);
        void LearnNetwork(int c)
        {
            float[] targets = _batchTargets[c];
            for (int i = 0; i < n; i++)
            {
                targets[i] = Target(c, _batchLabels[i]);
            }

            _networks[c].LearnBatch(_batchInputs.AsSpan(0, n * m), _batch.Contexts(0, n)[NetworkContextOffset(c)..], _gating.NeuronCount, _batchActivations[c], targets.AsSpan(0, n), _batchRates.AsSpan(0, n));
        }

        if (_networks.Length == 1 || _options.MaxDegreeOfParallelism == 1)
        {
            for (int c = 0; c < _networks.Length; c++)
            {
                LearnNetwork(c);
            }
        }
        else
        {
            Parallel.For(0, _networks.Length, new ParallelOptions { MaxDegreeOfParallelism = _options.MaxDegreeOfParallelism }, LearnNetwork);
        }

        UpdateCount += n;
    }

    /// <summary>
    /// Weight bytes an update reads (every neuron's active row, in every one-vs-all network), weight bytes all updates
    /// so far have written (the rows not skipped on the clip), and the bytes of every weight table: a batch reads and
    /// writes the active rows from cache, and the tables from memory at most once per batch.
    /// </summary>
    internal (long ReadPerUpdate, long WrittenSoFar, long TableBytes) WeightTraffic()
    {
        long read = 0, written = 0, tables = 0;
        foreach (BernoulliNetwork network in _networks)
        {
            foreach (BernoulliLayer layer in network.Layers)
            {
                read += (long)layer.NeuronCount * layer.InputCount * sizeof(float);
                written += layer.RowsWritten * layer.InputCount * sizeof(float);
                tables += layer.Weights.LongLength * sizeof(float);
            }
        }

        return (read, written, tables);
    }

    /// <summary>
    /// Trains on a data set: by default for as many epochs as the log loss of a held-out tenth of the rows keeps
    /// falling (those rows are learned too only with <see cref="OnlineTrainingOptions.LearnHeldOutRows"/>); with
    /// <see cref="OnlineTrainingOptions.Epochs"/> = 1, one online pass.
    /// </summary>
    /// <param name="data">Rows with class-index labels; validated before any update.</param>
    /// <param name="training">Epochs, held-out rows, shuffling, progress, cancellation; default <see cref="OnlineTrainingOptions"/>.</param>
    public TrainingHistory Fit(LabeledData<int> data, OnlineTrainingOptions? training = null)
    {
        training ??= new OnlineTrainingOptions();
        var rows = InMemoryRows.Create(data, FeatureCount, 1, (label, row, values) =>
        {
            InputValidation.ValidateClassLabel(label, ClassCount, row);
            values[0] = label;
        });
        return EarlyStopping.Fit(this, rows, training, training.BatchSize, BatchStep);
    }

    /// <summary>Mean log loss of the rows (class indices as float labels).</summary>
    double IEarlyStoppable.HeldOutLoss(IRowSource rows)
    {
        double total = 0;
        float[] buffer = new float[ClassCount];
        rows.Stream(null, (features, label) =>
        {
            PredictProbabilities(features, buffer);
            total -= Math.Log(Math.Max(buffer[(int)label[0]], 1e-15));
        });
        return total / rows.RowCount;
    }

    object IEarlyStoppable.Snapshot(object? previous)
        => IEarlyStoppable.Reuse(this, previous, model => model.Copy(), (copy, model) => copy.TakeLearnedState(model));

    /// <summary>
    /// A deep copy, made directly rather than through the model's format: early stopping copies the model at its first
    /// best epochs, and on a few hundred rows saving and loading it cost much of a fit (session 24).
    /// </summary>
    private BernoulliGlnClassifier Copy()
    {
        // The hyperplanes never change once drawn, so the copy shares them.
        var copy = new BernoulliGlnClassifier(_options, FeatureCount, ClassCount, _standardizer.Clone(), _discriminant, _gating, CreateNetworks(BaseInputCount, _networks.Length, _options), _members, UpdateCount);
        copy.TakeLearnedState(this);
        return copy;
    }

    void IEarlyStoppable.Restore(object snapshot) => TakeLearnedState((BernoulliGlnClassifier)snapshot);

    /// <summary>Makes this model's learned state (weights, statistics, counts) equal <paramref name="snapshot"/>'s, a copy of this model.</summary>
    private void TakeLearnedState(BernoulliGlnClassifier snapshot)
    {
        UpdateCount = snapshot.UpdateCount;
        _standardizer.CopyFrom(snapshot._standardizer);
        for (int c = 0; c < _networks.Length; c++)
        {
            for (int i = 0; i < _networks[c].Layers.Count; i++)
            {
                _networks[c].Layers[i].CopyFrom(snapshot._networks[c].Layers[i]);
            }
        }
    }

    /// <summary>The driver's batch step: labels arrive as floats holding class indices.</summary>
    internal double BatchStep(ReadOnlySpan<float> rows, ReadOnlySpan<float> labels)
    {
        if (_classIndices.Length < labels.Length)
        {
            _classIndices = new int[labels.Length];
        }

        for (int i = 0; i < labels.Length; i++)
        {
            _classIndices[i] = (int)labels[i];
        }

        Learn(rows, _classIndices.AsSpan(0, labels.Length));
        return double.NaN;
    }

    /// <summary>The probability of class 1 (binary classifiers only).</summary>
    public float PredictProbability(ReadOnlySpan<float> features)
    {
        if (ClassCount != 2)
        {
            throw new InvalidOperationException($"PredictProbability is for binary classifiers; this one has {ClassCount} classes. Use PredictProbabilities.");
        }

        Span<float> logit = stackalloc float[1];
        PredictLogits(features, logit);
        return Logistic.Sigmoid(logit[0]);
    }

    /// <summary>
    /// Class probabilities: [1 − p, p] for binary; for multiclass the one-vs-all probabilities
    /// normalized to sum to one.
    /// </summary>
    /// <param name="features">The row.</param>
    /// <param name="probabilities">Receives <see cref="ClassCount"/> values.</param>
    public void PredictProbabilities(ReadOnlySpan<float> features, Span<float> probabilities)
    {
        if (probabilities.Length != ClassCount)
        {
            throw new ArgumentException($"The destination holds {probabilities.Length} values; the classifier has {ClassCount} classes.", nameof(probabilities));
        }

        if (ClassCount == 2)
        {
            float p = PredictProbability(features);
            probabilities[0] = 1 - p;
            probabilities[1] = p;
            return;
        }

        PredictLogits(features, probabilities);
        TensorPrimitives.Sigmoid(probabilities, probabilities);
        TensorPrimitives.Divide(probabilities, TensorPrimitives.Sum<float>(probabilities), probabilities);
    }

    /// <summary>The most probable class.</summary>
    public int PredictClass(ReadOnlySpan<float> features)
    {
        Span<float> logits = stackalloc float[ClassNetworkCount(ClassCount)];
        PredictLogits(features, logits);
        return ClassCount == 2 ? (logits[0] > 0 ? 1 : 0) : TensorPrimitives.IndexOfMax<float>(logits);
    }

    /// <summary>
    /// Each one-vs-all network's output logit (the mean of its members'): one value for binary (class 1), one per class
    /// for multiclass.
    /// </summary>
    public void PredictLogits(ReadOnlySpan<float> features, Span<float> logits)
    {
        InputValidation.ValidateRow(features, FeatureCount);
        int classNetworks = ClassNetworkCount(ClassCount);
        if (logits.Length != classNetworks)
        {
            throw new ArgumentException($"The destination holds {logits.Length} values; the classifier has {classNetworks} one-vs-all networks.", nameof(logits));
        }

        Workspace ws = _workspaces.Rent();
        try
        {
            PrepareRow(features, ws.Z, ws.BaseLogits);
            _gating.ComputeContexts(ws.Z, ws.Contexts);
            if (PredictsInParallel)
            {
                Parallel.For(0, _networks.Length, new ParallelOptions { MaxDegreeOfParallelism = _options.MaxDegreeOfParallelism }, n => ws.Logits[n] = PredictNetwork(n, ws));
            }
            else
            {
                for (int n = 0; n < _networks.Length; n++)
                {
                    ws.Logits[n] = PredictNetwork(n, ws);
                }
            }

            for (int c = 0; c < classNetworks; c++)
            {
                logits[c] = TensorPrimitives.Sum<float>(ws.Logits.AsSpan(c * _members, _members)) / _members;
            }
        }
        finally
        {
            _workspaces.Return(ws);
        }
    }

    private float PredictNetwork(int network, Workspace ws)
    {
        ws.BaseLogits.CopyTo(ws.Activations[network].BaseInputs);
        return _networks[network].Predict(NetworkContexts(network, ws.Contexts), ws.Activations[network]);
    }

    // A prediction reading this many bytes of weight rows (its class networks' active rows, mostly from memory) takes
    // tens of µs, enough to pay for handing half the networks to another core.
    private const long ParallelPredictionBytes = 256 * 1024;

    /// <summary>The exact decomposition of the logit of <paramref name="classIndex"/> into per-feature contributions.</summary>
    /// <param name="features">The row.</param>
    /// <param name="classIndex">The class whose logit to explain; for binary, 1 (0 gives the negated decomposition).</param>
    public LogitAttribution Explain(ReadOnlySpan<float> features, int classIndex)
    {
        InputValidation.ValidateRow(features, FeatureCount);
        InputValidation.ValidateClassLabel(classIndex, ClassCount);
        int classNetwork = ClassCount == 2 ? 0 : classIndex;
        // The logit is the members' mean, so its decomposition is the mean of theirs (the sign flips class 1's for class 0).
        double scale = (ClassCount == 2 && classIndex == 0 ? -1.0 : 1.0) / _members;
        Workspace ws = _workspaces.Rent();
        try
        {
            PrepareRow(features, ws.Z, ws.BaseLogits);
            _gating.ComputeContexts(ws.Z, ws.Contexts);
            var weights = new double[BaseInputCount];
            var memberWeights = new double[BaseInputCount];
            double intercept = 0;
            for (int network = classNetwork * _members; network < (classNetwork + 1) * _members; network++)
            {
                ws.BaseLogits.CopyTo(ws.Activations[network].BaseInputs);
                intercept += BernoulliAttribution.Compute(_networks[network], NetworkContexts(network, ws.Contexts), ws.Activations[network], memberWeights);
                TensorPrimitives.Add(weights, memberWeights, weights);
            }

            int d = FeatureCount;
            var featureWeights = weights[..d];
            if (_discriminant is not null)
            {
                // Each discriminant input is linear in the base logits given the row (LinearDiscriminantBase.Fold): its share goes back onto the features.
                intercept += _discriminant.Fold(ws.BaseLogits.AsSpan(0, d), ws.BaseLogits.AsSpan(d), weights.AsSpan(d), featureWeights, _inputBound);
            }

            TensorPrimitives.Multiply(featureWeights, scale, featureWeights);
            return new LogitAttribution(ws.BaseLogits[..d], featureWeights, scale * intercept);
        }
        finally
        {
            _workspaces.Return(ws);
        }
    }

    private void LearnRow(int network, ReadOnlySpan<float> baseLogits, ReadOnlySpan<int> contexts, int label, float rate, BernoulliNetwork.Activations activations)
    {
        baseLogits.CopyTo(activations.BaseInputs);
        _networks[network].Learn(NetworkContexts(network, contexts), activations, Target(network, label), rate);
    }

    /// <summary>What network <paramref name="network"/> predicts for class <paramref name="label"/>: the label itself when binary, one-vs-all otherwise.</summary>
    private float Target(int network, int label) => ClassCount == 2 ? label : (label == network / _members ? 1f : 0f);

    /// <summary>
    /// Standardizes a row (the side information z) and applies the base model to it: layer 0's inputs are the features'
    /// base logits, then any linear discriminant's inputs.
    /// </summary>
    private void PrepareRow(ReadOnlySpan<float> features, Span<float> z, Span<float> baseInputs)
    {
        int d = FeatureCount;
        BaseLogits(_options, _standardizer, _inputBound, features, z, baseInputs[..d]);
        _discriminant?.Apply(baseInputs[..d], baseInputs[d..], _inputBound);
    }

    /// <summary>A row's side information z and its features' base logits.</summary>
    private static void BaseLogits(BernoulliGlnOptions options, FeatureStandardizer standardizer, float bound, ReadOnlySpan<float> features, Span<float> z, Span<float> baseLogits)
    {
        standardizer.Transform(features, z);
        if (options.BaseModel == BaseModel.StandardizedSigmoid)
        {
            // logit(clip(σ(z), ε, 1 − ε)) = clamp(z, −L, L)
            TensorPrimitives.Min(z, bound, baseLogits);
            TensorPrimitives.Max(baseLogits, -bound, baseLogits);
        }
        else
        {
            // logit(clip(x, ε, 1 − ε)) = log(p) − log(1 − p)
            float floor = (float)options.InputClipping;
            TensorPrimitives.Max(features, floor, baseLogits);
            TensorPrimitives.Min(baseLogits, 1 - floor, baseLogits);
            for (int j = 0; j < baseLogits.Length; j++)
            {
                float p = baseLogits[j];
                baseLogits[j] = MathF.Log(p / (1 - p));
            }
        }
    }

    private ReadOnlySpan<int> NetworkContexts(int network, ReadOnlySpan<int> contexts)
        => contexts.Slice(NetworkContextOffset(network), _networks[network].NeuronCount);

    /// <summary>Where network <paramref name="network"/>'s contexts start among a row's: classes' networks read the same ones, member by member, when they share hyperplanes.</summary>
    private int NetworkContextOffset(int network) => (_options.ShareHyperplanesAcrossClasses ? network % _members : network) * _networks[network].NeuronCount;

    private static void CheckSize(int baseInputs, int classCount, BernoulliGlnOptions options)
    {
        long inputs = baseInputs + 1, perLayerMax = 0;
        foreach (int size in options.LayerSizes)
        {
            perLayerMax = Math.Max(perLayerMax, (long)size * inputs << options.ContextDimension);
            inputs = size + 1;
        }

        if (perLayerMax > Array.MaxLength)
        {
            throw new ArgumentException($"A layer would need {perLayerMax} weights, more than one array can hold; reduce LayerSizes or ContextDimension.", nameof(options));
        }
    }

    private sealed class Workspace
    {
        public Workspace(BernoulliGlnClassifier owner)
        {
            Z = new float[owner.FeatureCount];
            BaseLogits = new float[owner.BaseInputCount];
            Contexts = new int[owner._gating.NeuronCount];
            Activations = Array.ConvertAll(owner._networks, n => n.CreateActivations());
            Logits = new float[owner._networks.Length];
        }

        /// <summary>Each class network's logit, where the networks predicting on several cores leave them.</summary>
        public float[] Logits { get; }

        public float[] Z { get; }

        /// <summary>Layer 0's inputs: the features' base logits, then any linear discriminant's.</summary>
        public float[] BaseLogits { get; }

        public int[] Contexts { get; }

        public BernoulliNetwork.Activations[] Activations { get; }
    }
}
