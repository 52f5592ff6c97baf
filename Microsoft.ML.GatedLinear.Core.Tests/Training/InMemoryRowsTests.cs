using Microsoft.ML.GatedLinear.Data;
using Microsoft.ML.GatedLinear.Numerics;
using Microsoft.ML.GatedLinear.Training;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.GatedLinear.Tests.Training;

[TestClass]
public class InMemoryRowsTests
{
    [TestMethod]
    public void ShuffledPassesRunningAtOnceSeeTheOrdersTheyWouldSeeAlone()
    {
        // An ensemble's models stream the same rows on two cores; each pass's order must follow its own random alone.
        float[] values = [.. Enumerable.Range(0, 5000).Select(i => (float)i)];
        InMemoryRows rows = InMemoryRows.Create(new LabeledData<float>(values, values, 1), 1, 1, (y, _, label) => label[0] = y);
        List<float> Pass(int seed)
        {
            var seen = new List<float>();
            rows.Stream(new SeededRandom(seed), (x, _) => seen.Add(x[0]));
            return seen;
        }

        List<float>[] alone = [.. Enumerable.Range(1, 8).Select(Pass)];
        for (int round = 0; round < 20; round++)
        {
            List<float>[] together = new List<float>[8];
            Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => together[i] = Pass(i + 1));
            for (int i = 0; i < 8; i++)
            {
                CollectionAssert.AreEqual(alone[i], together[i], $"round {round}, seed {i + 1}");
            }
        }
    }
}
