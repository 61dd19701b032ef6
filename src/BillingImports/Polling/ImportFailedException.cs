using System.Globalization;

namespace BillingImports;

/// <summary>
/// An Elastic Path import job finished with status <c>failed</c>. <see cref="Import"/> is the final
/// state, with the record counts that were uploaded and imported.
/// </summary>
public sealed class ImportFailedException : Exception
{
    /// <summary>Creates the exception for a failed import.</summary>
    /// <param name="import">The final state of the job.</param>
    public ImportFailedException(SubscriptionImport import)
        : base(Describe(import))
    {
        Import = import;
    }

    /// <summary>The final state of the job.</summary>
    public SubscriptionImport Import { get; }

    /// <summary>The job id.</summary>
    public string ImportId => Import.Id;

    /// <summary>Records uploaded, by record type.</summary>
    public IDictionary<string, long> Uploaded => Import.Attributes.Records.Uploaded;

    /// <summary>Records imported before the failure, by record type.</summary>
    public IDictionary<string, long> Imported => Import.Attributes.Records.Imported;

    private static string Describe(SubscriptionImport import)
    {
        ArgumentNullException.ThrowIfNull(import);
        var counts = import.Attributes?.Records;
        var imported = counts?.ImportedCounts.Total ?? 0;
        var uploaded = counts?.UploadedCounts.Total ?? 0;
        return string.Create(CultureInfo.InvariantCulture, $"Import {import.Id} failed after importing {imported} of {uploaded} records.");
    }
}
