using System.Buffers.Binary;
using Microsoft.ML.GatedLinear.Data;
using Microsoft.ML.GatedLinear.Gaussian;
using Microsoft.ML.GatedLinear.Persistence;
using Microsoft.ML.GatedLinear.Training;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.GatedLinear.Tests.Gaussian;

/// <summary><see cref="GaussianGlnRegressor.Average"/>: several regressors trained apart, their Gaussians mixed in one.</summary>
[TestClass]
public class GaussianEnsembleTests
{
    private static readonly LabeledData<float> Data = Synthetic.Heteroskedastic(300, seed: 3);

    [TestMethod]
    public void TheAveragePredictsTheEqualMixtureOfTheMembersGaussians()
    {
        // Different shapes too: a network, a wider one and the linear special case.
        GaussianGlnRegressor[] members = [Trained(1, [8, 1]), Trained(2, [16, 4, 1]), Trained(3, [1], contextDimension: 0)];
        GaussianGlnRegressor average = GaussianGlnRegressor.Average(members);

        Assert.AreEqual(3, average.EnsembleSize);
        Assert.AreEqual(0, average.CalibrationRowCount, "members trained without held-out rows leave the average uncalibrated");
        Assert.AreEqual(members.Sum(m => m.NeuronCount), average.NeuronCount);
        for (int i = 0; i < 40; i++)
        {
            double[] means = [.. members.Select(m => m.Predict(Data.Row(i)).Mean)];
            double mean = means.Average();
            double variance = members.Select((m, j) => m.Predict(Data.Row(i)).Variance + (means[j] - mean) * (means[j] - mean)).Average();
            GaussianPrediction predicted = average.Predict(Data.Row(i));
            Assert.AreEqual(mean, predicted.Mean, 1e-9 * Math.Abs(mean) + 1e-12, $"row {i}");
            Assert.AreEqual(variance, predicted.Variance, 1e-9 * variance, $"row {i}");
        }

        Assert.IsTrue(Enumerable.Range(0, 40).Any(i => members[0].Predict(Data.Row(i)).Mean != average.Predict(Data.Row(i)).Mean), "the members disagree somewhere");
    }

    [TestMethod]
    public void TheAverageExplainsItselfExactly()
    {
        GaussianGlnRegressor average = GaussianGlnRegressor.Average([Trained(4, [8, 1]), Trained(5, [8, 8, 1])]);
        for (int i = 0; i < 20; i++)
        {
            MeanAttribution attribution = average.Explain(Data.Row(i));
            Assert.AreEqual(average.Predict(Data.Row(i)).Mean, attribution.Mean, 1e-4, $"row {i}");
        }
    }

    [TestMethod]
    public void TheAverageIsACopyThatLearnsOnAndSurvivesSaving()
    {
        GaussianGlnRegressor[] members = [Trained(6, [8, 1]), Trained(7, [8, 1])];
        byte[] before = ModelBytes.Of(members[0]);
        GaussianGlnRegressor average = GaussianGlnRegressor.Average(members);

        GaussianGlnRegressor loaded = ModelBytes.RoundTrip(average);
        Assert.AreEqual(2, loaded.EnsembleSize);
        CollectionAssert.AreEqual(ModelBytes.Of(average), ModelBytes.Of(loaded), "saved and loaded, the same model");

        // Learning on learns every member as it would alone, and leaves the models it was made from as they were.
        GaussianGlnRegressor[] alone = [.. members.Select(ModelBytes.RoundTrip)];
        LabeledData<float> more = Synthetic.Heteroskedastic(50, seed: 9);
        for (int i = 0; i < more.RowCount; i++)
        {
            average.Learn(more.Row(i), more.Labels[i]);
            foreach (GaussianGlnRegressor member in alone)
            {
                member.Learn(more.Row(i), more.Labels[i]);
            }
        }

        CollectionAssert.AreEqual(ModelBytes.Of(GaussianGlnRegressor.Average(alone)), ModelBytes.Of(average));
        CollectionAssert.AreEqual(before, ModelBytes.Of(members[0]));
    }

    [TestMethod]
    public void MembersCalibratedOnTheSameHeldOutRowsCalibrateTheAverage()
    {
        // One training seed (which rows are held out, and the calibration halves), hyperplanes of their own.
        var training = new OnlineTrainingOptions { Epochs = 8, ValidationFraction = 0.3, Seed = 11 };
        GaussianGlnRegressor[] members = [Trained(1, [8, 1], training: training), Trained(2, [8, 1], training: training)];
        Assert.IsTrue(members[0].CalibrationRowCount > 0);
        GaussianGlnRegressor average = GaussianGlnRegressor.Average(members);
        Assert.AreEqual(members[0].CalibrationRowCount, average.CalibrationRowCount);

        // The calibration scales the mixture of the members' own (uncalibrated) Gaussians by one factor, as a single model's does.
        double scale = average.Calibration!.VarianceScale(0);
        for (int i = 0; i < 20; i++)
        {
            GaussianPrediction[] own = [.. members.Select(m => m.Predict(Data.Row(i)))];
            double mean = own.Average(p => p.Mean);
            double mixture = own.Select((p, j) => p.Variance / members[j].Calibration!.VarianceScale(0) + (p.Mean - mean) * (p.Mean - mean)).Average();
            Assert.AreEqual(mixture * scale, average.Predict(Data.Row(i)).Variance, 1e-9 * mixture * scale, $"row {i}");
        }

    }

