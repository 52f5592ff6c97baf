using Microsoft.ML.Data;
using Microsoft.ML.GatedLinear.Numerics;

namespace Microsoft.ML.Trainers.GatedLinear;

/// <summary>Computes a binary classifier's logit from dense features.</summary>
internal delegate float LogitScorer(ReadOnlySpan<float> features);

/// <summary>Appends <c>Score</c> (the logit), <c>Probability</c> (σ of it, see <see cref="Probability"/>) and <c>PredictedLabel</c> (Score &gt; 0).</summary>
internal sealed class BinaryClassificationMapper : OutputColumnsMapper
{
    private readonly LogitScorer _scorer;

    public BinaryClassificationMapper(DataViewSchema inputSchema, string featureColumnName, int modelFeatures, LogitScorer scorer)
        : base(inputSchema, featureColumnName, AddColumns)
    {
        ModelShape.RequireFeatureCount(FeatureColumn, FeatureCount, modelFeatures);
        _scorer = scorer;
    }

    private static void AddColumns(DataViewSchema.Builder builder)
    {
        builder.AddColumn(DefaultColumnNames.Score, NumberDataViewType.Single);
        builder.AddColumn(DefaultColumnNames.Probability, NumberDataViewType.Single);
        builder.AddColumn(DefaultColumnNames.PredictedLabel, BooleanDataViewType.Instance);
    }

    /// <summary>
    /// σ(<paramref name="logit"/>) kept within [2⁻²⁴, 1 − 2⁻²⁴]: in float σ rounds to exactly 0 or 1 beyond |logit| ≈ 17
    /// (a GaLU's logits are unbounded), and one such confident mistake made ML.NET's binary log loss infinite.
    /// </summary>
    internal static float Probability(float logit) => Math.Clamp(Logistic.Sigmoid(logit), ProbabilityMargin, 1 - ProbabilityMargin);

    private const float ProbabilityMargin = 1f / (1 << 24);

    protected override Delegate?[] CreateActiveGetters(DataViewRow input, Func<int, bool> isActive)
    {
        var reader = new FeatureVectorReader(input, FeatureColumn);
        var features = new float[FeatureCount];
        float logit = 0;
        var prediction = new RowPrediction(input, () =>
        {
            reader.ReadFinite(features);
            logit = _scorer(features);
        });
        return Getters(
            isActive,
            () => (ValueGetter<float>)((ref float value) =>
            {
                prediction.Ensure();
                value = logit;
            }),
            () => (ValueGetter<float>)((ref float value) =>
            {
                prediction.Ensure();
                value = Probability(logit);
            }),
            () => (ValueGetter<bool>)((ref bool value) =>
            {
                prediction.Ensure();
                value = logit > 0;
            }));
    }
}
