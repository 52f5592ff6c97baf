using Microsoft.ML.Data;
using Microsoft.ML.GatedLinear.Numerics;

namespace Microsoft.ML.Trainers.GatedLinear;

/// <summary>Computes <see cref="RegressionIntervalMetrics"/> from scored data.</summary>
internal static class RegressionIntervalEvaluator
{
    public static RegressionIntervalMetrics Evaluate(IDataView data, string labelColumnName, string scoreColumnName, string varianceColumnName, string lowerColumnName, string upperColumnName)
    {
        DataViewSchema.Column label = SingleColumn(data, labelColumnName, "label");
        DataViewSchema.Column score = SingleColumn(data, scoreColumnName, "score");
        DataViewSchema.Column variance = SingleColumn(data, varianceColumnName, "variance");
        DataViewSchema.Column? lower = data.Schema.GetColumnOrNull(lowerColumnName), upper = data.Schema.GetColumnOrNull(upperColumnName);
        bool interval = lower is not null && upper is not null;
        if (interval)
        {
            lower = SingleColumn(data, lowerColumnName, "lower-bound");
            upper = SingleColumn(data, upperColumnName, "upper-bound");
        }

        DataViewSchema.Column[] columns = interval ? [label, score, variance, lower!.Value, upper!.Value] : [label, score, variance];
        using DataViewRowCursor cursor = data.GetRowCursor(columns);
        ValueGetter<float> getLabel = cursor.GetGetter<float>(label), getScore = cursor.GetGetter<float>(score), getVariance = cursor.GetGetter<float>(variance);
        ValueGetter<float>? getLower = interval ? cursor.GetGetter<float>(lower!.Value) : null, getUpper = interval ? cursor.GetGetter<float>(upper!.Value) : null;
        float y = 0, mean = 0, v = 0, lo = 0, hi = 0;
        long rows = 0, covered = 0;
        double nll = 0, crps = 0, width = 0;
        while (cursor.MoveNext())
        {
            getLabel(ref y);
            getScore(ref mean);
            getVariance(ref v);
            Require(float.IsFinite(y), label, rows, $"a non-finite label ({y})");
            Require(float.IsFinite(mean), score, rows, $"a non-finite score ({mean})");
            Require(v > 0 && float.IsFinite(v), variance, rows, $"a variance that is not positive and finite ({v})");
            nll -= NormalDistribution.LogDensity(y, mean, v);
            crps += NormalDistribution.ContinuousRankedProbabilityScore(y, mean, v);
            if (interval)
            {
                getLower!(ref lo);
                getUpper!(ref hi);
                Require(lo <= hi, lower!.Value, rows, $"a lower bound ({lo}) above its upper bound ({hi})");
                covered += lo <= y && y <= hi ? 1 : 0;
                width += hi - lo;
            }

            rows++;
        }

        if (rows == 0)
        {
            throw new ArgumentException("The data has no rows to evaluate.", nameof(data));
        }

        return new RegressionIntervalMetrics(rows, nll / rows, crps / rows, interval ? (double)covered / rows : double.NaN, interval ? width / rows : double.NaN);
    }

    private static DataViewSchema.Column SingleColumn(IDataView data, string name, string role)
    {
        DataViewSchema.Column column = data.Schema.GetColumnOrNull(name)
            ?? throw new ArgumentOutOfRangeException(nameof(data), $"The {role} column '{name}' is not in the data.");
        return column.Type == NumberDataViewType.Single
            ? column
            : throw new ArgumentOutOfRangeException(nameof(data), $"The {role} column '{name}' is {column.Type}; interval evaluation reads Single columns (one label dimension).");
    }

    private static void Require(bool condition, DataViewSchema.Column column, long row, string what)
    {
        if (!condition)
        {
            throw new InvalidOperationException($"Column '{column.Name}' has {what} in row {row}.");
        }
    }
}
