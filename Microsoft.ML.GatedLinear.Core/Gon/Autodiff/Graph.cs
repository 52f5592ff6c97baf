namespace Microsoft.ML.GatedLinear.Gon.Autodiff;

/// <summary>Reverse-mode differentiation over recorded variables.</summary>
internal static class Graph
{
    [ThreadStatic]
    private static int _paused;

    /// <summary>Whether operations currently record parents (false inside <see cref="Pause"/>).</summary>
    internal static bool Recording => _paused == 0;

    /// <summary>Stops recording until disposed: computed values keep no parents (cheaper, not differentiable).</summary>
    public static IDisposable Pause()
    {
        _paused++;
        return new Resume();
    }

    /// <summary>
    /// ∂output/∂x for each x in <paramref name="with"/> (a zero matrix where the output does not depend on x).
    /// With <paramref name="createGraph"/> the gradients are recorded variables themselves and can be differentiated.
    /// </summary>
    /// <param name="output">A 1×1 variable.</param>
    /// <param name="with">The variables to differentiate with respect to.</param>
    /// <param name="createGraph">Record the gradient computation (for second derivatives).</param>
    public static Variable[] Gradients(Variable output, IReadOnlyList<Variable> with, bool createGraph = false)
    {
        if (output.Rows != 1 || output.Columns != 1)
        {
            throw new ArgumentException($"Gradients are taken of a scalar; the output is {output.Rows}×{output.Columns}.", nameof(output));
        }

        var order = new List<Variable>();
        var seen = new HashSet<Variable>(ReferenceEqualityComparer.Instance);
        void Visit(Variable v)
        {
            if (!v.RequiresGradient || !seen.Add(v))
            {
                return;
            }

            foreach (Variable p in v.Parents)
            {
                Visit(p);
            }

            order.Add(v);
        }

        Visit(output);

        // Only nodes with a path down to a variable asked for need a gradient: the inner gradient of a GON at the origin
        // then skips the weights' gradients, which cost as much as the rest of its backward pass.
        var wanted = new HashSet<Variable>(with, ReferenceEqualityComparer.Instance);
        var needed = new HashSet<Variable>(ReferenceEqualityComparer.Instance);
        foreach (Variable v in order)
        {
            if (wanted.Contains(v) || v.Parents.Any(needed.Contains))
            {
                needed.Add(v);
            }
        }

        using IDisposable? pause = createGraph ? null : Pause();
        var gradients = new Dictionary<Variable, Variable>(ReferenceEqualityComparer.Instance) { [output] = Variable.Filled(1, 1, 1f) };
        for (int i = order.Count - 1; i >= 0; i--)
        {
            Variable node = order[i];
            if (node.Backward is null || !needed.Contains(node) || !gradients.TryGetValue(node, out Variable? upstream))
            {
                continue;
            }

            bool[] parentsNeeded = Array.ConvertAll(node.Parents, needed.Contains);
            Variable?[] parentGradients = node.Backward(upstream, parentsNeeded);
            for (int p = 0; p < node.Parents.Length; p++)
            {
                Variable parent = node.Parents[p];
                if (!parentsNeeded[p] || parentGradients[p] is not { } g)
                {
                    continue;
                }

                gradients[parent] = gradients.TryGetValue(parent, out Variable? sum) ? Ops.Add(sum, g) : g;
            }
        }

        return with.Select(v => gradients.TryGetValue(v, out Variable? g) ? g : Variable.Filled(v.Rows, v.Columns, 0f)).ToArray();
    }

    private sealed class Resume : IDisposable
    {
        private bool _done;

        public void Dispose()
        {
            if (!_done)
            {
                _done = true;
                _paused--;
            }
        }
    }
}
