using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace MLGated.Benchmarks;

internal static class Machine
{
    public static object Describe() => new
    {
        os = RuntimeInformation.OSDescription,
        runtime = RuntimeInformation.FrameworkDescription,
        cores = Environment.ProcessorCount,
        architecture = RuntimeInformation.ProcessArchitecture.ToString(),
        cpu = CpuModel(),
        // TensorPrimitives sums in 512-bit vectors where the hardware has them, so models' last bits — and a noisy
        // learner's path — differ between AVX2 and AVX-512 machines.
        vector512 = Vector512.IsHardwareAccelerated,
        vector_bits = Vector<byte>.Count * 8,
    };

    private static string? CpuModel()
        => File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
}
