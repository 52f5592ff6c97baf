using System.Numerics.Tensors;
using Microsoft.ML.GatedLinear.Numerics;

namespace Microsoft.ML.GatedLinear.Gon.Autodiff;

/// <summary>
/// Differentiable matrix operations. Each backward rule is written with these same operations, so when gradients
/// are computed with <c>createGraph</c> they are recorded too and can be differentiated again.
/// </summary>
internal static class Ops
{
    private static Variable Make(int rows, int columns, float[] value, Variable[] parents, BackwardRule backward)
    {
        bool requires = Graph.Recording && parents.Any(p => p.RequiresGradient);
        return requires ? new Variable(rows, columns, value, true, parents, backward) : new Variable(rows, columns, value, false);
    }

    private static void SameShape(Variable a, Variable b, string op)
    {
        if (a.Rows != b.Rows || a.Columns != b.Columns)
        {
            throw new ArgumentException($"{op}: shapes {a.Rows}×{a.Columns} and {b.Rows}×{b.Columns} differ.");
        }
    }

    /// <summary>a·b.</summary>
    public static Variable MatMul(Variable a, Variable b)
    {
        if (a.Columns != b.Rows)
        {
            throw new ArgumentException($"MatMul: {a.Rows}×{a.Columns} · {b.Rows}×{b.Columns}.");
        }

        float[] y = Product(a, b, a.Rows, a.Columns, b.Columns, ProductLayout.Plain);
        return Make(a.Rows, b.Columns, y, [a, b], (g, need) => [need[0] ? MatMulTransposedB(g, b) : null, need[1] ? MatMulTransposedA(a, g) : null]);
    }

    /// <summary>aᵀ·b, without forming aᵀ.</summary>
    public static Variable MatMulTransposedA(Variable a, Variable b)
    {
        if (a.Rows != b.Rows)
        {
            throw new ArgumentException($"MatMulTransposedA: ({a.Rows}×{a.Columns})ᵀ · {b.Rows}×{b.Columns}.");
        }

        float[] y = Product(a, b, a.Columns, a.Rows, b.Columns, ProductLayout.TransposeA);
        return Make(a.Columns, b.Columns, y, [a, b], (g, need) => [need[0] ? MatMulTransposedB(b, g) : null, need[1] ? MatMul(a, g) : null]);
    }

    /// <summary>a·bᵀ, without forming bᵀ.</summary>
    public static Variable MatMulTransposedB(Variable a, Variable b)
    {
        if (a.Columns != b.Columns)
        {
            throw new ArgumentException($"MatMulTransposedB: {a.Rows}×{a.Columns} · ({b.Rows}×{b.Columns})ᵀ.");
        }

        float[] y = Product(a, b, a.Rows, a.Columns, b.Rows, ProductLayout.TransposeB);
        return Make(a.Rows, b.Rows, y, [a, b], (g, need) => [need[0] ? MatMul(g, b) : null, need[1] ? MatMulTransposedA(g, a) : null]);
    }

    private static float[] Product(Variable a, Variable b, int rows, int inner, int columns, ProductLayout layout)
    {
        var y = StepMemory.RentForOverwrite(rows * columns);
        MatrixProduct.Multiply(a.Value, b.Value, y, rows, inner, columns, layout);
        return y;
    }

    /// <summary>a + b (same shape).</summary>
    public static Variable Add(Variable a, Variable b)
    {
        SameShape(a, b, "Add");
        var y = StepMemory.RentForOverwrite(a.Value.Length);
        TensorPrimitives.Add(a.Value, b.Value, y);
        return Make(a.Rows, a.Columns, y, [a, b], (g, _) => [g, g]);
    }

    /// <summary>a − b (same shape).</summary>
    public static Variable Subtract(Variable a, Variable b)
    {
        SameShape(a, b, "Subtract");
        var y = StepMemory.RentForOverwrite(a.Value.Length);
        TensorPrimitives.Subtract(a.Value, b.Value, y);
        return Make(a.Rows, a.Columns, y, [a, b], (g, need) => [g, need[1] ? Scale(g, -1) : null]);
    }

