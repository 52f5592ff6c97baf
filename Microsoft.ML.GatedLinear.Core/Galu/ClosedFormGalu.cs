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
    {
        int d = InputDimension, n = targets.Length / Outputs;
        if (targets.Length % Outputs != 0 || rows.Length != (long)n * d)
        {
            throw new ArgumentException($"{rows.Length} input values and {targets.Length} targets do not make whole rows of {d} inputs and {Outputs} outputs.");
        }

        _equations ??= new NormalEquations(FeatureCount, Outputs);
        var phi = new float[FeatureCount];
        for (int i = 0; i < n; i++)
        {
            InputValidation.ValidateRow(rows.Slice(i * d, d), d, i);
            ReadOnlySpan<float> y = targets.Slice(i * Outputs, Outputs);
            for (int o = 0; o < Outputs; o++)
            {
                if (!float.IsFinite(y[o]))
                {
                    throw new ArgumentException($"Row {i} has a non-finite target ({y[o]}).");
                }
            }

            FeatureMap(rows.Slice(i * d, d), phi);
            _equations.Add(phi, y);
        }
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

    /// <summary>Mean squared training residual of the last solve (the predictive variance the ML.NET face reports).</summary>
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
        var r = new PayloadReader(ModelFile.Read(stream, ModelKind.ClosedFormGalu));
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
