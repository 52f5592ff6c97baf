using System.Runtime.InteropServices;

namespace MLGated.Benchmarks;

internal static class Machine
{
    public static object Describe() => new
    {
        os = RuntimeInformation.OSDescription,
        runtime = RuntimeInformation.FrameworkDescription,
        cores = Environment.ProcessorCount,
        architecture = RuntimeInformation.ProcessArchitecture.ToString(),
    };
}
