namespace Microsoft.ML.Trainers.GatedLinear;

/// <summary>The output column names ML.NET's evaluators and CrossValidate look for.</summary>
internal static class DefaultColumnNames
{
    public const string Score = "Score";
    public const string Probability = "Probability";
    public const string PredictedLabel = "PredictedLabel";
}
