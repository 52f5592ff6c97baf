using Microsoft.ML.Trainers.GatedLinear;
using Microsoft.ML.Data;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.GatedLinear.Tests;

[TestClass]
public class SchemaShapeColumnsTests
{
    [TestMethod]
    public void TheInternalConstructorIsReachable()
    {
        SchemaShape.Column score = SchemaShapeColumns.Vector("Score", NumberDataViewType.Single);
        Assert.AreEqual("Score", score.Name);
        Assert.AreEqual(SchemaShape.Column.VectorKind.Vector, score.Kind);
        SchemaShape.Column key = SchemaShapeColumns.Key("PredictedLabel", NumberDataViewType.UInt32, new SchemaShape([]));
        Assert.IsTrue(key.IsKey);
    }

    [TestMethod]
    public void AnEstimatorChainSeesThePredictionColumns()
    {
        var ml = new MLContext(seed: 1);
        var input = new SchemaShape([SchemaShapeColumns.Scalar("Label", TextDataViewType.Instance), SchemaShapeColumns.Vector("Features", NumberDataViewType.Single)]);
        var chain = ml.Transforms.Conversion.MapValueToKey("Label").Append(ml.MulticlassClassification.Trainers.GatedLinearClassification());
        SchemaShape shape = chain.GetOutputSchema(input);
        SchemaShape.Column predicted = shape.Single(c => c.Name == "PredictedLabel");
        Assert.IsTrue(predicted.IsKey);
        Assert.AreEqual(SchemaShape.Column.VectorKind.Vector, shape.Single(c => c.Name == "Score").Kind);
    }
}
