using System.Globalization;
using Microsoft.ML.Data;
using Microsoft.ML.GatedLinear.Galu;
using Microsoft.ML.GatedLinear.Numerics;
using Microsoft.ML.GatedLinear.Training;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.Trainers.GatedLinear;

/// <summary>
/// Trains a GaLU regression network: closed form for one hidden layer, Adam for deeper ones. The closed form holds out
/// <see cref="GatedLinearTrainerOptions.ValidationFraction"/> of the rows (default 0.1) to choose its ridge λ among
/// rows × 10⁻¹⁰ … 10⁻² (<see cref="ClosedFormGalu.SolveChoosingRidge"/>), then solves on every row; the held-out rows'
/// error is its predictive variance. With ValidationFraction 0 it uses <see cref="GaluOptions.Ridge"/> and the training
/// residual.
/// </summary>
public sealed class GaluRegressionTrainer : GatedLinearTrainer<GaluRegressionTransformer, IGaluPredictor>
{
    /// <summary>Options of <see cref="GaluRegressionTrainer"/>.</summary>
    public sealed class Options : GaluTrainerOptionsBase
    {
    }

    private readonly Options _options;

    internal GaluRegressionTrainer(IHostEnvironment environment, Options options)
        : base(environment, "GaluRegression", options)
    {
        _options = options;
    }

    private bool ClosedForm => _options.Network.HiddenSizes.Length == 1;

    private protected override CursorRows CreateRows(IDataView data, int seed, ValidationSplit split)
    {
        int dimension = LabelReaders.RegressionDimension(CursorRows.Column(data.Schema, _options.LabelColumnName, "Label"));
        return Rows(data, seed, split, column => LabelReaders.Regression(column, dimension), dimension);
    }

    private protected override int Epochs(GatedLinearTrainerOptions options) => ClosedForm ? 1 : options.NumberOfEpochs;

    private protected override IGaluPredictor CreateModel(ScannedRows data, int seed, int cores)
    {
        CursorRows rows = data.Rows;
        GaluOptions network = _options.Network.Clone();
        network.Seed = seed;
        return ClosedForm ? ClosedFormGalu.Create(rows.FeatureCount, rows.LabelWidth, network) : DeepGaluNetwork.Create(rows.FeatureCount, rows.LabelWidth, network);
    }

    private protected override IGaluPredictor Continue(GaluRegressionTransformer previous, CursorRows rows)
        => previous.Model is DeepGaluNetwork deep
            ? GaluModels.Copy(deep, rows)
            : throw new NotSupportedException("A closed-form GaLU is solved from all of its data at once and cannot continue; fit it again on the combined data.");

    private protected override BatchLearner Learner(IGaluPredictor model)
        => model is ClosedFormGalu closed ? closed.BatchStep : ((DeepGaluNetwork)model).LearnRegressionBatch;

    private protected override int BatchSize(IGaluPredictor model, CursorRows rows) => GaluModels.BatchSize(model, rows, _options.BatchSize);

    // The closed form holds rows out whenever ValidationFraction asks: they choose its ridge (it has no epochs).
    private protected override bool HoldsOut(OnlineTrainingOptions training) => ClosedForm ? _options.ValidationFraction > 0 : training.HoldsOut;

    private protected override IGaluPredictor Finish(IChannel channel, IGaluPredictor model, InMemoryRows heldOut)
    {
        if (model is not ClosedFormGalu closed)
        {
            return model;
        }

        if (heldOut.RowCount < 2)
        {
            closed.Solve();
            return closed;
        }

        (float[] rows, float[] targets) = heldOut.ToArrays();
        LeastSquaresSolution solution = closed.SolveChoosingRidge(rows, targets);
        channel.Info(MessageSensitivity.None, string.Create(CultureInfo.InvariantCulture, $"Ridge λ {solution.Ridge:G3} chosen on {heldOut.RowCount} held-out rows (their mean squared error {closed.HeldOutLoss:G4}), then solved on every row."));
        return closed;
    }

    private protected override GaluRegressionTransformer CreateTransformer(IGaluPredictor model, CursorRows rows)
    {
        double variance = model switch
        {
            ClosedFormGalu { HeldOutLoss: var heldOut } when double.IsFinite(heldOut) => heldOut,
            ClosedFormGalu closed => closed.TrainingLoss,
            _ => 2 * ((DeepGaluNetwork)model).RecentLoss / model.Outputs,
        };
        return new(model, rows.FeatureColumn.Name, variance);
    }

    private protected override SchemaShape.Column[] OutputColumns(SchemaShape.Column label)
    {
        if (label.ItemType != NumberDataViewType.Single || label.IsKey || label.Kind == SchemaShape.Column.VectorKind.VariableVector)
        {
            throw new ArgumentOutOfRangeException(nameof(label), $"Label column '{label.Name}' must be Single (or a known-size vector of Single) for regression.");
        }

        Func<string, DataViewType, SchemaShape.Column> column = label.Kind == SchemaShape.Column.VectorKind.Vector ? SchemaShapeColumns.Vector : SchemaShapeColumns.Scalar;
        return [column(DefaultColumnNames.Score, NumberDataViewType.Single), column(RegressionMapper.VarianceColumnName, NumberDataViewType.Single)];
    }
}
