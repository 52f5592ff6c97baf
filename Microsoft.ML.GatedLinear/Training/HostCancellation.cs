using System.Reflection;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.Trainers.GatedLinear;

/// <summary>
/// MLContext cancellation for the core's training. ML.NET cancels by marking every host of a context cancelled
/// (<c>MLContext.CancelExecution</c>, which AutoML calls to end a trial), and its own trainers poll that mark through an
/// internal <c>CheckAlive</c>. There is no public route to it, so this reads the internal <c>ICancelable.IsCanceled</c> of
/// the trainer's host by reflection — the one place that does — and turns it into a cancellation of the token the core's
/// epoch driver checks between batches. On an ML.NET without that interface only the options' token cancels.
/// </summary>
internal sealed class HostCancellation : IDisposable
{
    private static readonly Type? Cancelable = typeof(IHostEnvironment).Assembly.GetType("Microsoft.ML.Runtime.ICancelable");
    private static readonly PropertyInfo? IsCanceledProperty = Cancelable?.GetProperty("IsCanceled");

    private readonly IHost _host;
    private readonly CancellationTokenSource _source;

    /// <summary>Cancels <see cref="Token"/> when <paramref name="host"/> is cancelled or <paramref name="token"/> is.</summary>
    public HostCancellation(IHost host, CancellationToken token)
    {
        _host = host;
        _source = CancellationTokenSource.CreateLinkedTokenSource(token);
    }

    /// <summary>The token to hand to the core's training.</summary>
    public CancellationToken Token => _source.Token;

    /// <summary>Whether ML.NET has cancelled <paramref name="host"/> (false where that cannot be read).</summary>
    public static bool IsCanceled(IHost host)
        => IsCanceledProperty is not null && Cancelable!.IsInstanceOfType(host) && IsCanceledProperty.GetValue(host) is true;

    /// <summary>Reads the host's mark; called once per batch, so a cancelled Fit stops within a batch.</summary>
    public void Poll()
    {
        if (!_source.IsCancellationRequested && IsCanceled(_host))
        {
            _source.Cancel();
        }
    }

    public void Dispose() => _source.Dispose();
}
