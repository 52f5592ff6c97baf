using System.Numerics.Tensors;
using Microsoft.ML.GatedLinear.Data;
using Microsoft.ML.GatedLinear.Numerics;
using Microsoft.ML.GatedLinear.Persistence;

namespace Microsoft.ML.GatedLinear.Galu;

/// <summary>
/// A one-hidden-layer GaLU network solved in closed form. With k neurons σ(u_j·x)(w_j·x̄) (x̄ = [x, 1]) per output,
/// the output Φ(x)ᵀW is linear in the trainable weights, Φ(x) = [σ(u_j·x)·x̄]_j, so squared-loss training is ridge
/// least squares: rows are streamed once into the normal equations, then solved. With exclusive gates
/// (one active gate per input) this is least squares per gate region.
/// </summary>
public sealed class ClosedFormGalu : IGaluPredictor
{
    private readonly GaluGates _gates;
    private float[] _weights; // [p × outputs]
    private NormalEquations? _equations;

    private ClosedFormGalu(GaluOptions options, int inputDimension, int outputs, GaluGates gates, float[] weights)
    {
        Options = options;
        InputDimension = inputDimension;
        Outputs = outputs;
        _gates = gates;
        _weights = weights;
    }

    /// <summary>An unsolved model (predicts 0) with random gates.</summary>
    public static ClosedFormGalu Create(int inputDimension, int outputs, GaluOptions? options = null)
    {
        options = (options ?? new GaluOptions()).Clone();
        options.Validate();
        if (options.HiddenSizes.Length != 1)
        {
            throw new ArgumentException("The closed form is for one hidden layer; use DeepGaluNetwork for more.", nameof(options));
        }

        var gates = GaluGates.CreateRandom(options.HiddenSizes[0], inputDimension, options.Gate, options.FilterScale, new SeededRandom(options.Seed));
        return new ClosedFormGalu(options, inputDimension, outputs, gates, new float[(long)gates.Count * (inputDimension + 1) * outputs]);
    }

    /// <summary>The hyperparameters (a copy is kept).</summary>
    public GaluOptions Options { get; }

    /// <summary>Length d of an input.</summary>
    public int InputDimension { get; }

    /// <summary>Number of outputs.</summary>
    public int Outputs { get; }

    /// <summary>p = k·(d + 1), the length of Φ(x).</summary>
    public int FeatureCount => _gates.Count * (InputDimension + 1);

    /// <summary>The fixed gates.</summary>
    internal GaluGates Gates => _gates;

    /// <summary>The solved weights, row-major [p × outputs].</summary>
    public ReadOnlySpan<float> Weights => _weights;

    /// <summary>Writes Φ(x) = [σ(u_j·x)·x̄]_j (with exclusive gates, only the largest u_j·x's block is non-zero).</summary>
    public void FeatureMap(ReadOnlySpan<float> x, Span<float> phi)
    {
        Span<float> gateValues = stackalloc float[_gates.Count];
        _gates.Evaluate(x, gateValues);
        if (Options.ExclusiveGates)
        {
            int winner = Winner(x);
            gateValues.Clear();
            gateValues[winner] = 1;
        }

        int block = InputDimension + 1;
        for (int j = 0; j < _gates.Count; j++)
        {
            Span<float> target = phi.Slice(j * block, block);
            TensorPrimitives.Multiply(x, gateValues[j], target[..InputDimension]);
            target[InputDimension] = gateValues[j];
        }
    }

    /// <summary>The gate region of x when gates are exclusive: the filter with the largest u·x.</summary>
    public int Winner(ReadOnlySpan<float> x)
    {
        int best = 0;
        float bestValue = float.NegativeInfinity;
        for (int j = 0; j < _gates.Count; j++)
        {
            float t = TensorPrimitives.Dot(_gates.Filters.Slice(j * InputDimension, InputDimension), x);
            if (t > bestValue)
            {
                (best, bestValue) = (j, t);
            }
        }

        return best;
    }

