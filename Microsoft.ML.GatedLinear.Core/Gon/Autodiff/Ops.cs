using System.Numerics.Tensors;

namespace Microsoft.ML.GatedLinear.Gon.Autodiff;

/// <summary>
/// Differentiable matrix operations. Each backward rule is written with these same operations, so when gradients
/// are computed with <c>createGraph</c> they are recorded too and can be differentiated again.
/// </summary>
internal static class Ops
{
    private static Variable Make(int rows, int columns, float[] value, Variable[] parents, Func<Variable, Variable?[]> backward)
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

        var y = new float[a.Rows * b.Columns];
        void Row(int i)
        {
            Span<float> row = y.AsSpan(i * b.Columns, b.Columns);
            for (int k = 0; k < a.Columns; k++)
            {
                float aik = a.Value[i * a.Columns + k];
                if (aik != 0)
                {
                    TensorPrimitives.MultiplyAdd(b.Value.AsSpan(k * b.Columns, b.Columns), aik, row, row);
                }
            }
        }

        // Rows are independent: large products use both cores, with results identical to the sequential loop.
        if ((long)a.Rows * a.Columns * b.Columns > 1 << 20 && a.Rows > 1)
        {
            Parallel.For(0, a.Rows, Row);
        }
        else
        {
            for (int i = 0; i < a.Rows; i++)
            {
                Row(i);
            }
        }

