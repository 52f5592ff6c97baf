using Microsoft.ML.GatedLinear.Gon.Autodiff;
using Microsoft.ML.GatedLinear.Numerics;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.GatedLinear.Tests.Gon;

[TestClass]
public class AutodiffTests
{
    private static readonly Variable Other = Variable.Leaf(3, 2, [0.5f, -1f, 2f, 0.3f, -0.7f, 1.1f]);
    private static readonly Variable Left = Variable.Leaf(2, 2, [0.4f, -0.9f, 1.3f, 0.2f]);
    private static readonly Variable Wide = Variable.Leaf(2, 3, [0.7f, -0.2f, 1.5f, -1.1f, 0.6f, 0.25f]);

    /// <summary>Each case: an operation applied to x (rows × columns), and whether x must be positive (log, 1/x) or a probability.</summary>
    private static readonly Dictionary<string, (Func<Variable, Variable> Op, int Rows, int Columns, string Domain)> Cases = new()
    {
        ["MatMul (x·B)"] = (x => Ops.MatMul(x, Other), 2, 3, "any"),
        ["MatMul (A·x)"] = (x => Ops.MatMul(Left, x), 2, 3, "any"),
        ["MatMulTransposedA (xᵀ·B)"] = (x => Ops.MatMulTransposedA(x, Left), 2, 3, "any"),
        ["MatMulTransposedA (Aᵀ·x)"] = (x => Ops.MatMulTransposedA(Left, x), 2, 3, "any"),
        ["MatMulTransposedB (x·Bᵀ)"] = (x => Ops.MatMulTransposedB(x, Wide), 2, 3, "any"),
        ["MatMulTransposedB (A·xᵀ)"] = (x => Ops.MatMulTransposedB(Wide, x), 2, 3, "any"),
        ["Add"] = (x => Ops.Add(x, Ops.Scale(x, 2)), 2, 3, "any"),
        ["Subtract"] = (x => Ops.Subtract(Variable.Filled(2, 3, 1f), x), 2, 3, "any"),
        ["Multiply"] = (x => Ops.Multiply(x, Ops.Sin(x)), 2, 3, "any"),
        ["Scale"] = (x => Ops.Scale(x, -1.7f), 2, 3, "any"),
        ["AddScalar"] = (x => Ops.AddScalar(x, 0.4f), 2, 3, "any"),
        ["AddRow (bias)"] = (x => Ops.AddRow(Variable.Leaf(2, 3, [1, 2, 3, 4, 5, 6]), x), 1, 3, "any"),
        ["AddRow (matrix)"] = (x => Ops.AddRow(x, Variable.Leaf(1, 3, [0.1f, 0.2f, 0.3f])), 2, 3, "any"),
        ["Exp"] = (Ops.Exp, 2, 3, "any"),
        ["Log"] = (Ops.Log, 2, 3, "positive"),
        ["Reciprocal"] = (Ops.Reciprocal, 2, 3, "positive"),
        ["Sin"] = (Ops.Sin, 2, 3, "any"),
        ["Cos"] = (Ops.Cos, 2, 3, "any"),
        ["Tanh"] = (Ops.Tanh, 2, 3, "any"),
        ["Sigmoid"] = (Ops.Sigmoid, 2, 3, "any"),
        ["Elu"] = (Ops.Elu, 2, 3, "away from 0"),
        ["Sum"] = (Ops.Sum, 2, 3, "any"),
        ["Broadcast"] = (x => Ops.Broadcast(x, 2, 3), 1, 1, "any"),
        ["SumRows"] = (Ops.SumRows, 2, 3, "any"),
        ["BroadcastRows"] = (x => Ops.BroadcastRows(x, 3), 1, 3, "any"),
        ["ConcatColumns"] = (x => Ops.ConcatColumns(x, Ops.Exp(x)), 2, 3, "any"),
        ["SliceColumns"] = (x => Ops.SliceColumns(x, 1, 2), 2, 3, "any"),
        ["PadColumns"] = (x => Ops.PadColumns(x, 1, 5), 2, 3, "any"),
        ["RepeatRows"] = (x => Ops.RepeatRows(x, 3), 2, 3, "any"),
        ["SumRowGroups"] = (x => Ops.SumRowGroups(x, 2), 4, 3, "any"),
        ["Reshape"] = (x => Ops.Multiply(Ops.Reshape(x, 3, 2), Ops.Reshape(Ops.Sin(x), 3, 2)), 2, 3, "any"),
        ["SquaredError"] = (x => Ops.SquaredError(Ops.Tanh(x), Variable.Filled(2, 3, 0.2f)), 2, 3, "any"),
        ["BinaryCrossEntropy"] = (x => Ops.BinaryCrossEntropy(x, Variable.Leaf(2, 3, [1, 0, 1, 0, 0, 1])), 2, 3, "probability"),
    };

