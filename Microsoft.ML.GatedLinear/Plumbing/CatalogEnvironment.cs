using System.Reflection;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.Trainers.GatedLinear;

/// <summary>
/// Reaches the <see cref="IHostEnvironment"/> (the MLContext: its seed and its log) behind an ML.NET
/// catalog. Every catalog implements the internal <c>Microsoft.ML.Data.IInternalCatalog</c>, whose
/// <c>Environment</c> property is the only way there; this is the one place that reads it by reflection,
/// and a test guards it against ML.NET changing.
/// </summary>
internal static class CatalogEnvironment
{
    private const string InterfaceName = "Microsoft.ML.Data.IInternalCatalog";

    /// <summary>The environment of <paramref name="catalog"/> (e.g. <c>mlContext.Regression.Trainers</c>).</summary>
    /// <exception cref="InvalidOperationException">The catalog does not expose an environment the way ML.NET 5 does.</exception>
    public static IHostEnvironment Get(object catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        Type? contract = catalog.GetType().GetInterfaces().FirstOrDefault(i => i.FullName == InterfaceName);
        PropertyInfo? property = contract?.GetProperty("Environment", BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic);
        return property?.GetValue(catalog) as IHostEnvironment
            ?? throw new InvalidOperationException($"{catalog.GetType().FullName} does not implement {InterfaceName}.Environment; this version of Microsoft.ML is not supported by MLGated.");
    }
}
