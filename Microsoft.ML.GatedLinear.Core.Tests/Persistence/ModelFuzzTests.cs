using System.Buffers.Binary;
using Microsoft.ML.GatedLinear.Bernoulli;
using Microsoft.ML.GatedLinear.Data;
using Microsoft.ML.GatedLinear.Galu;
using Microsoft.ML.GatedLinear.Gaussian;
using Microsoft.ML.GatedLinear.Gon;
using Microsoft.ML.GatedLinear.Numerics;
using Microsoft.ML.GatedLinear.Persistence;
using Microsoft.ML.GatedLinear.Training;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.GatedLinear.Tests.Persistence;

/// <summary>
/// Seeded mutations of a small saved model of every kind, most of them re-signed so they get past the checksum and
/// reach the parser: every load either succeeds or throws <see cref="ModelFormatException"/>, allocates at most a bound
/// proportional to the file, and a model that loads predicts finite values or says that its arithmetic overflows.
/// </summary>
[TestClass]
public class ModelFuzzTests
{
    private const int Mutations = 5000;

    // Loading a model allocates its arrays (about the payload) plus the working buffers of its first prediction.
    private const long AllocationPerFileByte = 64;
    private const long AllocationAllowance = 1 << 20;

    private sealed record Kind(ModelKind Id, byte[] File, int FeatureCount, Func<Stream, Func<float[], double>> LoadAndPredict);

    private static IEnumerable<object[]> Kinds() => new[] { "BernoulliGln", "AveragedBernoulliGln", "GaussianGln", "AveragedGaussianGln", "ClosedFormGalu", "DeepGalu", "Gon" }.Select(k => new object[] { k });

    [TestMethod]
    [DynamicData(nameof(Kinds))]
    public void EveryMutationLoadsOrFailsAsAModelFormatErrorWithinBoundedMemory(string kind)
    {
        Kind model = Build(kind);
        var random = new SeededRandom(20);
        float[] features = Enumerable.Range(0, model.FeatureCount).Select(i => 0.3f * i - 0.5f).ToArray();
        int loaded = 0;
        for (int trial = 0; trial < Mutations; trial++)
        {
            byte[] bytes = Mutate(model, random, out string mutation);
            long before = GC.GetAllocatedBytesForCurrentThread();
            Func<float[], double>? predict = null;
            try
            {
                using var stream = new MemoryStream(bytes, writable: false);
                predict = model.LoadAndPredict(stream);
                loaded++;
            }
            catch (ModelFormatException)
            {
            }
            catch (Exception e)
            {
                Assert.Fail($"{kind}, trial {trial} ({mutation}): loading threw {e.GetType().Name}: {e.Message}");
            }

            if (predict is not null)
            {
                // Finite weights may still overflow on a row (a GON's latent): that must be said, never returned as NaN.
                try
                {
                    double value = predict(features);
                    Assert.IsTrue(double.IsFinite(value), $"{kind}, trial {trial} ({mutation}): the loaded model predicts {value}");
                }
                catch (InvalidOperationException e) when (e.Message.Contains("overflow", StringComparison.Ordinal))
                {
                }
            }

            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.IsTrue(allocated <= AllocationPerFileByte * bytes.Length + AllocationAllowance, $"{kind}, trial {trial} ({mutation}): {allocated} bytes allocated for a {bytes.Length}-byte file");
        }

        // The mutations must reach the parser, not only the envelope: some payload edits (e.g. of a weight) still load.
        Assert.IsTrue(loaded > 0, $"{kind}: no mutation loaded; the fuzzer only exercises the envelope");
    }