    /// <summary>Streams <paramref name="rows"/> once into the normal equations and solves them.</summary>
    /// <param name="rows">Row-major [n × InputDimension], finite.</param>
    /// <param name="targets">Row-major [n × Outputs] (one-hot rows for classification).</param>
    /// <returns>The solution: its weights, the ridge actually used and the training loss.</returns>
    public LeastSquaresSolution Fit(ReadOnlySpan<float> rows, ReadOnlySpan<float> targets)
    {
        InputValidation.ValidateNotEmpty(targets.Length / Outputs);
        Accumulate(rows, targets);
        return Solve();
    }

    /// <summary>
    /// The rank of the feature matrix Φ of <paramref name="rows"/> (at most <see cref="FeatureCount"/>): by the GaLU
    /// paper's Theorem 1, least squares fits random labels up to a fraction rank/n of their variance. O(p³).
    /// </summary>
    /// <param name="rows">Row-major [n × InputDimension], finite.</param>
    public int FeatureRank(ReadOnlySpan<float> rows)
    {
        int d = InputDimension, n = rows.Length / d;
        var equations = new NormalEquations(FeatureCount, 1);
        var phi = new float[FeatureCount];
        for (int i = 0; i < n; i++)
        {
            InputValidation.ValidateRow(rows.Slice(i * d, d), d, i);
            FeatureMap(rows.Slice(i * d, d), phi);
            equations.Add(phi, [0f]);
        }

        return equations.Rank();
    }

    /// <summary>Adds rows to the normal equations (streaming: call repeatedly, then <see cref="Solve"/>).</summary>
    public void Accumulate(ReadOnlySpan<float> rows, ReadOnlySpan<float> targets)
        => AccumulateInto(_equations ??= new NormalEquations(FeatureCount, Outputs), rows, targets);

    private void AccumulateInto(NormalEquations equations, ReadOnlySpan<float> rows, ReadOnlySpan<float> targets)
    {
        var phi = new float[FeatureCount];
        for (int i = 0, n = RowCount(rows, targets); i < n; i++)
        {
            FeatureMap(Row(rows, targets, i, out ReadOnlySpan<float> y), phi);
            equations.Add(phi, y);
        }
    }

    private int RowCount(ReadOnlySpan<float> rows, ReadOnlySpan<float> targets)
    {
        int d = InputDimension, n = targets.Length / Outputs;
        if (targets.Length % Outputs != 0 || rows.Length != (long)n * d)
        {
            throw new ArgumentException($"{rows.Length} input values and {targets.Length} targets do not make whole rows of {d} inputs and {Outputs} outputs.");
        }

        return n;
    }

    /// <summary>Row <paramref name="i"/>'s inputs and (in <paramref name="y"/>) targets, after checking both are finite.</summary>
    private ReadOnlySpan<float> Row(ReadOnlySpan<float> rows, ReadOnlySpan<float> targets, int i, out ReadOnlySpan<float> y)
    {
        int d = InputDimension;
        InputValidation.ValidateRow(rows.Slice(i * d, d), d, i);
        y = targets.Slice(i * Outputs, Outputs);
        for (int o = 0; o < Outputs; o++)
        {
            if (!float.IsFinite(y[o]))
            {
                throw new ArgumentException($"Row {i} has a non-finite target ({y[o]}).");
            }
        }

        return rows.Slice(i * d, d);
    }

    /// <summary>The training driver's batch step: accumulates the rows (no loss is measured).</summary>
    internal double BatchStep(ReadOnlySpan<float> rows, ReadOnlySpan<float> targets)
    {
        Accumulate(rows, targets);
        return double.NaN;
    }

    /// <summary>Solves the accumulated normal equations and adopts the weights; later rows start a new system.</summary>
    public LeastSquaresSolution Solve()
    {
        NormalEquations equations = _equations ?? throw new InvalidOperationException("No rows were accumulated: there is nothing to solve.");
        LeastSquaresSolution solution = equations.Solve(Options.Ridge);
        _weights = Array.ConvertAll(solution.Weights, w => (float)w);
        _equations = null;
        TrainingLoss = solution.TrainingLoss;
        return solution;
    }

