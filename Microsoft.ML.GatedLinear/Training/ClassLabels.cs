using Microsoft.ML.Data;
using Microsoft.ML.GatedLinear.Data;

namespace Microsoft.ML.GatedLinear.Training;

/// <summary>Class labels as the classifiers want them: indices for learning, key type and names for the output.</summary>
internal static class ClassLabels
{
    /// <summary>Adapts a learner of class indices to the stream, whose labels arrive as floats.</summary>
    public static Action<ReadOnlySpan<float>, ReadOnlySpan<float>> AsIndices(Learn learn)
    {
        int[] classes = [];
        return (rows, labels) =>
        {
            if (classes.Length < labels.Length)
            {
                classes = new int[labels.Length];
            }

            for (int i = 0; i < labels.Length; i++)
            {
                classes[i] = (int)labels[i];
            }

            learn(rows, classes.AsSpan(0, labels.Length));
        };
    }

    /// <summary>The training label's key type and its KeyValues annotation, for <c>PredictedLabel</c>.</summary>
    public static (KeyDataViewType Type, DataViewSchema.Annotations Annotations) KeyOf(DataViewSchema.Column label)
    {
        var annotations = new DataViewSchema.Annotations.Builder();
        annotations.Add(label.Annotations, kind => kind == AnnotationNames.KeyValues);
        return ((KeyDataViewType)label.Type, annotations.ToAnnotations());
    }

    /// <summary>Learns from rows with class-index labels.</summary>
    public delegate void Learn(ReadOnlySpan<float> rows, ReadOnlySpan<int> classes);
}