    private static byte[] Mutate(Kind model, SeededRandom random, out string mutation)
    {
        byte[] payload = ModelFile.Read(new MemoryStream(model.File), model.Id);
        int at = random.NextInt(payload.Length);
        switch (random.NextInt(8))
        {
            case 0:
                mutation = $"raw byte flip at {at + 20}";
                byte[] raw = (byte[])model.File.Clone();
                raw[random.NextInt(raw.Length)] ^= (byte)(1 + random.NextInt(255));
                return raw;
            case 1:
                mutation = $"truncated to {at}";
                return Sign(model.Id, payload[..at]);
            case 2:
                mutation = $"bit flip at payload {at}";
                payload[at] ^= (byte)(1 << random.NextInt(8));
                break;
            case 3:
            case 4:
                // An int32 field (a size, count or index) set to an extreme value.
                at = Math.Min(at, payload.Length - 4) & ~3;
                int[] extremes = [0, -1, 1, int.MaxValue, int.MinValue, 1 << 20, 100_000_000, 65536];
                int value = extremes[random.NextInt(extremes.Length)];
                mutation = $"int32 {value} at payload {at}";
                BinaryPrimitives.WriteInt32LittleEndian(payload.AsSpan(at), value);
                break;
            case 5:
                // A float or double field set to a non-finite or huge value.
                at = Math.Min(at, payload.Length - 8) & ~3;
                double[] values = [double.NaN, double.PositiveInfinity, 1e300, -1e38, 3.5e38];
                double d = values[random.NextInt(values.Length)];
                bool asDouble = random.NextInt(2) == 0;
                mutation = $"{(asDouble ? "double" : "float")} {d} at payload {at}";
                if (asDouble)
                {
                    BinaryPrimitives.WriteDoubleLittleEndian(payload.AsSpan(at), d);
                }
                else
                {
                    BinaryPrimitives.WriteSingleLittleEndian(payload.AsSpan(at), (float)d);
                }

                break;
            case 6:
                mutation = $"4 bytes inserted at payload {at}";
                payload = [.. payload[..at], 7, 0, 0, 0, .. payload[at..]];
                break;
            default:
                int length = 1 + random.NextInt(Math.Min(64, payload.Length - at));
                mutation = $"{length} bytes removed at payload {at}";
                payload = [.. payload[..at], .. payload[(at + length)..]];
                break;
        }

        return Sign(model.Id, payload);
    }

    private static byte[] Sign(ModelKind kind, byte[] payload)
    {
        using var stream = new MemoryStream();
        ModelFile.Write(stream, kind, payload);
        return stream.ToArray();
    }

    private static byte[] Saved(Action<Stream> save)
    {
        using var stream = new MemoryStream();
        save(stream);
        return stream.ToArray();
    }

