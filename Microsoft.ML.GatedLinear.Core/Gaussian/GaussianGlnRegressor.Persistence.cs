using Microsoft.ML.GatedLinear.Gating;
using Microsoft.ML.GatedLinear.Persistence;
using Microsoft.ML.GatedLinear.Training;

namespace Microsoft.ML.GatedLinear.Gaussian;

public sealed partial class GaussianGlnRegressor
{
    /// <summary>Writes the whole model in the versioned MLGated format.</summary>
    /// <param name="stream">The destination; left open.</param>
    public void Save(Stream stream)
    {
        var w = new PayloadWriter();
        Write(w);
        w.Write(_others.Length);
        foreach (GaussianGlnRegressor other in _others)
        {
            other.Write(w);
        }

        ModelFile.Write(stream, ModelKind.GaussianGlnRegressor, w.ToArray());
    }

    // One network's part of the file: all of it for a single model, each averaged model's for an average.
    private void Write(PayloadWriter w)
    {
        w.Write(FeatureCount);
        w.Write(TargetDimension);
        WriteOptions(w, _options);
        w.Write(UpdateCount);
        _features.Write(w);
        _targets.Write(w);
        if (_linearBases is not null)
        {
            w.Write(_linearBases.SelectMany(b => b.State()).ToArray());
        }

        _gating.Write(w);
        foreach (GaussianLayer layer in _network.Layers)
        {
            w.Write(layer.Weights);
            w.Write(layer.UpdateCounts);
            if (layer.AveragedWeights is not null)
            {
                w.Write(layer.AveragedWeights);
            }
        }

        if (_switching is not null)
        {
            w.Write(_switching.Steps);
            w.Write(_switching.LogWeights);
        }

        w.Write(_calibration is not null);
        _calibration?.Write(w);
        HalfSpaceGating.WriteDirection(w, _options.HyperplaneDirection);
    }

    /// <summary>Reads a model written by <see cref="Save"/>.</summary>
    /// <param name="stream">The source; left open.</param>
    /// <exception cref="ModelFormatException">The file is not such a model, or is corrupted, truncated or inconsistent.</exception>
    public static GaussianGlnRegressor Load(Stream stream)
    {
        PayloadReader r = ModelFile.Open(stream, ModelKind.GaussianGlnRegressor);
        GaussianGlnRegressor model = Read(r);
        // Format versions 1–4 held one model.
        int others = r.FormatVersion >= 5 ? r.ReadInt32("the ensemble size", 0, MaxEnsembleSize - 1) : 0;
        if (others > 0)
        {
            var averaged = new GaussianGlnRegressor[others];
            for (int j = 0; j < others; j++)
            {
                averaged[j] = Read(r);
                if (!model.AveragesWith(averaged[j]))
                {
                    throw new ModelFormatException($"The model file is corrupted: averaged model {j + 2} reads other features or targets than the first.");
                }
            }

            model._others = averaged;
        }

        r.EnsureEnd();
        return model;
    }

