using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Microsoft.ML.GatedLinear.Tests.Packaging;

/// <summary>
/// Runs a committed notebook in a real .NET Interactive kernel, driven headless by Jupyter's <c>nbconvert</c>, against
/// the libraries packed for this test run: the notebook's <c>#r "nuget: MLGated.GatedLinear, …"</c> line is pointed at
/// the packed version and the local feed (<c>#i</c>), nothing else changes. <c>build/test.sh</c> installs both tools and
/// passes the kernel's path in <see cref="KernelVariable"/>.
/// </summary>
internal static partial class NotebookKernel
{
    /// <summary>The dotnet-interactive executable (build/test.sh installs it into a temporary tool path).</summary>
    public const string KernelVariable = "MLGATED_DOTNET_INTERACTIVE";

    /// <summary>Set by build/test.sh, with the reason, only when the kernel could not be installed on this machine.</summary>
    public const string SkipVariable = "MLGATED_NOTEBOOKS_SKIPPED";

    /// <summary>When "1", a run writes its outputs back into the committed notebook (sources untouched).</summary>
    public const string StoreVariable = "MLGATED_STORE_NOTEBOOK_OUTPUTS";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, IndentSize = 1, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Where the kernel is, or why there is none (then <c>null</c>).</summary>
    public static string? FindKernel(out string whyNot)
    {
        whyNot = "";
        string? kernel = Environment.GetEnvironmentVariable(KernelVariable);
        if (string.IsNullOrEmpty(kernel))
        {
            string home = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".dotnet", "tools", "dotnet-interactive");
            kernel = File.Exists(home) ? home : null;
        }

        if (kernel is null)
        {
            whyNot = $"no dotnet-interactive: run build/test.sh (it installs the kernel) or set {KernelVariable}.";
        }

        return kernel;
    }

    /// <summary>Executes the notebook and returns it with its outputs; throws with the failing cell's error.</summary>
    public static JsonObject Execute(string kernel, string notebookPath, (string Feed, string Version) packed)
    {
        string directory = Directory.CreateTempSubdirectory("mlgated-notebook").FullName;
        try
        {
            JsonObject notebook = Read(notebookPath);
            JsonObject packageCell = PackageCell(notebook) ?? throw new InvalidOperationException($"{notebookPath} has no '#r \"nuget: MLGated.GatedLinear, …\"' line.");
            string source = PackageLine().Replace(Source(packageCell), $"#r \"nuget: MLGated.GatedLinear, {packed.Version}\"");
            packageCell["source"] = $"#i \"nuget: {packed.Feed}\"\n{source}";

            string input = Path.Combine(directory, "notebook.ipynb"), output = Path.Combine(directory, "executed.ipynb");
            File.WriteAllText(input, notebook.ToJsonString());
            WriteKernelSpec(Path.Combine(directory, "jupyter"), kernel);
            var environment = new Dictionary<string, string> { ["JUPYTER_PATH"] = Path.Combine(directory, "jupyter"), ["DOTNET_INTERACTIVE_CLI_TELEMETRY_OPTOUT"] = "1" };
            ChildProcess.Result run = ChildProcess.Run("jupyter-nbconvert", ["--to", "notebook", "--execute", "--ExecutePreprocessor.timeout=600", "--output", output, input], directory, environment, TimeSpan.FromMinutes(9));
            if (run.ExitCode != 0)
            {
                // nbconvert's CellExecutionError names the cell and the kernel's error; the hosting chatter before it is noise.
                int at = run.Error.IndexOf("CellExecutionError", StringComparison.Ordinal);
                throw new InvalidOperationException($"jupyter-nbconvert exited with {run.ExitCode}:\n{(at >= 0 ? run.Error[at..] : run.Error)}\n{run.Output}");
            }

            return Read(output);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>The cell that references our package (its outputs name a temporary feed and version, so they are not stored).</summary>
    public static JsonObject? PackageCell(JsonObject notebook) =>
        Cells(notebook).FirstOrDefault(cell => PackageLine().IsMatch(Source(cell)));

    public static IEnumerable<JsonObject> Cells(JsonObject notebook) => notebook["cells"]!.AsArray().Select(cell => cell!.AsObject());

    public static string Source(JsonObject cell) => Text(cell["source"]);

    /// <summary>A multi-line string field of nbformat: one string, or a list of lines.</summary>
    public static string Text(JsonNode? field) => field switch
    {
        JsonArray lines => string.Concat(lines.Select(line => line!.GetValue<string>())),
        JsonNode text => text.GetValue<string>(),
        null => "",
    };

    public static JsonArray Outputs(JsonObject cell) => cell["outputs"] as JsonArray ?? [];

    public static JsonObject Read(string path) => JsonNode.Parse(File.ReadAllText(path))!.AsObject();

    /// <summary>Copies each code cell's outputs and execution count from <paramref name="executed"/> into the committed notebook.</summary>
    public static void StoreOutputs(string notebookPath, JsonObject executed)
    {
        JsonObject committed = Read(notebookPath);
        JsonObject[] from = [.. Cells(executed)], to = [.. Cells(committed)];
        JsonObject? packageCell = PackageCell(committed);
        for (int i = 0; i < to.Length; i++)
        {
            if ((string?)to[i]["cell_type"] != "code")
            {
                continue;
            }

            bool keep = !ReferenceEquals(to[i], packageCell);
            to[i]["outputs"] = keep ? Outputs(from[i]).DeepClone() : new JsonArray();
            to[i]["execution_count"] = keep ? from[i]["execution_count"]?.DeepClone() : null;
        }

        File.WriteAllText(notebookPath, committed.ToJsonString(Indented) + "\n");
    }

    // The kernel spec dotnet-interactive would register, written to a private Jupyter path so the run needs no global install.
    private static void WriteKernelSpec(string jupyterPath, string kernel)
    {
        string spec = Path.Combine(jupyterPath, "kernels", ".net-csharp");
        Directory.CreateDirectory(spec);
        var argv = new JsonArray(kernel, "jupyter", "--default-kernel", "csharp", "{connection_file}", "--http-port-range", "2048-3000");
        File.WriteAllText(Path.Combine(spec, "kernel.json"), new JsonObject { ["argv"] = argv, ["display_name"] = ".NET (C#)", ["language"] = "C#" }.ToJsonString());
    }

    [GeneratedRegex("""#r "nuget: MLGated\.GatedLinear, [^"]+"(?=\s*$)""", RegexOptions.Multiline)]
    private static partial Regex PackageLine();
}
