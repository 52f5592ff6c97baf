using Microsoft.ML.Data;

namespace Microsoft.ML.Trainers.GatedLinear;

/// <summary>An input row (or cursor) with an <see cref="OutputColumnsMapper"/>'s columns appended.</summary>
internal sealed class MappedRow : DataViewRowCursor
{
    private readonly OutputColumnsMapper _mapper;
    private readonly DataViewRow _input;
    private readonly HashSet<int> _active;
    private readonly Delegate?[] _getters;

    public MappedRow(OutputColumnsMapper mapper, DataViewRow input, HashSet<int> active)
    {
        _mapper = mapper;
        _input = input;
        _active = active;
        _getters = mapper.CreateGetters(input, active.Contains);
    }

    public override DataViewSchema Schema => _mapper.OutputSchema;

    public override long Position => _input.Position;

    public override long Batch => _input.Batch;

    public override ValueGetter<DataViewRowId> GetIdGetter() => _input.GetIdGetter();

    public override bool IsColumnActive(DataViewSchema.Column column)
        => column.Index < _mapper.InputSchema.Count ? _input.IsColumnActive(_mapper.InputSchema[column.Index]) : _active.Contains(column.Index);

    public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
    {
        if (column.Index < _mapper.InputSchema.Count)
        {
            return _input.GetGetter<TValue>(_mapper.InputSchema[column.Index]);
        }

        return _getters[column.Index] switch
        {
            ValueGetter<TValue> getter => getter,
            null => throw new ArgumentOutOfRangeException(nameof(column), $"Column '{column.Name}' is not active in this row."),
            var other => throw new InvalidOperationException($"Column '{column.Name}' holds {other.GetType().GetGenericArguments()[0].Name}, not {typeof(TValue).Name}."),
        };
    }

    public override bool MoveNext() => _input is DataViewRowCursor cursor
        ? cursor.MoveNext()
        : throw new InvalidOperationException("This row is not a cursor.");

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _input.Dispose();
        }

        base.Dispose(disposing);
    }
}