    [TestMethod]
    public void MembersCalibratedOnOtherRowsCalibrateTheAverageOnAllOfThem()
    {
        // Other training seeds hold out other rows: nothing to mix row by row, so each member's own predictions of its
        // rows are pooled, and the variance scale is the mean of (y − μ)²/σ² over all of them.
        GaussianGlnRegressor[] apart = [Trained(1, [8, 1], training: new OnlineTrainingOptions { Epochs = 8, ValidationFraction = 0.3, Seed = 11 }), Trained(2, [8, 1], training: new OnlineTrainingOptions { Epochs = 8, ValidationFraction = 0.3, Seed = 12 })];
        GaussianGlnRegressor average = GaussianGlnRegressor.Average(apart);
        Assert.AreEqual(apart.Sum(m => m.CalibrationRowCount), average.CalibrationRowCount);
        double pooled = apart.Sum(m => m.CalibrationRowCount * m.Calibration!.VarianceScale(0)) / average.CalibrationRowCount;
        Assert.AreEqual(pooled, average.Calibration!.VarianceScale(0), 1e-12 * pooled);

        // A member without held-out rows adds none; with none at all the average is uncalibrated.
        Assert.AreEqual(apart[0].CalibrationRowCount, GaussianGlnRegressor.Average([apart[0], Trained(3, [8, 1])]).CalibrationRowCount);
        Assert.AreEqual(0, GaussianGlnRegressor.Average([Trained(3, [8, 1]), Trained(4, [8, 1])]).CalibrationRowCount);
    }

    [TestMethod]
    public void AveragesOfTheWrongModelsAreRefused()
    {
        GaussianGlnRegressor one = Trained(1, [4, 1]);
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => GaussianGlnRegressor.Average([])).Message, "1 to 64");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => GaussianGlnRegressor.Average(Enumerable.Repeat(one, 65).ToList())).Message, "1 to 64");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => GaussianGlnRegressor.Average([GaussianGlnRegressor.Average([one, one]), one])).Message, "already averages");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => GaussianGlnRegressor.Average([one, GaussianGlnRegressor.Create(2)])).Message, "feature count");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => GaussianGlnRegressor.Average([one, GaussianGlnRegressor.Create(1, 2)])).Message, "target dimension");
    }

    [TestMethod]
    public void ASnapshotIsAnExactCopy()
    {
        // Early stopping copies the model directly, not through its file: the copy must be the same model.
        GaussianGlnRegressor[] models = [Trained(8, [8, 8, 1]), GaussianGlnRegressor.Average([Trained(8, [8, 1]), Trained(9, [4, 1])])];
        foreach (GaussianGlnRegressor model in models)
        {
            var snapshot = (GaussianGlnRegressor)((IEarlyStoppable)model).Snapshot(null);
            CollectionAssert.AreEqual(ModelBytes.Of(model), ModelBytes.Of(snapshot));
            model.Learn(Data.Row(0), Data.Labels[0]);
            CollectionAssert.AreNotEqual(ModelBytes.Of(model), ModelBytes.Of(snapshot), "the copy has state of its own");
            ((IEarlyStoppable)model).Restore(snapshot);
            CollectionAssert.AreEqual(ModelBytes.Of(snapshot), ModelBytes.Of(model));
        }
    }

    [TestMethod]
    public void OlderFilesReadAsOneModelAndACountTheFileDoesNotHoldFails()
    {
        GaussianGlnRegressor model = Trained(1, [4, 1]);
        byte[] payload = ModelFile.Read(new MemoryStream(ModelBytes.Of(model)), ModelKind.GaussianGlnRegressor);
        // Format version 5 appended the count of models averaged with the first (0 for a single model).
        Assert.AreEqual(0, BinaryPrimitives.ReadInt32LittleEndian(payload.AsSpan(payload.Length - sizeof(int))));
        GaussianGlnRegressor loaded = GaussianGlnRegressor.Load(new MemoryStream(File(payload[..^sizeof(int)], version: 4)));
        Assert.AreEqual(1, loaded.EnsembleSize);
        CollectionAssert.AreEqual(ModelBytes.Of(model), ModelBytes.Of(loaded), "read as version 4, saved as the current version: the same model");

        BinaryPrimitives.WriteInt32LittleEndian(payload.AsSpan(payload.Length - sizeof(int)), 1);
        StringAssert.Contains(Assert.ThrowsExactly<ModelFormatException>(() => GaussianGlnRegressor.Load(new MemoryStream(File(payload, ModelFile.FormatVersion)))).Message, "truncated");
        BinaryPrimitives.WriteInt32LittleEndian(payload.AsSpan(payload.Length - sizeof(int)), GaussianGlnRegressor.MaxEnsembleSize);
        StringAssert.Contains(Assert.ThrowsExactly<ModelFormatException>(() => GaussianGlnRegressor.Load(new MemoryStream(File(payload, ModelFile.FormatVersion)))).Message, "ensemble size");
    }

    private static byte[] File(byte[] payload, ushort version)
    {
        using var stream = new MemoryStream();
        ModelFile.Write(stream, ModelKind.GaussianGlnRegressor, payload);
        byte[] file = stream.ToArray();
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(8), version);
        return file;
    }

    private static GaussianGlnRegressor Trained(int seed, int[] layers, int contextDimension = 2, OnlineTrainingOptions? training = null)
    {
        var model = GaussianGlnRegressor.Create(1, 1, new GaussianGlnOptions { LayerSizes = layers, ContextDimension = contextDimension, Seed = seed, WeightAveragingHorizon = 10 });
        model.Fit(Data, training ?? new OnlineTrainingOptions { Epochs = 2, ValidationFraction = 0, Seed = seed });
        return model;
    }
}
