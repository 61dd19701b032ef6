using System.Text.RegularExpressions;

namespace SpecBreakCheck;

/// <summary>A break the next release accepts, with the reason a reviewer agreed to.</summary>
/// <param name="Change">
/// The break's key as the check prints it (<c>rule: location</c>); <c>*</c> stands for any text, so
/// one entry can cover a member every response of an operation loses.
/// </param>
/// <param name="Reason">Why the break is accepted.</param>
internal sealed record Acknowledgement(string Change, string Reason)
{
    /// <summary>Whether this acknowledgement covers <paramref name="change"/>.</summary>
    public bool Covers(BreakingChange change) => Regex.IsMatch(
        change.Key,
        "^" + string.Join(".*", Change.Split('*').Select(Regex.Escape)) + "$",
        RegexOptions.CultureInvariant);
}
