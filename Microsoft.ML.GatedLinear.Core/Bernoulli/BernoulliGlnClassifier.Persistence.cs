using Microsoft.ML.GatedLinear.Gating;
using Microsoft.ML.GatedLinear.Numerics;
using Microsoft.ML.GatedLinear.Persistence;
using Microsoft.ML.GatedLinear.Training;

namespace Microsoft.ML.GatedLinear.Bernoulli;

public sealed partial class BernoulliGlnClassifier
{
    /// <summary>Writes the whole model (options, statistics, hyperplanes, weights) in the versioned MLGated format.</summary>
    /// <param name="stream">The destination; left open.</param>
    public void Save(Stream stream)
    {
        var w = new PayloadWriter();
        w.Write(FeatureCount);
        w.Write(ClassCount);
        WriteOptions(w, _options);
        w.Write(_members);
        w.Write(UpdateCount);
        w.Write(_discriminant?.Count ?? 0);
        _discriminant?.Write(w);
        _standardizer.Write(w);
        _gating.Write(w);
        foreach (BernoulliNetwork network in _networks)
        {
            foreach (BernoulliLayer layer in network.Layers)
            {
                w.Write(layer.Weights);
            }
        }

        HalfSpaceGating.WriteDirection(w, _options.HyperplaneDirection);
        ModelFile.Write(stream, ModelKind.BernoulliGlnClassifier, w.ToArray());
    }

    /// <summary>Reads a model written by <see cref="Save"/>.</summary>
    /// <param name="stream">The source; left open.</param>
    /// <exception cref="ModelFormatException">The file is not such a model, or is corrupted, truncated or inconsistent.</exception>
    public static BernoulliGlnClassifier Load(Stream stream)
    {
        var r = ModelFile.Open(stream, ModelKind.BernoulliGlnClassifier);
        int featureCount = r.ReadInt32("the feature count", 1, int.MaxValue);
        int classCount = r.ReadInt32("the class count", 2, 1 << 20);
        BernoulliGlnOptions options = ReadOptions(r);
        int members = r.FormatVersion >= 4 ? r.ReadInt32("the ensemble size", 1, MaxEnsembleSize) : 1;
        long updateCount = r.ReadCount("its update count");
        // Version 6 added the linear discriminant base: its input count (0 for none), then the discriminant.
        int discriminantInputs = r.FormatVersion >= 6 ? r.ReadInt32("the linear discriminant's input count", 0, LinearDiscriminantBase.CountFor(classCount)) : 0;
        if (discriminantInputs != 0 && discriminantInputs != LinearDiscriminantBase.CountFor(classCount))
        {
            throw new ModelFormatException($"The model file is corrupted: a linear discriminant of {classCount} classes has {LinearDiscriminantBase.CountFor(classCount)} inputs, not {discriminantInputs}.");
        }

        LinearDiscriminantBase? discriminant = discriminantInputs == 0 ? null : LinearDiscriminantBase.Read(r, featureCount, classCount);
        FeatureStandardizer standardizer = FeatureStandardizer.Read(r, featureCount, options.Standardization, "feature");

        int networkCount = ClassNetworkCount(classCount) * members;
        int contextCount = 1 << options.ContextDimension;
        long neuronsPerNetwork = options.LayerSizes.Sum(size => (long)size);
        HalfSpaceGating gating = HalfSpaceGating.Read(r, GatedNeuronCount(neuronsPerNetwork, classCount, options.ShareHyperplanesAcrossClasses, members), options.ContextDimension, featureCount);

        int[] inputs = BernoulliNetwork.InputCounts(featureCount + discriminantInputs, options.LayerSizes, 1);
        // Each class network's weight tables must fit in what is left before the table of networks is allocated.
        double bytesPerNetwork = options.LayerSizes.Select((size, i) => 4 + 4.0 * size * inputs[i] * contextCount).Sum();
        if (networkCount * bytesPerNetwork > r.RemainingBytes)
        {
            throw new ModelFormatException($"The model file is corrupted: {classCount} classes with {members} network(s) each need {networkCount * bytesPerNetwork:0} bytes of weights, but only {r.RemainingBytes} remain.");
        }

        var networks = new BernoulliNetwork[networkCount];
        for (int c = 0; c < networkCount; c++)
        {
            var layers = new BernoulliLayer[options.LayerSizes.Length];
            for (int i = 0; i < layers.Length; i++)
            {
                int size = options.LayerSizes[i];
                layers[i] = new BernoulliLayer(size, inputs[i], contextCount, GatedLayer.ReadWeights(r, $"the weights of layer {i} of network {c}", size, inputs[i], contextCount));
            }

            networks[c] = new BernoulliNetwork(layers, (float)Logistic.Logit(options.BiasProbability), Logistic.ClippingBound(options.PredictionClipping), (float)options.WeightBound);
        }

        options.HyperplaneDirection = HalfSpaceGating.ReadDirection(r);
        r.EnsureEnd();
        return new BernoulliGlnClassifier(options, featureCount, classCount, standardizer, discriminant, gating, networks, members, updateCount);
    }

    private static void WriteOptions(PayloadWriter w, BernoulliGlnOptions o)
    {
        w.Write(o.LayerSizes);
        w.Write(o.ContextDimension);
        w.Write(o.HyperplaneOffsetScale);
        w.Write(o.ShareHyperplanesAcrossClasses);
        o.LearningRate.Write(w);
        w.Write(o.WeightBound);
        w.Write(o.InputClipping);
        w.Write(o.PredictionClipping);
        w.Write(o.BiasProbability);
        w.Write((int)o.BaseModel);
        w.Write((int)o.Initialization);
        w.Write((int)o.Standardization);
        w.Write(o.Seed);
    }

    private static BernoulliGlnOptions ReadOptions(PayloadReader r)
    {
        var o = new BernoulliGlnOptions
        {
            LayerSizes = r.ReadInt32Array("the layer sizes"),
            ContextDimension = r.ReadInt32("the context dimension", 0, HalfSpaceGating.MaxContextDimension),
            HyperplaneOffsetScale = r.ReadDouble(),
            ShareHyperplanesAcrossClasses = r.ReadBoolean(),
            LearningRate = LearningRateSchedule.Read(r),
            WeightBound = r.ReadDouble(),
            InputClipping = r.ReadDouble(),
            PredictionClipping = r.ReadDouble(),
            BiasProbability = r.ReadDouble(),
            BaseModel = (BaseModel)r.ReadInt32(),
            Initialization = (WeightInitialization)r.ReadInt32(),
            Standardization = (StandardizationMode)r.ReadInt32(),
            Seed = r.ReadInt32(),
        };
        if (o.Standardization == StandardizationMode.Supplied)
        {
            // The statistics themselves are restored with the standardizer; these only satisfy validation.
            o.SuppliedMean = [];
            o.SuppliedStandardDeviation = [];
        }

        PayloadReader.ValidateOptions(o.Validate);

        return o;
    }
}
