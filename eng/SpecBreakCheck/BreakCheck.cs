namespace SpecBreakCheck;

/// <summary>The check as CI runs it: read both documents and the acknowledgements, compare, report.</summary>
internal static class BreakCheck
{
    /// <summary>Exit code: no break, or only acknowledged ones.</summary>
    public const int Passed = 0;

    /// <summary>Exit code: an unacknowledged break or a stale acknowledgement.</summary>
    public const int Failed = 1;

    /// <summary>Exit code: a file could not be read.</summary>
    public const int Unreadable = 2;

    /// <summary>Runs the check and writes the report to <paramref name="output"/>; returns the exit code.</summary>
    /// <param name="baselinePath">The last released spec.</param>
    /// <param name="specPath">The current spec.</param>
    /// <param name="acknowledgedPath">The acknowledged breaks.</param>
    /// <param name="output">Where the report goes.</param>
    public static int Run(string baselinePath, string specPath, string acknowledgedPath, TextWriter output)
    {
        BreakCheckResult result;
        try
        {
            var breaks = SpecComparer.Compare(SpecDocumentLoader.Load(baselinePath), SpecDocumentLoader.Load(specPath));
            result = BreakCheckResult.From(breaks, AcknowledgementFile.Load(acknowledgedPath));
        }
        catch (SpecLoadException error)
        {
            output.WriteLine($"error: {error.Message}");
            return Unreadable;
        }

        output.WriteLine($"Wire-level changes of {specPath} against {baselinePath}:");
        foreach (var change in result.Unacknowledged)
        {
            output.WriteLine($"BREAK {change.Key}");
            output.WriteLine($"      {change.Message}");
        }

        foreach (var (change, acknowledgement) in result.Acknowledged)
        {
            output.WriteLine($"acknowledged {change.Key}");
            output.WriteLine($"      {acknowledgement.Reason}");
        }

        foreach (var acknowledgement in result.Stale)
        {
            output.WriteLine($"STALE acknowledgement \"{acknowledgement.Change}\" covers no break; remove it from {acknowledgedPath}.");
        }

        var total = result.Unacknowledged.Count + result.Acknowledged.Count;
        output.WriteLine($"{total} breaking change(s): {result.Acknowledged.Count} acknowledged, {result.Unacknowledged.Count} not; {result.Stale.Count} stale acknowledgement(s).");
        if (result.Unacknowledged.Count > 0)
        {
            output.WriteLine($"Keep the released behaviour, or add each break to {acknowledgedPath} with the reason it is accepted.");
        }

        return result.Passed ? Passed : Failed;
    }
}