    /// <summary>a ⊙ b, elementwise.</summary>
    public static Variable Multiply(Variable a, Variable b)
    {
        SameShape(a, b, "Multiply");
        var y = StepMemory.RentForOverwrite(a.Value.Length);
        TensorPrimitives.Multiply(a.Value, b.Value, y);
        return Make(a.Rows, a.Columns, y, [a, b], (g, need) => [need[0] ? Multiply(g, b) : null, need[1] ? Multiply(g, a) : null]);
    }

    /// <summary>c·a.</summary>
    public static Variable Scale(Variable a, float c)
    {
        var y = StepMemory.RentForOverwrite(a.Value.Length);
        TensorPrimitives.Multiply(a.Value, c, y);
        return Make(a.Rows, a.Columns, y, [a], (g, _) => [Scale(g, c)]);
    }

    /// <summary>a + c for every entry.</summary>
    public static Variable AddScalar(Variable a, float c)
    {
        var y = StepMemory.RentForOverwrite(a.Value.Length);
        TensorPrimitives.Add(a.Value, c, y);
        return Make(a.Rows, a.Columns, y, [a], (g, _) => [g]);
    }

    /// <summary>a [m×n] + b [1×n] added to every row (a bias).</summary>
    public static Variable AddRow(Variable a, Variable b)
    {
        if (b.Rows != 1 || b.Columns != a.Columns)
        {
            throw new ArgumentException($"AddRow: a row of {b.Rows}×{b.Columns} cannot be added to {a.Rows}×{a.Columns}.");
        }

        var y = StepMemory.RentForOverwrite(a.Value.Length);
        for (int i = 0; i < a.Rows; i++)
        {
            TensorPrimitives.Add(a.Value.AsSpan(i * a.Columns, a.Columns), b.Value, y.AsSpan(i * a.Columns, a.Columns));
        }

        return Make(a.Rows, a.Columns, y, [a, b], (g, need) => [g, need[1] ? SumRows(g) : null]);
    }

    /// <summary>eᵃ.</summary>
    public static Variable Exp(Variable a) => Elementwise(a, TensorPrimitives.Exp, (g, y) => Multiply(g, y));

    /// <summary>log a.</summary>
    public static Variable Log(Variable a) => Elementwise(a, TensorPrimitives.Log, (g, _) => Multiply(g, Reciprocal(a)));

    /// <summary>1 / a.</summary>
    public static Variable Reciprocal(Variable a) => Elementwise(a, TensorPrimitives.Reciprocal, (g, y) => Scale(Multiply(g, Multiply(y, y)), -1));

    /// <summary>sin a.</summary>
    public static Variable Sin(Variable a) => Elementwise(a, TensorPrimitives.Sin, (g, _) => Multiply(g, Cos(a)));

    /// <summary>cos a.</summary>
    public static Variable Cos(Variable a) => Elementwise(a, TensorPrimitives.Cos, (g, _) => Scale(Multiply(g, Sin(a)), -1));

    /// <summary>tanh a.</summary>
    public static Variable Tanh(Variable a) => Elementwise(a, TensorPrimitives.Tanh, (g, y) => Multiply(g, AddScalar(Scale(Multiply(y, y), -1), 1)));

    /// <summary>σ(a) = 1 / (1 + e^−a).</summary>
    public static Variable Sigmoid(Variable a) => Elementwise(a, TensorPrimitives.Sigmoid, (g, y) => Multiply(g, Multiply(y, AddScalar(Scale(y, -1), 1))));

    private delegate void Kernel(ReadOnlySpan<float> x, Span<float> y);

