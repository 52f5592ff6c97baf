using Microsoft.ML.Data;
using Microsoft.ML.GatedLinear.Data;

namespace Microsoft.ML.GatedLinear.Training;

/// <summary>The class labels a multiclass transformer reports: the training label's key type and names.</summary>
internal static class ClassLabels
{
    /// <summary>The training label's key type and its KeyValues annotation, for <c>PredictedLabel</c>.</summary>
    public static (KeyDataViewType Type, DataViewSchema.Annotations Annotations) KeyOf(DataViewSchema.Column label)
    {
        var annotations = new DataViewSchema.Annotations.Builder();
        annotations.Add(label.Annotations, kind => kind == AnnotationNames.KeyValues);
        return ((KeyDataViewType)label.Type, annotations.ToAnnotations());
    }
}

