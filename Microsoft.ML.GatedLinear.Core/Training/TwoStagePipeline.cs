using System.Diagnostics;

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
/// millisecond. The pool thread is asked for once per <see cref="Run"/>, so a call should carry many items; when the
/// pool has no thread to give (every one busy, say with many models learning at once), the calling thread stops waiting
/// for it after <see cref="TakeOverAfter"/> and runs both stages itself.
/// </remarks>
/// <param name="slots">Items in flight at most.</param>
/// <param name="scheduler">Where the second stage runs; default the thread pool.</param>
internal sealed class TwoStagePipeline(int slots, TaskScheduler? scheduler = null)
{
    /// <summary>How long the first stage waits for the second to start before running both stages itself.</summary>
    public static readonly TimeSpan TakeOverAfter = TimeSpan.FromMilliseconds(2);

    /// <summary>How many items can be in flight: the first stage's item i uses slot i mod <see cref="Slots"/>.</summary>
    public int Slots => slots;

    /// <summary>
    /// Runs <paramref name="first"/>(i, slot) and then <paramref name="second"/>(i, slot) for i = 0 … count − 1 and
    /// returns when both stages have finished every item; an exception in either stage stops both and is rethrown.
    /// </summary>
    public void Run(int count, Action<int, int> first, Action<int, int> second)
    {
        // State of this call only: a second stage that starts after the call has given up on it finds its run taken.
        var run = new RunState();
        Task consumer = Task.Factory.StartNew(() => run.Consume(count, slots, second), CancellationToken.None, TaskCreationOptions.DenyChildAttach, scheduler ?? TaskScheduler.Default);
        try
        {
            for (int i = 0; i < count; i++)
            {
                var spin = default(SpinWait);
                long waitingSince = 0;
                while (i - Volatile.Read(ref run.Consumed) >= slots && !run.Stopped)
                {
                    if (TakeOver(run, ref waitingSince))
                    {
                        RunBothStages(i, count, first, second);
                        return;
                    }

                    spin.SpinOnce(sleep1Threshold: -1);
                }

                if (run.Stopped)
                {
                    break;
                }

                first(i, i % slots);
                Volatile.Write(ref run.Produced, i + 1);
            }
        }
        catch
        {
            run.Stopped = true;

            // Either the second stage never starts now, or it has started and must be waited for before the caller goes on.
            if (Interlocked.CompareExchange(ref run.Owner, RunState.CallingThread, RunState.Unclaimed) == RunState.PoolThread)
            {
                try
                {
                    consumer.Wait();
                }
                catch (AggregateException)
                {
                    // The first stage's exception is the one to report; the second stage stopped because of it or failed after.
                }
            }

            throw;
        }

        if (!TakeOverUnstarted(run))
        {
            consumer.GetAwaiter().GetResult();
            return;
        }

        // The first stage finished every item before the second started: the second's items are all still to do.
        RunBothStages(count, count, first, second);
    }

    // The second stage has not started, and the ring has been full for longer than a pool thread takes to start.
    private static bool TakeOver(RunState run, ref long waitingSince)
    {
        if (Volatile.Read(ref run.Owner) != RunState.Unclaimed)
        {
            return false;
        }

        if (waitingSince == 0)
        {
            waitingSince = Stopwatch.GetTimestamp();
            return false;
        }

        return Stopwatch.GetElapsedTime(waitingSince) > TakeOverAfter
            && Interlocked.CompareExchange(ref run.Owner, RunState.CallingThread, RunState.Unclaimed) == RunState.Unclaimed;
    }

    // After the last first stage: false once the second stage has started (now or before); true when it did not start
    // in time and this thread has claimed it.
    private static bool TakeOverUnstarted(RunState run)
    {
        long waitingSince = 0;
        var spin = default(SpinWait);
        while (Volatile.Read(ref run.Owner) == RunState.Unclaimed)
        {
            if (TakeOver(run, ref waitingSince))
            {
                return true;
            }

            spin.SpinOnce(sleep1Threshold: -1);
        }

        return false;
    }

    // The calling thread's fallback: items before `next` have passed the first stage only (the second never started).
    private void RunBothStages(int next, int count, Action<int, int> first, Action<int, int> second)
    {
        for (int i = 0; i < count; i++)
        {
            if (i >= next)
            {
                first(i, i % slots);
            }

            second(i, i % slots);
        }
    }

    private sealed class RunState
    {
        public const int Unclaimed = 0, PoolThread = 1, CallingThread = 2;

        public int Produced;
        public int Consumed;
        public int Owner;
        public volatile bool Stopped;

        public void Consume(int count, int slots, Action<int, int> second)
        {
            if (Interlocked.CompareExchange(ref Owner, PoolThread, Unclaimed) != Unclaimed)
            {
                return;
            }

            try
            {
                for (int i = 0; i < count; i++)
                {
                    var spin = default(SpinWait);
                    while (Volatile.Read(ref Produced) <= i)
                    {
                        if (Stopped)
                        {
                            return;
                        }

                        spin.SpinOnce(sleep1Threshold: -1);
                    }

                    second(i, i % slots);
                    Volatile.Write(ref Consumed, i + 1);
                }
            }
            catch
            {
                Stopped = true;
                throw;
            }
        }
    }
}
