using Microsoft.ML.GatedLinear.Training;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.GatedLinear.Tests.Training;

[TestClass]
public class TwoStagePipelineTests
{
    [TestMethod]
    [DataRow(1)]
    [DataRow(3)]
    [DataRow(1000)]
    public void EachStageSeesEveryItemInOrderAndTheSecondReadsWhatTheFirstWroteInTheSlot(int count)
    {
        var pipeline = new TwoStagePipeline(4);
        var slots = new int[pipeline.Slots];
        var firsts = new List<int>();
        var seconds = new List<int>();
        for (int run = 0; run < 2; run++)
        {
            firsts.Clear();
            seconds.Clear();
            pipeline.Run(
                count,
                (i, slot) =>
                {
                    // Busy work now and then, so either stage is sometimes the one waiting.
                    Thread.SpinWait(i % 7 == 0 ? 2000 : 10);
                    slots[slot] = i * 10;
                    firsts.Add(i);
                },
                (i, slot) =>
                {
                    Thread.SpinWait(i % 5 == 0 ? 3000 : 10);
                    Assert.AreEqual(i * 10, slots[slot], $"item {i} read another item's slot");
                    seconds.Add(i);
                });
            CollectionAssert.AreEqual(Enumerable.Range(0, count).ToArray(), firsts.ToArray());
            CollectionAssert.AreEqual(Enumerable.Range(0, count).ToArray(), seconds.ToArray());
        }
    }

    [TestMethod]
    [DataRow(3)]
    [DataRow(1000)]
    public void WhenNoThreadTakesTheSecondStageTheCallingThreadRunsBoth(int count)
    {
        // A scheduler that holds the second stage back, as a thread pool with every thread busy would.
        var held = new HeldScheduler();
        var pipeline = new TwoStagePipeline(4, held);
        var slots = new int[pipeline.Slots];
        var steps = new List<string>();
        pipeline.Run(
            count,
            (i, slot) =>
            {
                slots[slot] = i * 10;
                steps.Add($"first {i}");
            },
            (i, slot) =>
            {
                Assert.AreEqual(i * 10, slots[slot], $"item {i} read another item's slot");
                steps.Add($"second {i}");
            });
        CollectionAssert.AreEqual(Enumerable.Range(0, count).Select(i => $"first {i}").ToArray(), steps.Where(s => s.StartsWith("first", StringComparison.Ordinal)).ToArray());
        CollectionAssert.AreEqual(Enumerable.Range(0, count).Select(i => $"second {i}").ToArray(), steps.Where(s => s.StartsWith("second", StringComparison.Ordinal)).ToArray());
        for (int i = 0; i < count; i++)
        {
            Assert.IsTrue(steps.IndexOf($"first {i}") < steps.IndexOf($"second {i}"), $"item {i}'s second stage ran before its first");
        }

        // The second stage, let go after the call returned, finds its run taken and does nothing.
        held.RunHeld();
        Assert.AreEqual(2 * count, steps.Count);
    }

    [TestMethod]
    public void AFailureInTheSecondStageStopsBothAndIsRethrown()
    {
        var pipeline = new TwoStagePipeline(4);
        int firsts = 0;
        var e = Assert.ThrowsExactly<InvalidOperationException>(() => pipeline.Run(
            1000,
            (_, _) => firsts++,
            (i, _) =>
            {
                if (i == 10)
                {
                    throw new InvalidOperationException("second stage failed");
                }
            }));
        Assert.AreEqual("second stage failed", e.Message);
        Assert.IsTrue(firsts <= 10 + pipeline.Slots, $"the first stage ran {firsts} items past a failure the ring should have stopped it at");

        // The pipeline runs again after a failure.
        int seconds = 0;
        pipeline.Run(50, (_, _) => { }, (_, _) => seconds++);
        Assert.AreEqual(50, seconds);
    }

    [TestMethod]
    public void AFailureInTheFirstStageStopsBothAndIsRethrown()
    {
        var pipeline = new TwoStagePipeline(4);
        int seconds = 0;
        var e = Assert.ThrowsExactly<ArgumentException>(() => pipeline.Run(
            1000,
            (i, _) =>
            {
                if (i == 20)
                {
                    throw new ArgumentException("first stage failed");
                }
            },
            (_, _) => seconds++));
        Assert.AreEqual("first stage failed", e.Message);
        Assert.AreEqual(20, seconds, "the second stage should finish exactly the items the first stage finished");
    }

    private sealed class HeldScheduler : TaskScheduler
    {
        private readonly List<Task> _tasks = [];

        public void RunHeld()
        {
            foreach (Task task in _tasks.ToArray())
            {
                TryExecuteTask(task);
            }
        }

        protected override IEnumerable<Task> GetScheduledTasks() => _tasks;

        protected override void QueueTask(Task task)
        {
            lock (_tasks)
            {
                _tasks.Add(task);
            }
        }

        protected override bool TryExecuteTaskInline(Task task, bool taskWasPreviouslyQueued) => false;
    }
}
