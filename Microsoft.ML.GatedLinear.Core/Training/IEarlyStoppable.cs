namespace Microsoft.ML.GatedLinear.Training;

/// <summary>
/// A model whose training can stop early: it measures its loss on held-out rows, copies itself when it is the best so
/// far (an online learner's state is just its weights, so the copy is cheap), and takes a copy's learned state back.
/// </summary>
internal interface IEarlyStoppable
{
    /// <summary>Mean loss per row on <paramref name="rows"/>, the model's own (log loss, Gaussian negative log-likelihood, …).</summary>
    double HeldOutLoss(IRowSource rows);

    /// <summary>
    /// A copy of the model's learned state. <paramref name="previous"/>, when given, is an earlier snapshot of this model
    /// that is no longer needed: the model overwrites and returns it rather than allocating another copy (training takes a
    /// snapshot at every new best epoch).
    /// </summary>
    object Snapshot(object? previous);

    /// <summary>
    /// The usual <see cref="Snapshot"/>: a <paramref name="copy"/> the first time, then <paramref name="takeState"/> into
    /// that same copy (<c>takeState(copy, model)</c>).
    /// </summary>
    static object Reuse<TModel>(TModel model, object? previous, Func<TModel, TModel> copy, Action<TModel, TModel> takeState)
        where TModel : class
    {
        if (previous is not TModel snapshot)
        {
            return copy(model);
        }

        takeState(snapshot, model);
        return snapshot;
    }

    /// <summary>Makes this model's learned state equal <paramref name="snapshot"/>'s (a <see cref="Snapshot"/> of this model).</summary>
    void Restore(object snapshot);
}