    public static IEnumerable<object[]> Names => Cases.Keys.Select(k => new object[] { k });

    private static float[] Point(int count, string domain, SeededRandom random) => Enumerable.Range(0, count).Select(_ =>
    {
        double u = random.NextDouble();
        return (float)(domain switch
        {
            "positive" => 0.5 + 1.5 * u,
            "probability" => 0.2 + 0.6 * u,
            "away from 0" => (u < 0.5 ? -1 : 1) * (0.3 + u),
            _ => 2 * u - 1,
        });
    }).ToArray();

    // s(x) = Σ op(x)² ⊙ W: squaring makes even linear operations have a non-zero Hessian.
    private static Variable Scalar(Func<Variable, Variable> op, Variable x, Variable? weights)
    {
        Variable y = op(x);
        weights ??= Variable.Filled(y.Rows, y.Columns, 1f);
        return Ops.Sum(Ops.Multiply(Ops.Multiply(y, y), weights));
    }

    [TestMethod]
    [DynamicData(nameof(Names))]
    public void FirstAndSecondDerivativesMatchFiniteDifferences(string name)
    {
        (Func<Variable, Variable> op, int rows, int columns, string domain) = Cases[name];
        var random = new SeededRandom(name.Length);
        float[] point = Point(rows * columns, domain, random);
        Variable probe = op(Variable.Leaf(rows, columns, point));
        Variable weights = Variable.Leaf(probe.Rows, probe.Columns, Point(probe.Rows * probe.Columns, "any", random));
        float[] direction = Point(rows * columns, "any", random);

        float[] Gradient(float[] at, out Variable x, out Variable g, bool createGraph)
        {
            x = Variable.Leaf(rows, columns, at, requiresGradient: true);
            g = Graph.Gradients(Scalar(op, x, weights), [x], createGraph)[0];
            return g.Value;
        }

        float[] gradient = Gradient(point, out Variable x0, out Variable g0, createGraph: true);
        const float h = 1e-2f;
        for (int i = 0; i < point.Length; i++)
        {
            float[] up = (float[])point.Clone(), down = (float[])point.Clone();
            up[i] += h;
            down[i] -= h;
            double numeric = (Scalar(op, Variable.Leaf(rows, columns, up), weights).Scalar - Scalar(op, Variable.Leaf(rows, columns, down), weights).Scalar) / (2.0 * h);
            Assert.AreEqual(numeric, gradient[i], 2e-2 * (1 + Math.Abs(numeric)), $"{name}: ∂s/∂x[{i}]");
        }

        // Second order: H·v = ∂(∇s·v)/∂x, against (∇s(x + εv) − ∇s(x − εv)) / 2ε.
        float[] hessianVector = Graph.Gradients(Ops.Sum(Ops.Multiply(g0, Variable.Leaf(rows, columns, direction))), [x0])[0].Value;
        float[] plus = Gradient(point.Select((p, i) => p + h * direction[i]).ToArray(), out _, out _, false);
        float[] minus = Gradient(point.Select((p, i) => p - h * direction[i]).ToArray(), out _, out _, false);
        for (int i = 0; i < point.Length; i++)
        {
            double numeric = (plus[i] - minus[i]) / (2.0 * h);
            Assert.AreEqual(numeric, hessianVector[i], 3e-2 * (1 + Math.Abs(numeric)), $"{name}: (H·v)[{i}]");
        }
    }

    [TestMethod]
    public void DetachStopsGradients()
    {
        var x = Variable.Leaf(1, 2, [1f, 2f], requiresGradient: true);
        Variable s = Ops.Sum(Ops.Multiply(x, x.Detach()));
        CollectionAssert.AreEqual(new[] { 1f, 2f }, Graph.Gradients(s, [x])[0].Value, "d/dx Σ x·stop(x) = stop(x)");
    }

    [TestMethod]
    public void GradientsWithoutCreateGraphAreConstants()
    {
        var x = Variable.Leaf(1, 1, [0.3f], requiresGradient: true);
        Variable g = Graph.Gradients(Ops.Sum(Ops.Sin(x)), [x])[0];
        Assert.IsFalse(g.RequiresGradient);
        Assert.IsTrue(Graph.Gradients(Ops.Sum(Ops.Sin(x)), [x], createGraph: true)[0].RequiresGradient);
    }
}
