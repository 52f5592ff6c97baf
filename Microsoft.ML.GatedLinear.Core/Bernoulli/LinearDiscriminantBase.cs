using Microsoft.ML.GatedLinear.Numerics;
using Microsoft.ML.GatedLinear.Persistence;
using Microsoft.ML.GatedLinear.Training;
using System.Numerics.Tensors;

namespace Microsoft.ML.GatedLinear.Bernoulli;

/// <summary>
/// A base model layer 0 of a B-GLN reads besides the features: Fisher's linear discriminant on the features' base
/// logits b — class means μ_c and one pooled within-class covariance Σ, fitted in closed form on the training rows —
/// whose class scores δ_c(b) = bᵀΣ⁻¹μ_c − ½μ_cᵀΣ⁻¹μ_c + log π_c give each one-vs-all network c an input: the
/// discriminant's log-odds of c against the other classes, δ_c − log Σ_{c'≠c} e^δ_c' (of class 1 against 0 when
/// binary), at most ±<see cref="MaxLogOdds"/>, standardized over the fitted rows like a feature and clipped like the
/// features' base logits. A few hundred rows estimate this generative linear model better than an online logistic fit
/// (Efron 1975); the networks learn how much to trust it. Every network reads every class's input.
/// </summary>
internal sealed class LinearDiscriminantBase
{
    /// <summary>The log-odds are clipped here before they are standardized, so one overconfident row cannot set the scale.</summary>
    public const float MaxLogOdds = 10;

    // A class absent from the fitted rows has prior 0: this score, finite so that float arithmetic stays exact enough.
    private const float AbsentClassScore = -1e4f;

    private readonly float[] _weights;  // Σ⁻¹μ_c, [classes × features]
    private readonly float[] _offsets;  // −½μ_cᵀΣ⁻¹μ_c + log π_c
    private readonly float[] _means;    // each input's log-odds mean over the fitted rows
    private readonly float[] _scales;   // and 1 / standard deviation (0 for a constant input)

    private LinearDiscriminantBase(float[] weights, float[] offsets, float[] means, float[] scales, int featureCount)
    {
        _weights = weights;
        _offsets = offsets;
        _means = means;
        _scales = scales;
        FeatureCount = featureCount;
    }

    /// <summary>Inputs per row: 1 for a binary classifier, one per class otherwise.</summary>
    public int Count => _means.Length;

    /// <summary>
    /// Input <paramref name="input"/>'s log-odds as a linear function of the input where it is not clipped:
    /// log-odds = <c>Slope</c> × input + <c>Intercept</c> (slope 0 and the mean for an input constant over the fitted rows).
    /// </summary>
    public (float Slope, float Intercept) LogOddsOfInput(int input)
        => (_scales[input] > 0 ? 1 / _scales[input] : 0, _means[input]);

    /// <summary>Classes the discriminant scores.</summary>
    public int ClassCount => _offsets.Length;

    /// <summary>Base logits the discriminant reads.</summary>
    public int FeatureCount { get; }

    /// <summary>Inputs for <paramref name="classCount"/> classes.</summary>
    public static int CountFor(int classCount) => classCount == 2 ? 1 : classCount;

