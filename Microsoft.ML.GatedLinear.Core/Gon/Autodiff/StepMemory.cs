namespace Microsoft.ML.GatedLinear.Gon.Autodiff;

/// <summary>
/// The arrays of one training step, reused by the next. A GON step allocates dozens of arrays of up to batch × data
/// dimension floats — large-object-heap allocations on fresh pages, zeroed by the kernel and the runtime — and drops all
/// of them when it ends; page faults and zeroing took about a seventh of the step. While a step is open on a thread,
/// <see cref="Rent"/> hands out cleared arrays the earlier steps returned; otherwise it allocates.
/// </summary>
/// <remarks>Nothing rented may outlive its step: the step's results must be copied or consumed before it is closed.</remarks>
internal sealed class StepMemory
{
    [ThreadStatic]
    private static StepMemory? _open;

    private readonly Dictionary<int, Stack<float[]>> _free = [];
    private readonly List<float[]> _rented = [];

    /// <summary>A zeroed array of <paramref name="length"/> floats: from the open step's memory, else newly allocated.</summary>
    public static float[] Rent(int length) => _open is { } memory ? memory.Take(length, clear: true) : new float[length];

    /// <summary>
    /// An array of <paramref name="length"/> floats whose contents are undefined, for a caller that writes every entry
    /// before reading any (clearing a reused product's array was a twentieth of a step).
    /// </summary>
    public static float[] RentForOverwrite(int length) => _open is { } memory ? memory.Take(length, clear: false) : GC.AllocateUninitializedArray<float>(length);

    /// <summary>Opens a step on this thread; disposing it returns every array rented meanwhile.</summary>
    public IDisposable Open()
    {
        if (_open is not null)
        {
            throw new InvalidOperationException("A training step is already open on this thread.");
        }

        _open = this;
        return new Step(this);
    }

    private float[] Take(int length, bool clear)
    {
        if (_free.TryGetValue(length, out Stack<float[]>? free) && free.TryPop(out float[]? array))
        {
            if (clear)
            {
                Array.Clear(array);
            }
        }
        else
        {
            array = new float[length];
        }

        _rented.Add(array);
        return array;
    }

    private void Close()
    {
        foreach (float[] array in _rented)
        {
            if (!_free.TryGetValue(array.Length, out Stack<float[]>? free))
            {
                _free[array.Length] = free = new Stack<float[]>();
            }

            free.Push(array);
        }

        _rented.Clear();
        _open = null;
    }

    private sealed class Step(StepMemory memory) : IDisposable
    {
        private bool _closed;

        public void Dispose()
        {
            if (!_closed)
            {
                _closed = true;
                memory.Close();
            }
        }
    }
}
