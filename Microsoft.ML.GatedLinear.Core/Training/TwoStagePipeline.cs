namespace Microsoft.ML.GatedLinear.Training;

/// <summary>
/// Runs a sequence of items through two stages on two cores: the calling thread runs the first stage of item i while a
/// pool thread runs the second stage of an earlier item. Each stage sees the items in order, so a stage whose state only
/// it touches ends exactly as in one loop (first(0), second(0), first(1), …); the second stage of an item may read what
/// the first stage wrote for it in its slot. Items pass through a ring of <see cref="Slots"/> slots, so the first stage
/// runs at most that many items ahead.
/// </summary>
/// <remarks>
/// Waiting spins and yields, never sleeps: a stage waits for the other for microseconds, and a sleep would cost a
/// millisecond. The pool thread is taken once per <see cref="Run"/>, so a call should carry many items.
/// </remarks>
internal sealed class TwoStagePipeline(int slots)
{
    private int _produced;
    private int _consumed;
    private volatile bool _stopped;

    /// <summary>How many items can be in flight: the first stage's item i uses slot i mod <see cref="Slots"/>.</summary>
    public int Slots => slots;

    /// <summary>
    /// Runs <paramref name="first"/>(i, slot) and then <paramref name="second"/>(i, slot) for i = 0 … count − 1 and
    /// returns when both stages have finished every item; an exception in either stage stops both and is rethrown.
    /// </summary>
    public void Run(int count, Action<int, int> first, Action<int, int> second)
    {
        _produced = 0;
        _consumed = 0;
        _stopped = false;
        Task consumer = Task.Run(() => Consume(count, second));
        try
        {
            for (int i = 0; i < count; i++)
            {
                var spin = default(SpinWait);
                while (i - Volatile.Read(ref _consumed) >= slots && !_stopped)
                {
                    spin.SpinOnce(sleep1Threshold: -1);
                }

                if (_stopped)
                {
                    break;
                }

                first(i, i % slots);
                Volatile.Write(ref _produced, i + 1);
            }
        }
        catch
        {
            _stopped = true;
            try
            {
                consumer.Wait();
            }
            catch (AggregateException)
            {
                // The first stage's exception is the one to report; the second stage stopped because of it or failed after.
            }

            throw;
        }

        consumer.GetAwaiter().GetResult();
    }

    private void Consume(int count, Action<int, int> second)
    {
        try
        {
            for (int i = 0; i < count; i++)
            {
                var spin = default(SpinWait);
                while (Volatile.Read(ref _produced) <= i)
                {
                    if (_stopped)
                    {
                        return;
                    }

                    spin.SpinOnce(sleep1Threshold: -1);
                }

                second(i, i % slots);
                Volatile.Write(ref _consumed, i + 1);
            }
        }
        catch
        {
            _stopped = true;
            throw;
        }
    }
}