    private static Kind Build(string kind)
    {
        var random = new SeededRandom(5);
        float[] x = Enumerable.Range(0, 200 * 3).Select(_ => (float)random.NextGaussian()).ToArray();
        float[] y = Enumerable.Range(0, 200).Select(i => x[3 * i] - x[3 * i + 2]).ToArray();
        int[] labels = y.Select(v => v > 0 ? 1 : 0).ToArray();
        switch (kind)
        {
            case "BernoulliGln":
                var bernoulli = BernoulliGlnClassifier.Create(3, 2, new BernoulliGlnOptions { LayerSizes = [4, 1], ContextDimension = 2 });
                bernoulli.Fit(new LabeledData<int>(x, labels, 3));
                return new(ModelKind.BernoulliGlnClassifier, Saved(bernoulli.Save), 3, s =>
                {
                    BernoulliGlnClassifier m = BernoulliGlnClassifier.Load(s);
                    return f => m.FeatureCount == f.Length ? m.PredictProbability(f) : 0;
                });
            case "AveragedBernoulliGln":
                // Two classifiers trained apart, averaged, reading one linear discriminant (of three classes, one absent): the
                // member count decides how many networks and hyperplanes to read, the discriminant how many inputs.
                BernoulliGlnOptions MemberOptions(int seed) => new() { LayerSizes = [3, 1], ContextDimension = 2, Seed = seed, Standardization = StandardizationMode.Supplied, SuppliedMean = [0, 0, 0], SuppliedStandardDeviation = [1, 1, 1] };
                var rows = new LabeledData<int>(x, labels, 3);
                LinearDiscriminantBase discriminant = BernoulliGlnClassifier.FitLinearDiscriminant(3, 3, MemberOptions(1), [InMemoryRows.Create(rows, 3, 1, (label, _, values) => values[0] = label)]);
                BernoulliGlnClassifier Member(int seed)
                {
                    var member = BernoulliGlnClassifier.Create(3, 3, MemberOptions(seed), discriminant);
                    member.Fit(rows);
                    return member;
                }

                BernoulliGlnClassifier averaged = BernoulliGlnClassifier.Average([Member(1), Member(2)]);
                return new(ModelKind.BernoulliGlnClassifier, Saved(averaged.Save), 3, s =>
                {
                    BernoulliGlnClassifier m = BernoulliGlnClassifier.Load(s);
                    var probabilities = new float[m.ClassCount];
                    return f =>
                    {
                        if (m.FeatureCount != f.Length)
                        {
                            return 0;
                        }

                        m.PredictProbabilities(f, probabilities);
                        return probabilities[0];
                    };
                });
            case "GaussianGln":
                var gaussian = GaussianGlnRegressor.Create(3, 1, new GaussianGlnOptions { LayerSizes = [4, 1], ContextDimension = 2 });
                gaussian.Fit(new LabeledData<float>(x, y, 3));
                return new(ModelKind.GaussianGlnRegressor, Saved(gaussian.Save), 3, s =>
                {
                    GaussianGlnRegressor m = GaussianGlnRegressor.Load(s);
                    return f => m.FeatureCount == f.Length && m.Predict(f) is var p ? p.Mean + p.Variance : 0;
                });
            case "AveragedGaussianGln":
                // A network and a linear special case, averaged: the count after the first decides how many models to read.
                GaussianGlnRegressor Regressor(int[] layers, int context)
                {
                    var member = GaussianGlnRegressor.Create(3, 1, new GaussianGlnOptions { LayerSizes = layers, ContextDimension = context });
                    member.Fit(new LabeledData<float>(x, y, 3));
                    return member;
                }

                GaussianGlnRegressor mixture = GaussianGlnRegressor.Average([Regressor([4, 1], 2), Regressor([1], 0)]);
                return new(ModelKind.GaussianGlnRegressor, Saved(mixture.Save), 3, s =>
                {
                    GaussianGlnRegressor m = GaussianGlnRegressor.Load(s);
                    return f => m.FeatureCount == f.Length && m.Predict(f) is var p ? p.Mean + p.Variance : 0;
                });
            case "ClosedFormGalu":
                var closed = ClosedFormGalu.Create(3, 1, new GaluOptions { HiddenSizes = [6] });
                closed.Fit(x, y);
                return new(ModelKind.ClosedFormGalu, Saved(closed.Save), 3, s =>
                {
                    ClosedFormGalu m = ClosedFormGalu.Load(s);
                    return f => m.InputDimension == f.Length ? Output(m.Predict, f, m.Outputs) : 0;
                });
            case "DeepGalu":
                var deep = DeepGaluNetwork.Create(3, 2, new GaluOptions { HiddenSizes = [6, 5], Variant = GaluVariant.Galu });
                deep.Fit(new LabeledData<int>(x, labels, 3));
                return new(ModelKind.DeepGaluNetwork, Saved(deep.Save), 3, s =>
                {
                    DeepGaluNetwork m = DeepGaluNetwork.Load(s);
                    return f => m.InputDimension == f.Length ? Output(m.Predict, f, m.Outputs) : 0;
                });
            default:
                var gon = GradientOriginNetwork.Create(6, new GonOptions { LatentDimension = 2, HiddenSizes = [8], BatchSize = 8 });
                float[] images = Enumerable.Range(0, 32 * 6).Select(i => (float)(0.5 + 0.5 * Math.Sin(i * 0.37))).ToArray();
                gon.Fit(images);
                return new(ModelKind.GradientOriginNetwork, Saved(gon.Save), 6, s =>
                {
                    GradientOriginNetwork m = GradientOriginNetwork.Load(s);
                    return f => m.DataDimension == f.Length ? m.Encode(f).Sum() : 0;
                });
        }
    }

    private delegate void Predictor(ReadOnlySpan<float> x, Span<float> outputs);

    private static double Output(Predictor predict, float[] features, int outputs)
    {
        var values = new float[outputs];
        predict(features, values);
        return values.Sum();
    }
}
