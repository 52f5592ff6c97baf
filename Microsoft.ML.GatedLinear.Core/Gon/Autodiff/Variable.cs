namespace Microsoft.ML.GatedLinear.Gon.Autodiff;

/// <summary>
/// The gradients of an operation's parents given the gradient of its output, <paramref name="upstream"/>; a parent
/// whose entry in <paramref name="needed"/> is false may get null (nothing asked for depends on it).
/// </summary>
internal delegate Variable?[] BackwardRule(Variable upstream, bool[] needed);

/// <summary>
/// A matrix value in a computation graph. Leaves are parameters or inputs; every other variable remembers its
/// parents and how to turn an upstream gradient into gradients for them — using graph operations themselves, so
/// a gradient is again a variable that can be differentiated (gradients of gradients, as GONs need).
/// </summary>
internal sealed class Variable
{
    internal Variable(int rows, int columns, float[] value, bool requiresGradient, Variable[]? parents = null, BackwardRule? backward = null)
    {
        if (value.Length != rows * columns)
        {
            throw new ArgumentException($"A {rows}×{columns} variable needs {rows * columns} values, got {value.Length}.");
        }

        Rows = rows;
        Columns = columns;
        Value = value;
        RequiresGradient = requiresGradient;
        Parents = parents ?? [];
        Backward = backward;
    }

    /// <summary>A leaf: a trainable parameter (<paramref name="requiresGradient"/>) or a constant input.</summary>
    public static Variable Leaf(int rows, int columns, float[] value, bool requiresGradient = false) => new(rows, columns, value, requiresGradient);

    /// <summary>A constant filled with <paramref name="value"/>.</summary>
    public static Variable Filled(int rows, int columns, float value)
    {
        var values = StepMemory.Rent(rows * columns);
        values.AsSpan().Fill(value);
        return new(rows, columns, values, false);
    }

    /// <summary>Number of rows.</summary>
    public int Rows { get; }

    /// <summary>Number of columns.</summary>
    public int Columns { get; }

    /// <summary>The values, row-major.</summary>
    public float[] Value { get; }

    /// <summary>Whether gradients flow to (or through) this variable.</summary>
    public bool RequiresGradient { get; }

    internal Variable[] Parents { get; }

    internal BackwardRule? Backward { get; }

    /// <summary>The value as a scalar (1×1 variables).</summary>
    public float Scalar => Rows == 1 && Columns == 1 ? Value[0] : throw new InvalidOperationException($"A {Rows}×{Columns} variable is not a scalar.");

    /// <summary>The same value, cut off from the graph: gradients stop here.</summary>
    public Variable Detach() => new(Rows, Columns, Value, false);
}
