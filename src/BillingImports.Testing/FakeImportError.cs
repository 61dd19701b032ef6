namespace BillingImports.Testing;

/// <summary>
/// One failing line a <see cref="FakeBillingServer"/> reports for a scripted import at
/// <c>GET /v2/subscriptions/imports/{id}/errors</c>.
/// </summary>
/// <param name="LineNumber">The line of the uploaded file, from 1.</param>
/// <param name="Field">The field at fault, or null when the whole line is.</param>
/// <param name="Error">What is wrong with the line, such as <c>not found</c>.</param>
/// <param name="ExternalRef">The line's own external reference, or null.</param>
public sealed record FakeImportError(long LineNumber, string? Field, string Error, string? ExternalRef = null);