    // y = f(a) elementwise; the backward rule gets the output y too, since the derivatives of eᵃ, 1/a, tanh and σ are
    // cheapest written in terms of it.
    private static Variable Elementwise(Variable a, Kernel kernel, Func<Variable, Variable, Variable> backward)
    {
        var y = StepMemory.RentForOverwrite(a.Value.Length);
        kernel(a.Value, y);
        Variable result = null!;
        result = Make(a.Rows, a.Columns, y, [a], (g, _) => [backward(g, result)]);
        return result;
    }

    /// <summary>ELU: a if a &gt; 0, else eᵃ − 1. Its derivative, 1 or eᵃ, is built from Exp, so it differentiates again.</summary>
    public static Variable Elu(Variable a)
    {
        var y = StepMemory.RentForOverwrite(a.Value.Length);
        var positive = StepMemory.RentForOverwrite(a.Value.Length);
        var nonPositive = StepMemory.RentForOverwrite(a.Value.Length);
        for (int i = 0; i < y.Length; i++)
        {
            float v = a.Value[i];
            positive[i] = v > 0 ? 1f : 0f;
            nonPositive[i] = v > 0 ? 0f : 1f;
            y[i] = v > 0 ? v : MathF.Exp(v) - 1;
        }

        var mask = new Variable(a.Rows, a.Columns, positive, false);
        var negative = new Variable(a.Rows, a.Columns, nonPositive, false);
        return Make(a.Rows, a.Columns, y, [a], (g, _) => [Multiply(g, Add(mask, Multiply(negative, Exp(a))))]);
    }

    /// <summary>The sum of all entries (1×1).</summary>
    public static Variable Sum(Variable a)
        => Make(1, 1, [TensorPrimitives.Sum<float>(a.Value)], [a], (g, _) => [Broadcast(g, a.Rows, a.Columns)]);

    /// <summary>A 1×1 variable repeated into an m×n matrix.</summary>
    public static Variable Broadcast(Variable scalar, int rows, int columns)
    {
        var y = StepMemory.RentForOverwrite(rows * columns);
        y.AsSpan().Fill(scalar.Scalar);
        return Make(rows, columns, y, [scalar], (g, _) => [Sum(g)]);
    }

    /// <summary>Column sums of a [m×n]: a 1×n row.</summary>
    public static Variable SumRows(Variable a)
    {
        var y = StepMemory.Rent(a.Columns);
        for (int i = 0; i < a.Rows; i++)
        {
            TensorPrimitives.Add(y, a.Value.AsSpan(i * a.Columns, a.Columns), y);
        }

        return Make(1, a.Columns, y, [a], (g, _) => [BroadcastRows(g, a.Rows)]);
    }

    /// <summary>A 1×n row repeated into m rows.</summary>
    public static Variable BroadcastRows(Variable row, int rows)
    {
        var y = StepMemory.Rent(rows * row.Columns);
        for (int i = 0; i < rows; i++)
        {
            row.Value.CopyTo(y, i * row.Columns);
        }

        return Make(rows, row.Columns, y, [row], (g, _) => [SumRows(g)]);
    }

    /// <summary>[a, b] side by side (same number of rows).</summary>
    public static Variable ConcatColumns(Variable a, Variable b)
    {
        if (a.Rows != b.Rows)
        {
            throw new ArgumentException($"ConcatColumns: {a.Rows} and {b.Rows} rows.");
        }

        int columns = a.Columns + b.Columns;
        var y = StepMemory.Rent(a.Rows * columns);
        for (int i = 0; i < a.Rows; i++)
        {
            a.Value.AsSpan(i * a.Columns, a.Columns).CopyTo(y.AsSpan(i * columns));
            b.Value.AsSpan(i * b.Columns, b.Columns).CopyTo(y.AsSpan(i * columns + a.Columns));
        }

        return Make(a.Rows, columns, y, [a, b], (g, need) => [need[0] ? SliceColumns(g, 0, a.Columns) : null, need[1] ? SliceColumns(g, a.Columns, b.Columns) : null]);
    }

