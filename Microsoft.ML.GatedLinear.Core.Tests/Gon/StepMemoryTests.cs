using Microsoft.ML.GatedLinear.Gon.Autodiff;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.GatedLinear.Tests.Gon;

[TestClass]
public class StepMemoryTests
{
    [TestMethod]
    public void AStepReusesTheArraysOfTheStepBeforeAndZeroesThoseRentedZeroed()
    {
        var memory = new StepMemory();
        float[] first, overwritten;
        using (memory.Open())
        {
            first = StepMemory.Rent(5);
            overwritten = StepMemory.RentForOverwrite(5);
            first.AsSpan().Fill(3);
            overwritten.AsSpan().Fill(4);
        }

        using (memory.Open())
        {
            float[] again = StepMemory.Rent(5);
            float[] another = StepMemory.Rent(5);
            Assert.IsTrue(ReferenceEquals(again, overwritten) || ReferenceEquals(again, first), "a returned array of the same length is reused");
            Assert.IsTrue(ReferenceEquals(another, overwritten) || ReferenceEquals(another, first));
            Assert.IsTrue(again.All(v => v == 0) && another.All(v => v == 0), "rented zeroed, whatever the last step left in it");
            Assert.AreNotSame(again, StepMemory.Rent(6), "another length is another array");
            Assert.ThrowsExactly<InvalidOperationException>(() => memory.Open(), "steps do not nest");
        }

        Assert.AreNotSame(first, StepMemory.Rent(5), "outside a step every rent is a new array");
    }

    [TestMethod]
    public void AnArrayRentedInOneStepIsNotHandedOutTwiceInTheNext()
    {
        var memory = new StepMemory();
        using (memory.Open())
        {
            StepMemory.RentForOverwrite(8);
            StepMemory.RentForOverwrite(8);
        }

        using (memory.Open())
        {
            float[][] rented = Enumerable.Range(0, 3).Select(_ => StepMemory.RentForOverwrite(8)).ToArray();
            Assert.AreEqual(3, rented.Distinct().Count(), "two reused and one new, all distinct");
        }
    }
}
