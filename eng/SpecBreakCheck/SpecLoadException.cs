namespace SpecBreakCheck;

/// <summary>A spec or acknowledgement file that cannot be read.</summary>
internal sealed class SpecLoadException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SpecLoadException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    public SpecLoadException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