    /// <summary>
    /// Chooses the ridge on held-out rows, then solves on every row. Each λ of <see cref="RidgeGrid"/> is solved on the
    /// accumulated rows and scored by its squared error on each of <paramref name="heldOutRows"/>; the largest λ whose
    /// mean error is within one standard error of the lowest is kept (the one-standard-error rule: a few dozen held-out
    /// rows cannot tell close ridges apart, and the stronger one generalizes more safely) and becomes
    /// <see cref="GaluOptions.Ridge"/> of <see cref="Options"/> (so the model file records it); its held-out error is
    /// <see cref="HeldOutLoss"/>. The held-out rows are then accumulated too and the system is solved with it. Noisy
    /// small data want a strong ridge and smooth data a weak one: no single λ served the `defaults` sets
    /// (benchmarks/RESULTS.md, session 21).
    /// </summary>
    /// <param name="heldOutRows">Row-major [m × InputDimension], finite, not among the accumulated rows; m ≥ 2.</param>
    /// <param name="heldOutTargets">Row-major [m × Outputs].</param>
    public LeastSquaresSolution SolveChoosingRidge(ReadOnlySpan<float> heldOutRows, ReadOnlySpan<float> heldOutTargets)
    {
        NormalEquations equations = _equations ?? throw new InvalidOperationException("No rows were accumulated: there is nothing to solve.");
        int m = RowCount(heldOutRows, heldOutTargets), p = FeatureCount;
        if (m < 2)
        {
            throw new ArgumentException($"Choosing a ridge needs at least 2 held-out rows; got {m}.", nameof(heldOutRows));
        }

        for (int i = 0; i < m; i++)
        {
            Row(heldOutRows, heldOutTargets, i, out _);
        }

        // Φ of a held-out row is formed again for each λ: memory stays O(p) however many rows are held out.
        var phi = new float[p];
        var candidates = new List<(double Ridge, double Mean, double StandardError)>();
        var errors = new double[m];
        foreach (double ridge in RidgeGrid(equations.Rows))
        {
            LeastSquaresSolution solution = equations.Solve(ridge);
            for (int i = 0; i < m; i++)
            {
                FeatureMap(heldOutRows.Slice(i * InputDimension, InputDimension), phi);
                errors[i] = SquaredError(phi, heldOutTargets.Slice(i * Outputs, Outputs), solution.Weights);
            }

            double mean = errors.Average();
            double variance = errors.Sum(e => (e - mean) * (e - mean)) / (m - 1);
            candidates.Add((solution.Ridge, mean, Math.Sqrt(variance / m)));
        }

        var best = candidates.MinBy(c => c.Mean);
        var kept = candidates.Last(c => c.Mean <= best.Mean + best.StandardError);
        Options.Ridge = kept.Ridge;
        HeldOutLoss = kept.Mean / Outputs;
        AccumulateInto(equations, heldOutRows, heldOutTargets);
        return Solve();
    }

    /// <summary>‖y − Wᵀφ‖² for one row.</summary>
    private double SquaredError(ReadOnlySpan<float> phi, ReadOnlySpan<float> y, double[] weights)
    {
        double total = 0;
        for (int o = 0; o < Outputs; o++)
        {
            double prediction = 0;
            for (int j = 0; j < phi.Length; j++)
            {
                prediction += phi[j] * weights[j * Outputs + o];
            }

            total += (y[o] - prediction) * (y[o] - prediction);
        }

        return total;
    }

    /// <summary>
    /// Mean squared error per row and output, on the held-out rows, of the ridge <see cref="SolveChoosingRidge"/> kept
    /// (solved without them): an honest predictive variance where <see cref="TrainingLoss"/>, with more features than
    /// rows, can be near zero. NaN until a ridge is chosen (and in a loaded model: the ML.NET transformer saves the
    /// variance it took from it).
    /// </summary>
    public double HeldOutLoss { get; private set; } = double.NaN;

