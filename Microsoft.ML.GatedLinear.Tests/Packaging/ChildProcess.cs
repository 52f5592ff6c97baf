using System.Diagnostics;

namespace Microsoft.ML.GatedLinear.Tests.Packaging;

/// <summary>A command the packaging tests start (dotnet pack and run, Jupyter, a built sample), with a deadline.</summary>
internal static class ChildProcess
{
    public sealed record Result(int ExitCode, string Output, string Error);

    /// <summary>Runs <paramref name="command"/> to its end (killed with its children after <paramref name="timeout"/>).</summary>
    public static Result Run(string command, IEnumerable<string> arguments, string? directory = null, IReadOnlyDictionary<string, string>? environment = null, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(command) { WorkingDirectory = directory ?? "", RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        foreach ((string name, string value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync(), error = process.StandardError.ReadToEndAsync();
        TimeSpan limit = timeout ?? TimeSpan.FromMinutes(5);
        if (!process.WaitForExit(limit))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"'{command} {string.Join(' ', arguments)}' did not finish in {limit.TotalMinutes:0} minutes.");
        }

        return new Result(process.ExitCode, output.Result, error.Result);
    }

    /// <summary>Runs <paramref name="command"/> and returns its output; a non-zero exit throws with both streams.</summary>
    public static string RunToSuccess(string command, IEnumerable<string> arguments, string? directory = null, IReadOnlyDictionary<string, string>? environment = null, TimeSpan? timeout = null)
    {
        Result result = Run(command, arguments, directory, environment, timeout);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"'{command} {string.Join(' ', arguments)}' exited with {result.ExitCode}:\n{result.Output}\n{result.Error}");
        }

        return result.Output;
    }
}
