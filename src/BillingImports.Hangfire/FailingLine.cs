namespace BillingImports.Hangfire;

/// <summary>A line of the uploaded file an import could not import, as <see cref="WaitCompletion.FailingLines"/> carries it.</summary>
/// <param name="LineNumber">The line, from 1; 0 when the service did not say.</param>
/// <param name="Field">The field at fault; null when the whole line is.</param>
/// <param name="Error">What is wrong with the line.</param>
/// <param name="ExternalRef">The line's own <c>external_ref</c>, when it had one.</param>
public sealed record FailingLine(long LineNumber, string? Field, string Error, string? ExternalRef)
{
    /// <summary>"line 17, field plan_id: not found", as <see cref="SubscriptionImportError"/> says it.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => Field is { Length: > 0 } field ? $"line {LineNumber}, field {field}: {Error}" : $"line {LineNumber}: {Error}";
}
