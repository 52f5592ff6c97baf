using System.Runtime.CompilerServices;
using Microsoft.ML.Data;

namespace Microsoft.ML.Trainers.GatedLinear;

/// <summary>
/// Creates <see cref="SchemaShape.Column"/> values for <c>GetOutputSchema</c>. The struct's only constructor
/// is internal to ML.NET; this is the one place that reaches it (an UnsafeAccessor, checked by a test).
/// Key columns take their raw type (UInt32) with <c>isKey: true</c>.
/// </summary>
internal static class SchemaShapeColumns
{
    [UnsafeAccessor(UnsafeAccessorKind.Constructor)]
    private static extern SchemaShape.Column Create(string name, SchemaShape.Column.VectorKind vecKind, DataViewType itemType, bool isKey, SchemaShape? annotations);

    public static SchemaShape.Column Scalar(string name, DataViewType itemType) => Create(name, SchemaShape.Column.VectorKind.Scalar, itemType, false, null);

    public static SchemaShape.Column Vector(string name, DataViewType itemType) => Create(name, SchemaShape.Column.VectorKind.Vector, itemType, false, null);

    public static SchemaShape.Column Key(string name, DataViewType rawType, SchemaShape annotations) => Create(name, SchemaShape.Column.VectorKind.Scalar, rawType, true, annotations);

    /// <summary>The input shape with <paramref name="added"/> appended (replacing columns of the same name).</summary>
    public static SchemaShape Append(SchemaShape input, params SchemaShape.Column[] added)
    {
        var names = added.Select(c => c.Name).ToHashSet();
        return new SchemaShape(input.Where(c => !names.Contains(c.Name)).Concat(added));
    }
}
