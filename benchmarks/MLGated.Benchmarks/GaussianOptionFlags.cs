using Microsoft.ML.GatedLinear.Gaussian;

namespace MLGated.Benchmarks;

/// <summary>The G-GLN hyperparameters a benchmark takes on its command line (`uci`, `bandits`).</summary>
internal static class GaussianOptionFlags
{
    /// <summary>The option names, without the leading "--".</summary>
    public static readonly string[] Names =
        ["layers", "context", "offset-scale", "gating-noise", "averaging", "lr", "beta", "min-variance", "clip", "bias-count", "bias-range", "bias-sd", "base", "base-sd", "output", "threads"];

    /// <summary><paramref name="start"/> with every option given on the command line applied (a copy; start is unchanged).</summary>
    public static GaussianGlnOptions Apply(BenchmarkArguments cl, GaussianGlnOptions start)
    {
        GaussianGlnOptions o = start.Clone();
        o.LayerSizes = cl.Ints("layers", o.LayerSizes);
        o.ContextDimension = cl.Int("context", o.ContextDimension);
        o.HyperplaneOffsetScale = cl.Double("offset-scale", o.HyperplaneOffsetScale);
        o.GatingNoise = cl.Double("gating-noise", o.GatingNoise);
        o.WeightAveragingHorizon = cl.Int("averaging", o.WeightAveragingHorizon);
        o.LearningRate = cl.Text("lr") is { } lr ? MnistBenchmark.ParseSchedule(lr) : o.LearningRate;
        o.WeightBound = cl.Double("beta", o.WeightBound);
        o.MinVariance = cl.Double("min-variance", o.MinVariance);
        o.MaxGradientNorm = cl.Double("clip", o.MaxGradientNorm);
        o.BiasCount = cl.Int("bias-count", o.BiasCount);
        o.BiasRange = cl.Double("bias-range", o.BiasRange);
        o.BiasStandardDeviation = cl.Double("bias-sd", o.BiasStandardDeviation);
        o.BaseModel = cl.Text("base") is { } b ? Enum.Parse<GaussianBaseModel>(b, ignoreCase: true) : o.BaseModel;
        o.BaseStandardDeviation = cl.Double("base-sd", o.BaseStandardDeviation);
        o.Output = cl.Text("output") is { } output ? Enum.Parse<GaussianOutput>(output, ignoreCase: true) : o.Output;
        o.MaxDegreeOfParallelism = cl.Int("threads", o.MaxDegreeOfParallelism);
        return o;
    }
}