    /// <summary>Fits the discriminant on <paramref name="sources"/>' rows (class-index labels), given how a row becomes its base logits.</summary>
    public static LinearDiscriminantBase Fit(IReadOnlyList<IRowSource> sources, int featureCount, int classCount, BaseLogitsOf baseLogits)
    {
        int d = featureCount, k = classCount;
        // ΦᵀΦ and ΦᵀY of φ = (b, 1) and one-hot y hold Σbbᵀ, each class's Σb and, in the constant's row, its count.
        var equations = new NormalEquations(d + 1, k);
        var phi = new float[d + 1];
        var target = new float[k];
        phi[d] = 1;
        foreach (IRowSource source in sources)
        {
            source.Stream(null, (features, label) =>
            {
                baseLogits(features, phi.AsSpan(0, d));
                target.AsSpan().Clear();
                target[(int)label[0]] = 1;
                equations.Add(phi, target);
            });
        }

        long n = equations.Rows;
        if (n <= k)
        {
            throw new ArgumentException($"A linear discriminant of {k} classes needs more than {k} rows; got {n}.", nameof(sources));
        }

        var gram = new double[(d + 1) * (d + 1)];
        var sums = new double[(d + 1) * k];
        equations.CopyGram(gram);
        equations.CopyCross(sums);
        double Sum(int c, int i) => sums[i * k + c];

        // The pooled within-class covariance: (Σbbᵀ − Σ_c n_c μ_c μ_cᵀ) / (n − k).
        var within = new double[d * d];
        for (int i = 0; i < d; i++)
        {
            for (int j = 0; j < d; j++)
            {
                double s = gram[i * (d + 1) + j];
                for (int c = 0; c < k; c++)
                {
                    double count = Sum(c, d);
                    s -= count > 0 ? Sum(c, i) * Sum(c, j) / count : 0;
                }

                within[i * d + j] = s / (n - k);
            }
        }

        var factor = new double[d * d];
        Cholesky.Factor(d, (i, j) => within[i * d + j], 0, factor);
        var weights = new float[k * d];
        var offsets = new float[k];
        var mean = new double[d];
        for (int c = 0; c < k; c++)
        {
            double count = Sum(c, d);
            if (count == 0)
            {
                offsets[c] = AbsentClassScore;
                continue;
            }

            for (int i = 0; i < d; i++)
            {
                mean[i] = Sum(c, i) / count;
            }

            double[] w = (double[])mean.Clone();
            Cholesky.Solve(factor, d, w);
            for (int i = 0; i < d; i++)
            {
                weights[c * d + i] = (float)w[i];
            }

            offsets[c] = (float)(-0.5 * TensorPrimitives.Dot<double>(w, mean) + Math.Log(count / n));
        }

        // A second pass standardizes each input over the same rows.
        int inputs = CountFor(k);
        var unscaled = new LinearDiscriminantBase(weights, offsets, new float[inputs], new float[inputs], d);
        var logOdds = new float[inputs];
        var moments = new RunningMoments(inputs);
        foreach (IRowSource source in sources)
        {
            source.Stream(null, (features, _) =>
            {
                baseLogits(features, phi.AsSpan(0, d));
                unscaled.LogOdds(phi.AsSpan(0, d), logOdds);
                moments.Add(logOdds);
            });
        }

        var means = new float[inputs];
        var scales = new float[inputs];
        for (int o = 0; o < inputs; o++)
        {
            means[o] = (float)moments.Mean[o];
            scales[o] = moments.PopulationVariance(o) > 1e-6 ? (float)(1 / Math.Sqrt(moments.PopulationVariance(o))) : 0;
        }

        return new LinearDiscriminantBase(weights, offsets, means, scales, d);
    }

    /// <summary>Writes the <see cref="Count"/> inputs for base logits <paramref name="baseLogits"/>, clipped to ±<paramref name="bound"/>.</summary>
    public void Apply(ReadOnlySpan<float> baseLogits, Span<float> inputs, float bound)
    {
        LogOdds(baseLogits, inputs);
        for (int o = 0; o < Count; o++)
        {
            inputs[o] = Math.Clamp((inputs[o] - _means[o]) * _scales[o], -bound, bound);
        }
    }

    /// <summary>
    /// Folds the inputs' share of a decomposition onto the features. Input o, for class c, is exactly linear in b with
    /// this row's coefficients: with π the softmax of the other classes' scores, log Σ_{c'≠c} e^δ_c' = Σπ_c'δ_c' + H(π),
    /// so its log-odds are (w_c − Σπ_c'w_c')·b + β_c − Σπ_c'β_c' − H(π). An input clipped anywhere is a constant and goes
    /// to the intercept, as a clipped neuron does. Adds each input's coefficient <paramref name="inputWeights"/>[o] times
    /// its feature coefficients to <paramref name="featureWeights"/> and returns the intercept's share.
    /// </summary>
    public double Fold(ReadOnlySpan<float> baseLogits, ReadOnlySpan<float> inputs, ReadOnlySpan<double> inputWeights, Span<double> featureWeights, float bound)
    {
        int k = ClassCount, d = FeatureCount;
        Span<double> scores = stackalloc double[k];
        Span<double> shares = stackalloc double[k];
        Scores(baseLogits, scores);
        double intercept = 0;
        for (int o = 0; o < Count; o++)
        {
            int c = ClassOf(o);
            double raw = scores[c] - LogSumOfOthers(scores, c, shares);
            double standardized = (Math.Clamp(raw, -MaxLogOdds, MaxLogOdds) - _means[o]) * _scales[o];
            if (Math.Abs(raw) > MaxLogOdds || Math.Abs(standardized) > bound || _scales[o] == 0)
            {
                intercept += inputWeights[o] * inputs[o];
                continue;
            }

            // H(π) = −Σπ log π over the classes with a share.
            double constant = _offsets[c] - _means[o];
            for (int other = 0; other < k; other++)
            {
                constant -= shares[other] > 0 ? shares[other] * (_offsets[other] - Math.Log(shares[other])) : 0;
            }

            double scale = inputWeights[o] * _scales[o];
            for (int j = 0; j < d; j++)
            {
                double coefficient = _weights[c * d + j];
                for (int other = 0; other < k; other++)
                {
                    coefficient -= shares[other] * _weights[other * d + j];
                }

                featureWeights[j] += scale * coefficient;
            }

            intercept += scale * constant;
        }

        return intercept;
    }

