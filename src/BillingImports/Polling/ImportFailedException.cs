using System.Globalization;

namespace BillingImports;

/// <summary>
/// An Elastic Path import job finished with status <c>failed</c>. <see cref="Import"/> is the final
/// state with its record counts, and <see cref="ImportErrors"/> the first lines that failed, fetched
/// once when the wait saw the failure.
/// </summary>
public sealed class ImportFailedException : Exception
{
    /// <summary>Creates the exception for a failed import.</summary>
    /// <param name="import">The final state of the job.</param>
    /// <param name="importErrors">The first failing lines, when known.</param>
    /// <param name="importErrorsFailure">Why the failing lines could not be read, when they could not.</param>
    public ImportFailedException(SubscriptionImport import, IReadOnlyList<SubscriptionImportError>? importErrors = null, Exception? importErrorsFailure = null)
        : base(Describe(import, importErrors))
    {
        Import = import;
        ImportErrors = importErrors ?? [];
        ImportErrorsFailure = importErrorsFailure;
    }

    /// <summary>The final state of the job.</summary>
    public SubscriptionImport Import { get; }

    /// <summary>The job id.</summary>
    public string ImportId => Import.Id;

    /// <summary>Records uploaded, by record type.</summary>
    public RecordCounts Uploaded => Import.Records.Uploaded;

    /// <summary>Records imported before the failure, by record type.</summary>
    public RecordCounts Imported => Import.Records.Imported;

    /// <summary>
    /// The first lines the job could not import (at most <see cref="PollingOptions.ImportErrorsOnFailure"/>),
    /// in line order; empty when none were reported or they could not be read
    /// (<see cref="ImportErrorsFailure"/>). <c>GetImportErrorsAsync</c> reads them all.
    /// </summary>
    public IReadOnlyList<SubscriptionImportError> ImportErrors { get; }

    /// <summary>
    /// Why <see cref="ImportErrors"/> could not be read (a <see cref="BillingImportsApiException"/>, a
    /// timeout, a cancellation); null when they were read or not asked for. Never hides the job's failure.
    /// </summary>
    public Exception? ImportErrorsFailure { get; }

    private static string Describe(SubscriptionImport import, IReadOnlyList<SubscriptionImportError>? errors)
    {
        ArgumentNullException.ThrowIfNull(import);
        var records = import.Meta?.Records;
        var imported = records?.Imported.Total ?? 0;
        var uploaded = records?.Uploaded.Total ?? 0;
        var message = string.Create(CultureInfo.InvariantCulture, $"Import {import.Id} failed after importing {imported} of {uploaded} records");
        return errors is { Count: > 0 }
            ? string.Create(CultureInfo.InvariantCulture, $"{message}; first failing {(errors.Count == 1 ? "line" : "lines")}: {string.Join("; ", errors.Take(3))}.")
            : message + ".";
    }
}