        return Make(a.Rows, b.Columns, y, [a, b], g => [MatMul(g, Transpose(b)), MatMul(Transpose(a), g)]);
    }

    /// <summary>aᵀ.</summary>
    public static Variable Transpose(Variable a)
    {
        var y = new float[a.Value.Length];
        for (int i = 0; i < a.Rows; i++)
        {
            for (int j = 0; j < a.Columns; j++)
            {
                y[j * a.Rows + i] = a.Value[i * a.Columns + j];
            }
        }

        return Make(a.Columns, a.Rows, y, [a], g => [Transpose(g)]);
    }

    /// <summary>a + b (same shape).</summary>
    public static Variable Add(Variable a, Variable b)
    {
        SameShape(a, b, "Add");
        var y = new float[a.Value.Length];
        TensorPrimitives.Add(a.Value, b.Value, y);
        return Make(a.Rows, a.Columns, y, [a, b], g => [g, g]);
    }

    /// <summary>a − b (same shape).</summary>
    public static Variable Subtract(Variable a, Variable b)
    {
        SameShape(a, b, "Subtract");
        var y = new float[a.Value.Length];
        TensorPrimitives.Subtract(a.Value, b.Value, y);
        return Make(a.Rows, a.Columns, y, [a, b], g => [g, Scale(g, -1)]);
    }

    /// <summary>a ⊙ b, elementwise.</summary>
    public static Variable Multiply(Variable a, Variable b)
    {
        SameShape(a, b, "Multiply");
        var y = new float[a.Value.Length];
        TensorPrimitives.Multiply(a.Value, b.Value, y);
        return Make(a.Rows, a.Columns, y, [a, b], g => [Multiply(g, b), Multiply(g, a)]);
    }

    /// <summary>c·a.</summary>
    public static Variable Scale(Variable a, float c)
    {
        var y = new float[a.Value.Length];
        TensorPrimitives.Multiply(a.Value, c, y);
        return Make(a.Rows, a.Columns, y, [a], g => [Scale(g, c)]);
    }

    /// <summary>a + c for every entry.</summary>
    public static Variable AddScalar(Variable a, float c)
    {
        var y = new float[a.Value.Length];
        TensorPrimitives.Add(a.Value, c, y);
        return Make(a.Rows, a.Columns, y, [a], g => [g]);
    }

    /// <summary>a [m×n] + b [1×n] added to every row (a bias).</summary>
    public static Variable AddRow(Variable a, Variable b)
    {
        if (b.Rows != 1 || b.Columns != a.Columns)
        {
            throw new ArgumentException($"AddRow: a row of {b.Rows}×{b.Columns} cannot be added to {a.Rows}×{a.Columns}.");
        }

        var y = new float[a.Value.Length];
        for (int i = 0; i < a.Rows; i++)
        {
            TensorPrimitives.Add(a.Value.AsSpan(i * a.Columns, a.Columns), b.Value, y.AsSpan(i * a.Columns, a.Columns));
        }

        return Make(a.Rows, a.Columns, y, [a, b], g => [g, SumRows(g)]);
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
        var y = new float[a.Value.Length];
        kernel(a.Value, y);
        Variable result = null!;
        result = Make(a.Rows, a.Columns, y, [a], g => [backward(g, result)]);
        return result;
    }

    /// <summary>ELU: a if a &gt; 0, else eᵃ − 1. Its derivative, 1 or eᵃ, is built from Exp, so it differentiates again.</summary>
    public static Variable Elu(Variable a)
    {
        var y = new float[a.Value.Length];
        var positive = new float[a.Value.Length];
        for (int i = 0; i < y.Length; i++)
        {
            float v = a.Value[i];
            positive[i] = v > 0 ? 1f : 0f;
            y[i] = v > 0 ? v : MathF.Exp(v) - 1;
        }

        var mask = new Variable(a.Rows, a.Columns, positive, false);
        var negative = new Variable(a.Rows, a.Columns, Array.ConvertAll(positive, p => 1 - p), false);
        return Make(a.Rows, a.Columns, y, [a], g => [Multiply(g, Add(mask, Multiply(negative, Exp(a))))]);
    }

    /// <summary>The sum of all entries (1×1).</summary>
    public static Variable Sum(Variable a)
        => Make(1, 1, [TensorPrimitives.Sum<float>(a.Value)], [a], g => [Broadcast(g, a.Rows, a.Columns)]);

    /// <summary>A 1×1 variable repeated into an m×n matrix.</summary>
    public static Variable Broadcast(Variable scalar, int rows, int columns)
    {
        var y = new float[rows * columns];
        y.AsSpan().Fill(scalar.Scalar);
        return Make(rows, columns, y, [scalar], g => [Sum(g)]);
    }

    /// <summary>Column sums of a [m×n]: a 1×n row.</summary>
    public static Variable SumRows(Variable a)
    {
        var y = new float[a.Columns];
        for (int i = 0; i < a.Rows; i++)
        {
            TensorPrimitives.Add(y, a.Value.AsSpan(i * a.Columns, a.Columns), y);
        }

        return Make(1, a.Columns, y, [a], g => [BroadcastRows(g, a.Rows)]);
    }

    /// <summary>A 1×n row repeated into m rows.</summary>
    public static Variable BroadcastRows(Variable row, int rows)
    {
        var y = new float[rows * row.Columns];
        for (int i = 0; i < rows; i++)
        {
            row.Value.CopyTo(y, i * row.Columns);
        }

        return Make(rows, row.Columns, y, [row], g => [SumRows(g)]);
    }

    /// <summary>[a, b] side by side (same number of rows).</summary>
    public static Variable ConcatColumns(Variable a, Variable b)
    {
        if (a.Rows != b.Rows)
        {
            throw new ArgumentException($"ConcatColumns: {a.Rows} and {b.Rows} rows.");
        }

        int columns = a.Columns + b.Columns;
        var y = new float[a.Rows * columns];
        for (int i = 0; i < a.Rows; i++)
        {
            a.Value.AsSpan(i * a.Columns, a.Columns).CopyTo(y.AsSpan(i * columns));
            b.Value.AsSpan(i * b.Columns, b.Columns).CopyTo(y.AsSpan(i * columns + a.Columns));
        }

        return Make(a.Rows, columns, y, [a, b], g => [SliceColumns(g, 0, a.Columns), SliceColumns(g, a.Columns, b.Columns)]);
    }

    /// <summary>Columns [start, start + count) of a.</summary>
    public static Variable SliceColumns(Variable a, int start, int count)
    {
        var y = new float[a.Rows * count];
        for (int i = 0; i < a.Rows; i++)
        {
            a.Value.AsSpan(i * a.Columns + start, count).CopyTo(y.AsSpan(i * count));
        }

        return Make(a.Rows, count, y, [a], g => [PadColumns(g, start, a.Columns)]);
    }

    /// <summary>a placed at column <paramref name="start"/> of a zero matrix with <paramref name="columns"/> columns.</summary>
    public static Variable PadColumns(Variable a, int start, int columns)
    {
        var y = new float[a.Rows * columns];
        for (int i = 0; i < a.Rows; i++)
        {
            a.Value.AsSpan(i * a.Columns, a.Columns).CopyTo(y.AsSpan(i * columns + start));
        }

        return Make(a.Rows, columns, y, [a], g => [SliceColumns(g, start, a.Columns)]);
    }

    /// <summary>Each row of a [m×n] repeated <paramref name="times"/> times in a row: [m·times × n].</summary>
    public static Variable RepeatRows(Variable a, int times)
    {
        var y = new float[a.Value.Length * times];
        for (int i = 0; i < a.Rows; i++)
        {
            for (int t = 0; t < times; t++)
            {
                a.Value.AsSpan(i * a.Columns, a.Columns).CopyTo(y.AsSpan((i * times + t) * a.Columns));
            }
        }

        return Make(a.Rows * times, a.Columns, y, [a], g => [SumRowGroups(g, times)]);
    }

    /// <summary>Sums of consecutive groups of <paramref name="size"/> rows: [m×n] → [m/size × n].</summary>
    public static Variable SumRowGroups(Variable a, int size)
    {
        if (a.Rows % size != 0)
        {
            throw new ArgumentException($"SumRowGroups: {a.Rows} rows do not make groups of {size}.");
        }

        int groups = a.Rows / size;
        var y = new float[groups * a.Columns];
        for (int i = 0; i < a.Rows; i++)
        {
            TensorPrimitives.Add(y.AsSpan(i / size * a.Columns, a.Columns), a.Value.AsSpan(i * a.Columns, a.Columns), y.AsSpan(i / size * a.Columns, a.Columns));
        }

        return Make(groups, a.Columns, y, [a], g => [RepeatRows(g, size)]);
    }

    /// <summary>The same values, row-major, read as a rows × columns matrix.</summary>
    public static Variable Reshape(Variable a, int rows, int columns)
    {
        if (rows * columns != a.Value.Length)
        {
            throw new ArgumentException($"Reshape: {a.Rows}×{a.Columns} cannot become {rows}×{columns}.");
        }

        return Make(rows, columns, (float[])a.Value.Clone(), [a], g => [Reshape(g, a.Rows, a.Columns)]);
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
}
