using Microsoft.ML.GatedLinear.Data;
using Microsoft.ML.GatedLinear.Gaussian;
using Microsoft.ML.GatedLinear.Training;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.GatedLinear.Tests.Gaussian;

[TestClass]
public class GaussianAttributionTests
{
    [TestMethod]
    [DataRow(GaussianBaseModel.FixedWidth, GaussianOutput.TopNeuron)]
    [DataRow(GaussianBaseModel.FixedWidth, GaussianOutput.SwitchingAggregation)]
    [DataRow(GaussianBaseModel.BayesianLinearRegression, GaussianOutput.SwitchingAggregation)]
    public void ContributionsAddUpToThePredictedMean(GaussianBaseModel baseModel, GaussianOutput output)
    {
        LabeledData<float> data = Synthetic.Linear(800, 3, noise: 0.5, seed: 1);
        var model = GaussianGlnRegressor.Create(3, 1, new GaussianGlnOptions { BaseModel = baseModel, Output = output });
        model.Fit(data, new OnlineTrainingOptions { Epochs = 2 });
        for (int i = 0; i < 40; i++)
        {
            MeanAttribution attribution = model.Explain(data.Row(i));
            double mean = model.Predict(data.Row(i)).Mean;
            Assert.AreEqual(mean, attribution.Mean, 1e-3 * (1 + Math.Abs(mean)), $"row {i}");
        }
    }

    [TestMethod]
    public void TheInfluentialFeatureCarriesTheContribution()
    {
        // y = 10 + 3·(1.5·x0 − 0.7·x1 + 1.5·x2 …): moving x0 should move x0's contribution, not x1's.
        LabeledData<float> data = Synthetic.Linear(2000, 2, noise: 0.1, seed: 2);
        var model = GaussianGlnRegressor.Create(2, 1, new GaussianGlnOptions { BaseModel = GaussianBaseModel.BayesianLinearRegression });
        model.Fit(data, new OnlineTrainingOptions { Epochs = 3 });
        MeanAttribution low = model.Explain([-1f, 0f]), high = model.Explain([1f, 0f]);
        Assert.IsTrue(high.Contributions[0] - low.Contributions[0] > 3, $"{low.Contributions[0]} → {high.Contributions[0]}");
        Assert.IsTrue(Math.Abs(high.Contributions[0] - low.Contributions[0]) > 3 * Math.Abs(high.Contributions[1] - low.Contributions[1]));
    }
}
