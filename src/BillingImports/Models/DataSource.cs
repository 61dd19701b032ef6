using System.Text.Json;
using System.Text.Json.Serialization;

namespace BillingImports;

// CUSTOM: the typed, open view of the generated string status, tolerant accessors for the with_*
// members (kept as raw JSON because one of them changed type), and the missing-member rules.
public partial class DataSource : IJsonOnDeserialized
{
    /// <summary>The status as an open value; <see cref="Status"/> keeps the raw string.</summary>
    [JsonIgnore]
    public DataSourceStatus TypedStatus => new(Status);

    /// <summary>
    /// Reads <see cref="ProcessingStatus"/> (sent with <c>with_processing_status=true</c>).
    /// </summary>
    /// <param name="processingStatus">The counts; a count that is missing or not a whole number is null.</param>
    /// <returns>False, never an exception, when the member is absent, null or not an object.</returns>
    public bool TryGetProcessingStatus([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out DataSourceProcessingStatus? processingStatus)
    {
        processingStatus = null;
        if (ProcessingStatus is not { ValueKind: JsonValueKind.Object } element)
        {
            return false;
        }

        processingStatus = new DataSourceProcessingStatus(
            Count(element, "processed"),
            Count(element, "pending"),
            Count(element, "failed"));
        return true;
    }

    /// <summary>
    /// Reads <see cref="AutoChurnSubscriptionSetting"/> (sent with
    /// <c>with_auto_churn_subscription_setting=true</c>) in both shapes the service has used: a bare
    /// boolean, and the object with <c>enabled</c> and <c>interval</c>.
    /// </summary>
    /// <param name="setting">The setting; <see cref="AutoChurnSubscriptionSetting.Interval"/> is null for the boolean shape.</param>
    /// <returns>False, never an exception, when the member is absent, null or of another shape.</returns>
    public bool TryGetAutoChurnSubscriptionSetting([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out AutoChurnSubscriptionSetting? setting)
    {
        setting = null;
        if (AutoChurnSubscriptionSetting is not { } element)
        {
            return false;
        }

        if (JsonValues.GetBoolean(element) is { } flag)
        {
            setting = new AutoChurnSubscriptionSetting(flag, null);
            return true;
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        setting = new AutoChurnSubscriptionSetting(
            JsonValues.TryGetMember(element, "enabled", out var enabled) ? JsonValues.GetBoolean(enabled) : null,
            JsonValues.TryGetMember(element, "interval", out var interval) ? JsonValues.GetInt32(interval) : null);
        return true;
    }

    /// <summary>Reads <see cref="InvoiceHandlingSetting"/> (sent with <c>with_invoice_handling_setting=true</c>).</summary>
    /// <param name="setting">The rules for manual and automatic collection; a side that is absent or not an object is null.</param>
    /// <returns>False, never an exception, when the member is absent, null or not an object.</returns>
    public bool TryGetInvoiceHandlingSetting([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out InvoiceHandlingSetting? setting)
    {
        setting = null;
        if (InvoiceHandlingSetting is not { ValueKind: JsonValueKind.Object } element)
        {
            return false;
        }

        setting = new InvoiceHandlingSetting(Rules(element, "manual"), Rules(element, "automatic"));
        return true;
    }

    /// <summary>
    /// Applies the missing-member rules after reading: a body with none of <c>uuid</c>, <c>name</c>
    /// and <c>status</c> is not a data source (the caller gets an invalid-response error); otherwise a
    /// missing or null <c>uuid</c>, <c>name</c> or <c>status</c> reads as the empty string, so the
    /// non-nullable properties never hold null and the status reads as unknown.
    /// </summary>
    void IJsonOnDeserialized.OnDeserialized()
    {
        if (Uuid is null && Name is null && Status is null)
        {
            // JsonException: the generated client turns it into BillingImportsApiException (InvalidResponse).
            throw new JsonException("The body is not a data source: it has none of uuid, name and status.");
        }

        Uuid ??= string.Empty;
        Name ??= string.Empty;
        Status ??= string.Empty;
    }

    private static long? Count(JsonElement element, string name) =>
        JsonValues.TryGetMember(element, name, out var member) ? JsonValues.GetInt64(member) : null;

    private static InvoiceHandlingRules? Rules(JsonElement element, string name)
    {
        if (!JsonValues.TryGetMember(element, name, out var rules) || rules.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        return new InvoiceHandlingRules(
            JsonValues.GetMemberText(rules, "create_subscription_when_invoice_is"),
            JsonValues.GetMemberText(rules, "update_subscription_when_invoice_is"),
            Flag(rules, "prevent_subscription_for_invoice_voided"),
            Flag(rules, "prevent_subscription_for_invoice_refunded"),
            Flag(rules, "prevent_subscription_for_invoice_written_off"));
    }

    private static bool? Flag(JsonElement element, string name) =>
        JsonValues.TryGetMember(element, name, out var member) ? JsonValues.GetBoolean(member) : null;
}