    /// <summary>
    /// The ridges <see cref="SolveChoosingRidge"/> tries for <paramref name="rows"/> accumulated rows: rows × 10^k for
    /// k = −10 … −2 (ΦᵀΦ grows with the rows, so a ridge of the same effect does too; below −10 the solve's own floor
    /// for an ill-conditioned system takes over, and up to 10⁰ the one-standard-error rule over-smoothed diabetes and
    /// wine quality in the `defaults` benchmark).
    /// </summary>
    internal static IEnumerable<double> RidgeGrid(long rows)
    {
        for (int k = -10; k <= -2; k++)
        {
            yield return rows * Math.Pow(10, k);
        }
    }

    /// <summary>Mean squared training residual of the last solve (the predictive variance the ML.NET face reports when no rows were held out: <see cref="HeldOutLoss"/>).</summary>
    public double TrainingLoss { get; private set; }

    /// <summary>Writes the outputs Φ(x)ᵀW. Thread-safe.</summary>
    /// <exception cref="InvalidOperationException">The weights overflow float arithmetic on this row (a corrupted model).</exception>
    public void Predict(ReadOnlySpan<float> x, Span<float> outputs)
    {
        InputValidation.ValidateRow(x, InputDimension);
        float[] phi = System.Buffers.ArrayPool<float>.Shared.Rent(FeatureCount);
        try
        {
            FeatureMap(x, phi.AsSpan(0, FeatureCount));
            outputs.Clear();
            for (int i = 0; i < FeatureCount; i++)
            {
                if (phi[i] != 0)
                {
                    TensorPrimitives.MultiplyAdd(_weights.AsSpan(i * Outputs, Outputs), phi[i], outputs, outputs);
                }
            }
        }
        finally
        {
            System.Buffers.ArrayPool<float>.Shared.Return(phi);
        }

        FiniteOutputs.Ensure(outputs);
    }

    /// <summary>The output with the largest value (classification with one-hot targets).</summary>
    public int PredictClass(ReadOnlySpan<float> x)
    {
        Span<float> outputs = stackalloc float[Outputs];
        Predict(x, outputs);
        return TensorPrimitives.IndexOfMax<float>(outputs);
    }

    /// <summary>Writes the model (options, filters, weights) in the versioned MLGated format.</summary>
    public void Save(Stream stream)
    {
        var w = new PayloadWriter();
        w.Write(InputDimension);
        w.Write(Outputs);
        GaluPersistence.WriteOptions(w, Options);
        GaluPersistence.WriteGates(w, _gates);
        w.Write(_weights);
        ModelFile.Write(stream, ModelKind.ClosedFormGalu, w.ToArray());
    }

    /// <summary>Reads a model written by <see cref="Save"/>.</summary>
    /// <exception cref="ModelFormatException">The file is not such a model, or is corrupted.</exception>
    public static ClosedFormGalu Load(Stream stream)
    {
        var r = ModelFile.Open(stream, ModelKind.ClosedFormGalu);
        int d = r.ReadInt32("the input dimension", 1, int.MaxValue), outputs = r.ReadInt32("the output count", 1, int.MaxValue);
        GaluOptions options = GaluPersistence.ReadOptions(r);
        if (options.HiddenSizes.Length != 1)
        {
            throw new ModelFormatException("The model file is corrupted: a closed-form GaLU has one hidden layer.");
        }

        GaluGates gates = GaluPersistence.ReadGates(r, options.Gate, options.HiddenSizes[0], d);
        float[] weights = r.ReadSingleArray("the weights", PayloadReader.CheckedLength((long)gates.Count * (d + 1) * outputs));
        r.EnsureEnd();
        return new ClosedFormGalu(options, d, outputs, gates, weights);
    }
}
