using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Microsoft.ML.Trainers.GatedLinear;

/// <summary>
/// Makes <c>MLContext.Model.ConvertToOnnx</c> fail loudly on our transformers. ML.NET's exporter converts only
/// transformers that implement its internal ONNX interfaces; the columns of any other transformer it declares as graph
/// inputs and copies to the outputs, so it would write a model that computes nothing, without a warning. A gated network
/// has no ONNX form here, and ML.NET offers no public hook to say so; the exporter is recognized instead by its public
/// entry class on the call stack, from which it calls <see cref="ITransformer.Transform"/> once per conversion.
/// </summary>
internal static class OnnxExportRefusal
{
    /// <summary>The public class of Microsoft.ML.OnnxConverter whose <c>ConvertToOnnx</c> methods call Transform.</summary>
    internal const string ExporterClass = "Microsoft.ML.OnnxExportExtensions";

    /// <exception cref="NotSupportedException">When called, directly or through a chain, by ML.NET's ONNX exporter.</exception>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowIfExporting(ITransformer transformer)
    {
        foreach (StackFrame frame in new StackTrace(skipFrames: 1, fNeedFileInfo: false).GetFrames())
        {
            string? type = frame.GetMethod()?.DeclaringType?.FullName;
            if (type is not null && (type == ExporterClass || type.StartsWith(ExporterClass + "+", StringComparison.Ordinal)))
            {
                throw new NotSupportedException(
                    $"{transformer.GetType().Name} cannot be exported to ONNX: MLContext.Model.ConvertToOnnx has no conversion for MLGated's transformers " +
                    "and would write a graph that passes its inputs through. Score the model with ML.NET (Transform, PredictionEngine) and save it with " +
                    "Microsoft.ML.GatedLinearModel.Save.");
            }
        }
    }
}
