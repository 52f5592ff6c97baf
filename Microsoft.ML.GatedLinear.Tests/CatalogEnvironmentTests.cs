using Microsoft.ML.Trainers.GatedLinear;
using Microsoft.ML.Runtime;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.GatedLinear.Tests;

[TestClass]
public class CatalogEnvironmentTests
{
    [TestMethod]
    public void EveryCatalogTheTrainersExtendLeadsBackToTheMLContextsLog()
    {
        var ml = new MLContext(seed: 1);
        var messages = new List<string>();
        ml.Log += (_, e) => messages.Add(e.Message);
        object[] catalogs = [ml.Regression.Trainers, ml.BinaryClassification.Trainers, ml.MulticlassClassification.Trainers, ml.Transforms];
        foreach (object catalog in catalogs)
        {
            IHostEnvironment environment = CatalogEnvironment.Get(catalog);
            using IChannel channel = environment.Register("MLGated").Start("probe");
            channel.Info(MessageSensitivity.None, $"hello from {catalog.GetType().Name}");
        }

        foreach (object catalog in catalogs)
        {
            Assert.IsTrue(messages.Any(m => m.Contains($"hello from {catalog.GetType().Name}")), catalog.GetType().Name);
        }
    }

    [TestMethod]
    public void TheEnvironmentCarriesTheMLContextsSeed()
    {
        int Draw(int seed) => CatalogEnvironment.Get(new MLContext(seed).Regression.Trainers).Register("MLGated").Rand.Next();
        Assert.AreEqual(Draw(1), Draw(1));
        Assert.AreNotEqual(Draw(1), Draw(2));
    }

    [TestMethod]
    public void AnObjectThatIsNotACatalogIsRejectedClearly()
    {
        var e = Assert.ThrowsExactly<InvalidOperationException>(() => CatalogEnvironment.Get(new object()));
        StringAssert.Contains(e.Message, "IInternalCatalog");
    }
}
