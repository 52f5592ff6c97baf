using System.Globalization;

namespace MLGated.Benchmarks;

/// <summary>"--name value" and "--flag" arguments after the command word; an option the command does not know is an error (a typo must not silently run a long benchmark with defaults).</summary>
internal sealed class BenchmarkArguments
{
    private readonly Dictionary<string, string?> _options = new(StringComparer.Ordinal);

    public BenchmarkArguments(IEnumerable<string> args, params string[] known)
    {
        string? pending = null;
        foreach (string arg in args)
        {
            if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                if (pending is not null)
                {
                    _options[pending] = null;
                }

                pending = arg[2..];
            }
            else if (pending is not null)
            {
                _options[pending] = arg;
                pending = null;
            }
            else
            {
                throw new ArgumentException($"Unexpected argument '{arg}'.");
            }
        }

        if (pending is not null)
        {
            _options[pending] = null;
        }

        string[] unknown = _options.Keys.Except(known).ToArray();
        if (unknown.Length > 0)
        {
            throw new ArgumentException($"Unknown option(s) {string.Join(", ", unknown.Select(u => "--" + u))}; this command takes {string.Join(", ", known.Select(k => "--" + k))}.");
        }
    }

    public bool Flag(string name) => _options.ContainsKey(name);

    public string? Text(string name) => _options.TryGetValue(name, out string? v) ? v : null;

    public string Text(string name, string fallback) => Text(name) ?? fallback;

    public int Int(string name, int fallback) => Text(name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;

    public double Double(string name, double fallback) => Text(name) is { } v ? double.Parse(v, CultureInfo.InvariantCulture) : fallback;

    public int[] Ints(string name, int[] fallback) => Text(name) is { } v ? v.Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray() : fallback;
}
