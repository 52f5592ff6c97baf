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
        w.Write(UpdateCount);
        w.Write((int)_standardizer.Mode);
        w.Write(_standardizer.Count);
        w.Write(_standardizer.Mean);
        w.Write(_standardizer.SecondMoment);
        w.Write(_gating.Normals);
        w.Write(_gating.Offsets);
        foreach (BernoulliNetwork network in _networks)
        {
            foreach (BernoulliLayer layer in network.Layers)
            {
                w.Write(layer.Weights);
            }
        }

        ModelFile.Write(stream, ModelKind.BernoulliGlnClassifier, w.ToArray());
    }

    /// <summary>Reads a model written by <see cref="Save"/>.</summary>
    /// <param name="stream">The source; left open.</param>
    /// <exception cref="ModelFormatException">The file is not such a model, or is corrupted, truncated or inconsistent.</exception>
    public static BernoulliGlnClassifier Load(Stream stream)
    {
        var r = new PayloadReader(ModelFile.Read(stream, ModelKind.BernoulliGlnClassifier));
        int featureCount = r.ReadInt32("the feature count", 1, int.MaxValue);
        int classCount = r.ReadInt32("the class count", 2, 1 << 20);
        BernoulliGlnOptions options = ReadOptions(r);
        long updateCount = r.ReadInt64();
        var mode = (StandardizationMode)r.ReadInt32("the standardization mode", 0, 2);
        long count = r.ReadInt64();
        double[] mean = r.ReadDoubleArray("the feature means", featureCount);
        double[] m2 = r.ReadDoubleArray("the feature variances", featureCount);
        if (updateCount < 0 || count < 0 || mode != options.Standardization)
        {
            throw new ModelFormatException("The model file is corrupted: its counters or standardization mode are inconsistent.");
        }

        int networkCount = classCount == 2 ? 1 : classCount;
        int contextCount = 1 << options.ContextDimension;
        long neuronsPerNetwork = options.LayerSizes.Sum(size => (long)size);
        long gatedNeurons = neuronsPerNetwork * (options.ShareHyperplanesAcrossClasses ? 1 : networkCount);
        float[] normals = r.ReadSingleArray("the hyperplane normals", CheckedLength(gatedNeurons * options.ContextDimension * featureCount));
        float[] offsets = r.ReadSingleArray("the hyperplane offsets", CheckedLength(gatedNeurons * options.ContextDimension));
        var gating = new HalfSpaceGating((int)gatedNeurons, options.ContextDimension, featureCount, normals, offsets);

        var networks = new BernoulliNetwork[networkCount];
        for (int c = 0; c < networkCount; c++)
        {
            var layers = new BernoulliLayer[options.LayerSizes.Length];
            int inputs = featureCount + 1;
            for (int i = 0; i < layers.Length; i++)
            {
                int size = options.LayerSizes[i];
                float[] weights = r.ReadSingleArray($"the weights of layer {i} of network {c}", CheckedLength((long)size * contextCount * inputs));
                layers[i] = new BernoulliLayer(size, inputs, contextCount, weights);
                inputs = size + 1;
            }

            networks[c] = new BernoulliNetwork(layers, (float)Logistic.Logit(options.BiasProbability), Logistic.ClippingBound(options.PredictionClipping), (float)options.WeightBound);
        }

        r.EnsureEnd();
        var standardizer = FeatureStandardizer.Restore(mode, count, mean, m2);
        return new BernoulliGlnClassifier(options, featureCount, classCount, standardizer, gating, networks, updateCount);
    }

    private static void WriteOptions(PayloadWriter w, BernoulliGlnOptions o)
    {
        w.Write(o.LayerSizes);
        w.Write(o.ContextDimension);
        w.Write(o.HyperplaneOffsetScale);
        w.Write(o.ShareHyperplanesAcrossClasses);
        w.Write((int)o.LearningRate.Kind);
        w.Write(o.LearningRate.Eta0);
        w.Write(o.LearningRate.EtaMax);
        w.Write(o.LearningRate.Decay);
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
            ContextDimension = r.ReadInt32("the context dimension", 1, HalfSpaceGating.MaxContextDimension),
            HyperplaneOffsetScale = r.ReadDouble(),
            ShareHyperplanesAcrossClasses = r.ReadBoolean(),
            LearningRate = new LearningRateSchedule((LearningRateScheduleKind)r.ReadInt32(), r.ReadDouble(), r.ReadDouble(), r.ReadDouble()),
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

        try
        {
            o.Validate();
        }
        catch (ArgumentException e)
        {
            throw new ModelFormatException($"The model file is corrupted: its options are invalid ({e.Message})", e);
        }

        return o;
    }

    private static int CheckedLength(long length)
        => length <= Array.MaxLength ? (int)length : throw new ModelFormatException($"The model file is corrupted: its shape implies an array of {length} values.");
}
