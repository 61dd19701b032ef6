namespace BillingImports;

/// <summary>
/// A data source's processing counts (<c>processing_status</c>, sent with
/// <c>with_processing_status=true</c>). A count the service left out, or sent as something other than
/// a whole number, is null.
/// </summary>
/// <param name="Processed">Records processed.</param>
/// <param name="Pending">Records waiting to be processed.</param>
/// <param name="Failed">Records that failed.</param>
public sealed record DataSourceProcessingStatus(long? Processed, long? Pending, long? Failed)
{
    /// <summary>The sum of the known counts (0 when none is known; saturates instead of overflowing).</summary>
    public long Total => RecordCounts.SaturatingAdd(RecordCounts.SaturatingAdd(Processed ?? 0, Pending ?? 0), Failed ?? 0);
}

/// <summary>
/// A data source's auto-churn setting (<c>auto_churn_subscription_setting</c>). The service first sent
/// a bare boolean and now sends an object with <c>enabled</c> and <c>interval</c>; both read here.
/// </summary>
/// <param name="Enabled">Whether auto-churn is on; null when the object does not say.</param>
/// <param name="Interval">The interval (in days) after which a subscription churns; null for the boolean shape or when absent.</param>
public sealed record AutoChurnSubscriptionSetting(bool? Enabled, int? Interval);

/// <summary>A data source's invoice handling setting (<c>invoice_handling_setting</c>).</summary>
/// <param name="Manual">The rules for manually collected invoices; null when absent.</param>
/// <param name="Automatic">The rules for automatically collected invoices; null when absent.</param>
public sealed record InvoiceHandlingSetting(InvoiceHandlingRules? Manual, InvoiceHandlingRules? Automatic);

/// <summary>
/// One side of <see cref="InvoiceHandlingSetting"/>. Invoice states are free text (<c>open</c>,
/// <c>paid</c>, ...); any member that is absent or of another type is null.
/// </summary>
/// <param name="CreateSubscriptionWhenInvoiceIs">The invoice state that creates a subscription.</param>
/// <param name="UpdateSubscriptionWhenInvoiceIs">The invoice state that updates a subscription.</param>
/// <param name="PreventSubscriptionForInvoiceVoided">Whether a voided invoice is ignored.</param>
/// <param name="PreventSubscriptionForInvoiceRefunded">Whether a refunded invoice is ignored.</param>
/// <param name="PreventSubscriptionForInvoiceWrittenOff">Whether a written-off invoice is ignored.</param>
public sealed record InvoiceHandlingRules(
    string? CreateSubscriptionWhenInvoiceIs,
    string? UpdateSubscriptionWhenInvoiceIs,
    bool? PreventSubscriptionForInvoiceVoided,
    bool? PreventSubscriptionForInvoiceRefunded,
    bool? PreventSubscriptionForInvoiceWrittenOff);
