namespace Microsoft.ML.GatedLinear.Persistence;

/// <summary>A model file is not an MLGated model, is corrupted or truncated, or was written by a newer format.</summary>
public sealed class ModelFormatException : Exception
{
    /// <summary>Creates the exception with a message saying what is wrong with the file.</summary>
    public ModelFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the error that revealed the problem.</summary>
    public ModelFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
