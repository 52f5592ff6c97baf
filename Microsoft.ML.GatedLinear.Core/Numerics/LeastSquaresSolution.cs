namespace Microsoft.ML.GatedLinear.Numerics;

/// <summary>A ridge least-squares solution and what it cost.</summary>
/// <param name="Weights">Row-major [features × outputs].</param>
/// <param name="Features">p.</param>
/// <param name="Outputs">Number of outputs.</param>
/// <param name="Ridge">The λ actually used (raised above the requested one if the system was ill-conditioned).</param>
/// <param name="TrainingLoss">Mean squared residual over rows and outputs.</param>
public sealed record LeastSquaresSolution(double[] Weights, int Features, int Outputs, double Ridge, double TrainingLoss);
