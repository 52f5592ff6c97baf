using Microsoft.ML.GatedLinear.Training;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.GatedLinear.Tests.Training;

[TestClass]
public class LearningRateScheduleTests
{
    [TestMethod]
    public void EachScheduleFollowsItsFormula()
    {
        Assert.AreEqual(0.3, LearningRateSchedule.Constant(0.3).Rate(1000));
        Assert.AreEqual(0.5, LearningRateSchedule.InverseSquareRoot(1.0).Rate(4), 1e-15);
        Assert.AreEqual(0.003, LearningRateSchedule.CappedInverse(1.0, 0.1, 0.003).Rate(10));
        Assert.AreEqual(1.0 / 1001, LearningRateSchedule.CappedInverse(1.0, 0.1, 0.003).Rate(10000), 1e-15);
        Assert.AreEqual(0.01, LearningRateSchedule.CappedHarmonic().Rate(5000));
        Assert.AreEqual(100.0 / 20000, LearningRateSchedule.CappedHarmonic().Rate(20000), 1e-15);
    }

    [TestMethod]
    public void InvalidParametersAreRejected()
    {
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => LearningRateSchedule.Constant(0).Validate());
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => LearningRateSchedule.Constant(double.NaN).Validate());
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => LearningRateSchedule.CappedInverse(1, -1, 1).Validate());
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new LearningRateSchedule((LearningRateScheduleKind)42, 1).Validate());
    }
}