    // Each input's log-odds, clipped to ±MaxLogOdds, before standardizing.
    internal void LogOdds(ReadOnlySpan<float> baseLogits, Span<float> logOdds)
    {
        Span<double> scores = stackalloc double[ClassCount];
        Span<double> shares = stackalloc double[ClassCount];
        Scores(baseLogits, scores);
        for (int o = 0; o < Count; o++)
        {
            int c = ClassOf(o);
            logOdds[o] = (float)Math.Clamp(scores[c] - LogSumOfOthers(scores, c, shares), -MaxLogOdds, MaxLogOdds);
        }
    }

    // The class input o gives the log-odds of: class 1 for a binary discriminant's one input, class o otherwise.
    private int ClassOf(int input) => Count == 1 ? 1 : input;

    private void Scores(ReadOnlySpan<float> baseLogits, Span<double> scores)
    {
        for (int c = 0; c < ClassCount; c++)
        {
            scores[c] = TensorPrimitives.Dot(_weights.AsSpan(c * FeatureCount, FeatureCount), baseLogits) + (double)_offsets[c];
        }
    }

    // log Σ_{c'≠c} e^δ_c', computed stably, and the other classes' softmax shares π (0 at c).
    private static double LogSumOfOthers(ReadOnlySpan<double> scores, int c, Span<double> shares)
    {
        double max = double.NegativeInfinity;
        for (int other = 0; other < scores.Length; other++)
        {
            max = other == c ? max : Math.Max(max, scores[other]);
        }

        double total = 0;
        for (int other = 0; other < scores.Length; other++)
        {
            shares[other] = other == c ? 0 : Math.Exp(scores[other] - max);
            total += shares[other];
        }

        for (int other = 0; other < scores.Length; other++)
        {
            shares[other] /= total;
        }

        return max + Math.Log(total);
    }

    public bool SameAs(LinearDiscriminantBase? other)
        => other is not null && other.FeatureCount == FeatureCount && other._weights.AsSpan().SequenceEqual(_weights)
            && other._offsets.AsSpan().SequenceEqual(_offsets) && other._means.AsSpan().SequenceEqual(_means) && other._scales.AsSpan().SequenceEqual(_scales);

    public void Write(PayloadWriter w)
    {
        w.Write(_weights);
        w.Write(_offsets);
        w.Write(_means);
        w.Write(_scales);
    }

    public static LinearDiscriminantBase Read(PayloadReader r, int featureCount, int classCount)
    {
        if ((long)featureCount * classCount > Array.MaxLength)
        {
            throw new ModelFormatException($"The model file is corrupted: a linear discriminant of {classCount} classes and {featureCount} features is more than an array holds.");
        }

        int inputs = CountFor(classCount);
        float[] weights = r.ReadSingleArray("the linear discriminant's weights", featureCount * classCount);
        float[] offsets = r.ReadSingleArray("the linear discriminant's offsets", classCount);
        float[] means = r.ReadSingleArray("the linear discriminant's input means", inputs);
        float[] scales = r.ReadSingleArray("the linear discriminant's input scales", inputs);
        if (scales.Any(s => s < 0))
        {
            throw new ModelFormatException("The model file is corrupted: a linear discriminant input has a negative scale.");
        }

        return new LinearDiscriminantBase(weights, offsets, means, scales, featureCount);
    }
}

/// <summary>Writes a row's base logits.</summary>
internal delegate void BaseLogitsOf(ReadOnlySpan<float> features, Span<float> baseLogits);
