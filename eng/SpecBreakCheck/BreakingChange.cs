namespace SpecBreakCheck;

/// <summary>One change between the released spec and the current one that breaks existing clients on the wire.</summary>
/// <param name="Rule">What kind of break it is, one of <see cref="BreakRules"/>.</param>
/// <param name="Location">Where: a path, an operation, a parameter, a response member or a security scheme.</param>
/// <param name="Message">One sentence a reviewer reads.</param>
internal sealed record BreakingChange(string Rule, string Location, string Message)
{
    /// <summary>The stable text an acknowledgement names: <c>rule: location</c>.</summary>
    public string Key => $"{Rule}: {Location}";
}
