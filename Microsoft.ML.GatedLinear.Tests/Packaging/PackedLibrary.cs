namespace Microsoft.ML.GatedLinear.Tests.Packaging;

/// <summary>
/// The two libraries packed once per test run into a temporary folder, under a version unique to the run (so the
/// NuGet cache can never serve a stale build), and fresh console projects that install them from there.
/// </summary>
internal static class PackedLibrary
{
    private static readonly Lazy<(string Feed, string Version)> Packed = new(Pack, LazyThreadSafetyMode.ExecutionAndPublication);

    public static string RepositoryRoot { get; } = FindRoot();

    public static (string Feed, string Version) Feed => Packed.Value;

    private static (string, string) Pack()
    {
        string feed = Directory.CreateTempSubdirectory("mlgated-feed").FullName;
        string version = $"0.1.0-test.{DateTime.UtcNow:yyyyMMddHHmmssfff}";
        foreach (string project in new[] { "Microsoft.ML.GatedLinear.Core/Microsoft.ML.GatedLinear.Core.csproj", "Microsoft.ML.GatedLinear/Microsoft.ML.GatedLinear.csproj" })
        {
            ChildProcess.RunToSuccess("dotnet", ["pack", Path.Combine(RepositoryRoot, project), "-c", "Release", "-o", feed, $"-p:Version={version}", "-nologo"], RepositoryRoot);
        }

        return (feed, version);
    }

    /// <summary>Creates a console project that references <paramref name="packages"/> (ours at the packed version), runs it and returns its output.</summary>
    public static string BuildAndRun(string programSource, IEnumerable<(string Name, string Version)> packages)
    {
        (string feed, string version) = Feed;
        string directory = Directory.CreateTempSubdirectory("mlgated-consumer").FullName;
        try
        {
            string references = string.Concat(packages.Select(p =>
                $"    <PackageReference Include=\"{p.Name}\" Version=\"{(p.Name.StartsWith("MLGated.GatedLinear", StringComparison.Ordinal) ? version : p.Version)}\" />\n"));
            File.WriteAllText(Path.Combine(directory, "Consumer.csproj"), $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <OutputType>Exe</OutputType>
                    <TargetFramework>net10.0</TargetFramework>
                    <Nullable>enable</Nullable>
                    <ImplicitUsings>enable</ImplicitUsings>
                    <NoWarn>$(NoWarn);NU1603</NoWarn>
                  </PropertyGroup>
                  <ItemGroup>
                {references}  </ItemGroup>
                </Project>
                """);
            File.WriteAllText(Path.Combine(directory, "nuget.config"), $"""
                <?xml version="1.0" encoding="utf-8"?>
                <configuration>
                  <packageSources>
                    <add key="mlgated-test-feed" value="{feed}" />
                  </packageSources>
                </configuration>
                """);
            File.WriteAllText(Path.Combine(directory, "Program.cs"), programSource);
            return ChildProcess.RunToSuccess("dotnet", ["run", "-c", "Release", "-nologo"], directory);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "MLGated.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("MLGated.sln was not found above the test assembly.");
    }
}
