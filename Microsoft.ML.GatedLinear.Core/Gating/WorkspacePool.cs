namespace Microsoft.ML.GatedLinear.Gating;

/// <summary>
/// Per-call buffers for a model's predictions: one cached workspace serves the common single-threaded caller without
/// allocating, and concurrent callers get their own, so prediction is thread-safe.
/// </summary>
internal sealed class WorkspacePool<T>(Func<T> create)
    where T : class
{
    private T? _idle;

    public T Rent() => Interlocked.Exchange(ref _idle, null) ?? create();

    public void Return(T workspace) => _idle = workspace;
}
