using Microsoft.ML.Runtime;

namespace Microsoft.ML.Trainers.GatedLinear;

/// <summary>
/// A channel that keeps its messages until <see cref="WriteTo"/>: models trained side by side each log to one, and their
/// logs are written one after another, as if they had trained in turn.
/// </summary>
internal sealed class BufferedChannel(IChannel parent) : IChannel
{
    private readonly List<Action<IChannel>> _messages = [];

    public string ContextDescription => parent.ContextDescription;

    /// <summary>Writes the kept messages to <paramref name="channel"/>, in the order they came.</summary>
    public void WriteTo(IChannel channel)
    {
        foreach (Action<IChannel> message in _messages)
        {
            message(channel);
        }

        _messages.Clear();
    }

    public TException Process<TException>(TException ex)
        where TException : Exception
        => parent.Process(ex);

    public void Send(ChannelMessage msg) => _messages.Add(c => c.Send(msg));

    public void Trace(MessageSensitivity sensitivity, string msg) => _messages.Add(c => c.Trace(sensitivity, msg));

    public void Trace(MessageSensitivity sensitivity, string fmt, params object[] args) => _messages.Add(c => c.Trace(sensitivity, fmt, args));

    public void Error(MessageSensitivity sensitivity, string msg) => _messages.Add(c => c.Error(sensitivity, msg));

    public void Error(MessageSensitivity sensitivity, string fmt, params object[] args) => _messages.Add(c => c.Error(sensitivity, fmt, args));

    public void Warning(MessageSensitivity sensitivity, string msg) => _messages.Add(c => c.Warning(sensitivity, msg));

    public void Warning(MessageSensitivity sensitivity, string fmt, params object[] args) => _messages.Add(c => c.Warning(sensitivity, fmt, args));

    public void Info(MessageSensitivity sensitivity, string msg) => _messages.Add(c => c.Info(sensitivity, msg));

    public void Info(MessageSensitivity sensitivity, string fmt, params object[] args) => _messages.Add(c => c.Info(sensitivity, fmt, args));

    public void Dispose()
    {
    }
}
