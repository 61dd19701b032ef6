namespace SpecBreakCheck;

/// <summary>The breaks found, split by whether a committed acknowledgement covers them.</summary>
/// <param name="Unacknowledged">Breaks nobody acknowledged: the check fails.</param>
/// <param name="Acknowledged">Breaks with the acknowledgement that covers them.</param>
/// <param name="Stale">Acknowledgements that cover no break any more: the check fails until they are removed.</param>
internal sealed record BreakCheckResult(
    IReadOnlyList<BreakingChange> Unacknowledged,
    IReadOnlyList<(BreakingChange Change, Acknowledgement Acknowledgement)> Acknowledged,
    IReadOnlyList<Acknowledgement> Stale)
{
    /// <summary>Whether the check passes.</summary>
    public bool Passed => Unacknowledged.Count == 0 && Stale.Count == 0;

    /// <summary>Splits <paramref name="breaks"/> by <paramref name="acknowledgements"/>.</summary>
    public static BreakCheckResult From(IReadOnlyList<BreakingChange> breaks, IReadOnlyList<Acknowledgement> acknowledgements)
    {
        var unacknowledged = new List<BreakingChange>();
        var acknowledged = new List<(BreakingChange, Acknowledgement)>();
        foreach (var change in breaks)
        {
            if (acknowledgements.FirstOrDefault(acknowledgement => acknowledgement.Covers(change)) is { } covering)
            {
                acknowledged.Add((change, covering));
            }
            else
            {
                unacknowledged.Add(change);
            }
        }

        // An entry left behind after its break is fixed or released would silently cover a new break.
        var stale = acknowledgements.Where(acknowledgement => !breaks.Any(acknowledgement.Covers)).ToList();
        return new BreakCheckResult(unacknowledged, acknowledged, stale);
    }
}