    /// <summary>Columns [start, start + count) of a.</summary>
    public static Variable SliceColumns(Variable a, int start, int count)
    {
        var y = StepMemory.Rent(a.Rows * count);
        for (int i = 0; i < a.Rows; i++)
        {
            a.Value.AsSpan(i * a.Columns + start, count).CopyTo(y.AsSpan(i * count));
        }

        return Make(a.Rows, count, y, [a], (g, _) => [PadColumns(g, start, a.Columns)]);
    }

    /// <summary>a placed at column <paramref name="start"/> of a zero matrix with <paramref name="columns"/> columns.</summary>
    public static Variable PadColumns(Variable a, int start, int columns)
    {
        var y = StepMemory.Rent(a.Rows * columns);
        for (int i = 0; i < a.Rows; i++)
        {
            a.Value.AsSpan(i * a.Columns, a.Columns).CopyTo(y.AsSpan(i * columns + start));
        }

        return Make(a.Rows, columns, y, [a], (g, _) => [SliceColumns(g, start, a.Columns)]);
    }

    /// <summary>Each row of a [m×n] repeated <paramref name="times"/> times in a row: [m·times × n].</summary>
    public static Variable RepeatRows(Variable a, int times)
    {
        var y = StepMemory.Rent(a.Value.Length * times);
        for (int i = 0; i < a.Rows; i++)
        {
            for (int t = 0; t < times; t++)
            {
                a.Value.AsSpan(i * a.Columns, a.Columns).CopyTo(y.AsSpan((i * times + t) * a.Columns));
            }
        }

        return Make(a.Rows * times, a.Columns, y, [a], (g, _) => [SumRowGroups(g, times)]);
    }

    /// <summary>Sums of consecutive groups of <paramref name="size"/> rows: [m×n] → [m/size × n].</summary>
    public static Variable SumRowGroups(Variable a, int size)
    {
        if (a.Rows % size != 0)
        {
            throw new ArgumentException($"SumRowGroups: {a.Rows} rows do not make groups of {size}.");
        }

        int groups = a.Rows / size;
        var y = StepMemory.Rent(groups * a.Columns);
        for (int i = 0; i < a.Rows; i++)
        {
            TensorPrimitives.Add(y.AsSpan(i / size * a.Columns, a.Columns), a.Value.AsSpan(i * a.Columns, a.Columns), y.AsSpan(i / size * a.Columns, a.Columns));
        }

        return Make(groups, a.Columns, y, [a], (g, _) => [RepeatRows(g, size)]);
    }

    /// <summary>The same values, row-major, read as a rows × columns matrix.</summary>
    public static Variable Reshape(Variable a, int rows, int columns)
    {
        if (rows * columns != a.Value.Length)
        {
            throw new ArgumentException($"Reshape: {a.Rows}×{a.Columns} cannot become {rows}×{columns}.");
        }

        return Make(rows, columns, Copy(a.Value), [a], (g, _) => [Reshape(g, a.Rows, a.Columns)]);
    }

    /// <summary>Σ (prediction − target)².</summary>
    public static Variable SquaredError(Variable prediction, Variable target)
    {
        Variable difference = Subtract(prediction, target);
        return Sum(Multiply(difference, difference));
    }

    /// <summary>−Σ [t log p + (1 − t) log(1 − p)] for probabilities p (kept inside [ε, 1 − ε] by ε = 1e-6).</summary>
    public static Variable BinaryCrossEntropy(Variable probability, Variable target)
    {
        const float epsilon = 1e-6f;
        Variable logP = Log(AddScalar(Scale(probability, 1 - 2 * epsilon), epsilon));
        Variable log1MinusP = Log(AddScalar(Scale(probability, -(1 - 2 * epsilon)), 1 - epsilon));
        Variable oneMinusT = AddScalar(Scale(target, -1), 1);
        return Scale(Sum(Add(Multiply(target, logP), Multiply(oneMinusT, log1MinusP))), -1);
    }

    private static float[] Copy(float[] values)
    {
        float[] copy = StepMemory.RentForOverwrite(values.Length);
        values.CopyTo(copy, 0);
        return copy;
    }
}