    private static GaussianGlnRegressor Read(PayloadReader r)
    {
        int featureCount = r.ReadInt32("the feature count", 1, int.MaxValue);
        int targetDimension = r.ReadInt32("the target dimension", 1, 1 << 16);
        GaussianGlnOptions options = ReadOptions(r);
        long updateCount = r.ReadCount("its update count");

        FeatureStandardizer features = FeatureStandardizer.Read(r, featureCount, options.Standardization, "feature");
        FeatureStandardizer targets = FeatureStandardizer.Read(r, targetDimension, options.TargetStandardization, "target");
        BayesianLinearBase[]? linearBases = null;
        if (options.BaseModel == GaussianBaseModel.BayesianLinearRegression)
        {
            int length = BayesianLinearBase.StateLength(targetDimension);
            double[] state = r.ReadDoubleArray("the base regressions", PayloadReader.CheckedLength((long)featureCount * length));
            linearBases = Enumerable.Range(0, featureCount).Select(j => BayesianLinearBase.Restore(state.AsSpan(j * length, length), targetDimension)).ToArray();
        }

        long neurons = options.LayerSizes.Sum(size => (long)size);
        HalfSpaceGating gating = HalfSpaceGating.Read(r, neurons, options.ContextDimension, featureCount);
        int contextCount = 1 << options.ContextDimension;
        int[] inputs = GaussianNetwork.InputCounts(featureCount, options.LayerSizes, options.BiasCount * targetDimension);
        var layers = new GaussianLayer[options.LayerSizes.Length];
        for (int i = 0; i < layers.Length; i++)
        {
            int size = options.LayerSizes[i];
            float[] weights = GatedLayer.ReadWeights(r, $"the weights of layer {i}", size, inputs[i], contextCount);
            long[] counts = r.ReadInt64Array($"the update counts of layer {i}", PayloadReader.CheckedLength((long)size * contextCount));
            float[]? averaged = options.WeightAveragingHorizon > 0 ? r.ReadSingleArray($"the averaged weights of layer {i}", weights.Length) : null;
            if (weights.Concat(averaged ?? []).Any(v => !(Math.Abs(v) <= options.WeightBound)) || counts.Any(c => c < 0))
            {
                throw new ModelFormatException($"The model file is corrupted: layer {i} has weights outside [−{options.WeightBound}, {options.WeightBound}] or invalid counts.");
            }

            layers[i] = new GaussianLayer(size, inputs[i], contextCount, weights, counts, averaged, options.WeightAveragingHorizon);
        }

        SwitchingAggregation? switching = null;
        if (options.Output == GaussianOutput.SwitchingAggregation)
        {
            long steps = r.ReadInt64();
            double[] logWeights = r.ReadDoubleArray("the switching weights", PayloadReader.CheckedLength(neurons));
            if (steps < 0 || logWeights.Any(u => !(u <= 0)))
            {
                throw new ModelFormatException("The model file is corrupted: the switching weights are invalid.");
            }

            switching = SwitchingAggregation.Restore(logWeights, steps);
        }

        // Format version 1 ended here, without a calibration.
        HeldOutCalibration? calibration = !r.AtEnd && r.ReadBoolean() ? HeldOutCalibration.Read(r, targetDimension) : null;
        options.HyperplaneDirection = HalfSpaceGating.ReadDirection(r);
        GaussianNetwork network = CreateNetwork(options, featureCount, targetDimension, layers);
        return new GaussianGlnRegressor(options, featureCount, targetDimension, features, targets, linearBases, gating, network, switching, updateCount, calibration);
    }

    private static void WriteOptions(PayloadWriter w, GaussianGlnOptions o)
    {
        w.Write(o.LayerSizes);
        w.Write(o.ContextDimension);
        w.Write(o.HyperplaneOffsetScale);
        w.Write(o.GatingNoise);
        w.Write(o.WeightAveragingHorizon);
        o.LearningRate.Write(w);
        w.Write(o.WeightBound);
        w.Write(o.MaxGradientNorm);
        w.Write(o.MinVariance);
        w.Write(o.MaxVariance);
        w.Write(o.BiasCount);
        w.Write(o.BiasRange);
        w.Write(o.BiasStandardDeviation);
        w.Write((int)o.BaseModel);
        w.Write(o.BaseStandardDeviation);
        w.Write((int)o.Output);
        w.Write((int)o.Precision);
        w.Write((int)o.Standardization);
        w.Write((int)o.TargetStandardization);
        w.Write(o.Seed);
    }

    private static GaussianGlnOptions ReadOptions(PayloadReader r)
    {
        var o = new GaussianGlnOptions
        {
            LayerSizes = r.ReadInt32Array("the layer sizes"),
            ContextDimension = r.ReadInt32("the context dimension", 0, HalfSpaceGating.MaxContextDimension),
            HyperplaneOffsetScale = r.ReadDouble(),
            GatingNoise = r.ReadDouble(),
            WeightAveragingHorizon = r.ReadInt32("the weight averaging horizon", 0, int.MaxValue),
            LearningRate = LearningRateSchedule.Read(r),
            WeightBound = r.ReadDouble(),
            MaxGradientNorm = r.ReadDouble(),
            MinVariance = r.ReadDouble(),
            MaxVariance = r.ReadDouble(),
            BiasCount = r.ReadInt32("the bias count", 1, 1 << 16),
            BiasRange = r.ReadDouble(),
            BiasStandardDeviation = r.ReadDouble(),
            BaseModel = (GaussianBaseModel)r.ReadInt32(),
            BaseStandardDeviation = r.ReadDouble(),
            Output = (GaussianOutput)r.ReadInt32(),
            Precision = (GaussianPrecision)r.ReadInt32(),
            Standardization = (StandardizationMode)r.ReadInt32(),
            TargetStandardization = (StandardizationMode)r.ReadInt32(),
            Seed = r.ReadInt32(),
        };

        // Supplied statistics are restored with the standardizers; these only satisfy validation.
        o.SuppliedMean = o.SuppliedStandardDeviation = o.SuppliedTargetMean = o.SuppliedTargetStandardDeviation = [];
        PayloadReader.ValidateOptions(o.Validate);

        return o;
    }
}
