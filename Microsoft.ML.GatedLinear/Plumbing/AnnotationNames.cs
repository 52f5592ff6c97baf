namespace Microsoft.ML.Trainers.GatedLinear;

/// <summary>Annotation kinds ML.NET reads by name (its own constants are internal).</summary>
internal static class AnnotationNames
{
    public const string KeyValues = "KeyValues";
    public const string SlotNames = "SlotNames";
}
