namespace Microsoft.ML.Trainers.GatedLinear;

/// <summary>The lazily transformed view: rows of the input with the mapper's prediction columns appended.</summary>
internal sealed class MappedDataView(IDataView input, OutputColumnsMapper mapper) : IDataView
{
    public bool CanShuffle => input.CanShuffle;

    public DataViewSchema Schema => mapper.OutputSchema;

    public long? GetRowCount() => input.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        var needed = columnsNeeded.ToList();
        return new MappedRow(mapper, input.GetRowCursor(mapper.GetDependencies(needed), rand), needed.Select(c => c.Index).ToHashSet());
    }

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null)
        => [GetRowCursor(columnsNeeded, rand)];
}
