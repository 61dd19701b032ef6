using System.Text.Json;
using System.Text.Json.Serialization;

namespace BillingImports;

/// <summary>
/// A data source's processing counts (<c>processing_status</c>, sent with
/// <c>with_processing_status=true</c>). A count the service left out, or sent as something other than
/// a whole number, is null; a member of another shape reads as no processing status at all.
/// </summary>
/// <param name="Processed">Records processed.</param>
/// <param name="Pending">Records waiting to be processed.</param>
/// <param name="Failed">Records that failed.</param>
[JsonConverter(typeof(DataSourceProcessingStatusConverter))]
public sealed record DataSourceProcessingStatus(long? Processed, long? Pending, long? Failed)
{
    /// <summary>The sum of the known counts (0 when none is known; saturates instead of overflowing).</summary>
    public long Total => RecordCounts.SaturatingAdd(RecordCounts.SaturatingAdd(Processed ?? 0, Pending ?? 0), Failed ?? 0);

    internal static DataSourceProcessingStatus? FromJson(JsonElement element) =>
        element.ValueKind != JsonValueKind.Object
            ? null
            : new DataSourceProcessingStatus(Count(element, "processed"), Count(element, "pending"), Count(element, "failed"));

    internal void WriteTo(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        WriteCount(writer, "processed", Processed);
        WriteCount(writer, "pending", Pending);
        WriteCount(writer, "failed", Failed);
        writer.WriteEndObject();
    }

    private static long? Count(JsonElement element, string name) =>
        JsonValues.TryGetMember(element, name, out var member) ? JsonValues.GetInt64(member) : null;

    private static void WriteCount(Utf8JsonWriter writer, string name, long? count)
    {
        if (count is { } value)
        {
            writer.WriteNumber(name, value);
        }
    }
}

/// <summary>
/// A data source's auto-churn setting (<c>auto_churn_subscription_setting</c>). The service first sent
/// a bare boolean and now sends an object with <c>enabled</c> and <c>interval</c>; both read here, and
/// any other shape reads as no setting.
/// </summary>
/// <param name="Enabled">Whether auto-churn is on; null when the object does not say.</param>
/// <param name="Interval">The interval (in days) after which a subscription churns; null for the boolean shape or when absent.</param>
[JsonConverter(typeof(AutoChurnSubscriptionSettingConverter))]
public sealed record AutoChurnSubscriptionSetting(bool? Enabled, int? Interval)
{
    internal static AutoChurnSubscriptionSetting? FromJson(JsonElement element)
    {
        if (JsonValues.GetBoolean(element) is { } flag)
        {
            return new AutoChurnSubscriptionSetting(flag, null);
        }

        return element.ValueKind != JsonValueKind.Object
            ? null
            : new AutoChurnSubscriptionSetting(
                JsonValues.TryGetMember(element, "enabled", out var enabled) ? JsonValues.GetBoolean(enabled) : null,
                JsonValues.TryGetMember(element, "interval", out var interval) ? JsonValues.GetInt32(interval) : null);
    }

    internal void WriteTo(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        if (Enabled is { } enabled)
        {
            writer.WriteBoolean("enabled", enabled);
        }

        if (Interval is { } interval)
        {
            writer.WriteNumber("interval", interval);
        }

        writer.WriteEndObject();
    }
}

/// <summary>A data source's invoice handling setting (<c>invoice_handling_setting</c>); any other shape reads as no setting.</summary>
/// <param name="Manual">The rules for manually collected invoices; null when absent.</param>
/// <param name="Automatic">The rules for automatically collected invoices; null when absent.</param>
[JsonConverter(typeof(InvoiceHandlingSettingConverter))]
public sealed record InvoiceHandlingSetting(InvoiceHandlingRules? Manual, InvoiceHandlingRules? Automatic)
{
    internal static InvoiceHandlingSetting? FromJson(JsonElement element) =>
        element.ValueKind != JsonValueKind.Object
            ? null
            : new InvoiceHandlingSetting(
                JsonValues.TryGetMember(element, "manual", out var manual) ? InvoiceHandlingRules.FromJson(manual) : null,
                JsonValues.TryGetMember(element, "automatic", out var automatic) ? InvoiceHandlingRules.FromJson(automatic) : null);

    internal void WriteTo(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        if (Manual is { } manual)
        {
            writer.WritePropertyName("manual");
            manual.WriteTo(writer);
        }

        if (Automatic is { } automatic)
        {
            writer.WritePropertyName("automatic");
            automatic.WriteTo(writer);
        }

        writer.WriteEndObject();
    }
}

/// <summary>
/// One side of <see cref="InvoiceHandlingSetting"/>. Invoice states are free text (<c>open</c>,
/// <c>paid</c>, ...); any member that is absent or of another type is null.
/// </summary>
/// <param name="CreateSubscriptionWhenInvoiceIs">The invoice state that creates a subscription.</param>
/// <param name="UpdateSubscriptionWhenInvoiceIs">The invoice state that updates a subscription.</param>
/// <param name="PreventSubscriptionForInvoiceVoided">Whether a voided invoice is ignored.</param>
/// <param name="PreventSubscriptionForInvoiceRefunded">Whether a refunded invoice is ignored.</param>
/// <param name="PreventSubscriptionForInvoiceWrittenOff">Whether a written-off invoice is ignored.</param>
[JsonConverter(typeof(InvoiceHandlingRulesConverter))]
public sealed record InvoiceHandlingRules(
    string? CreateSubscriptionWhenInvoiceIs,
    string? UpdateSubscriptionWhenInvoiceIs,
    bool? PreventSubscriptionForInvoiceVoided,
    bool? PreventSubscriptionForInvoiceRefunded,
    bool? PreventSubscriptionForInvoiceWrittenOff)
{
    internal static InvoiceHandlingRules? FromJson(JsonElement element) =>
        element.ValueKind != JsonValueKind.Object
            ? null
            : new InvoiceHandlingRules(
                JsonValues.GetMemberText(element, "create_subscription_when_invoice_is"),
                JsonValues.GetMemberText(element, "update_subscription_when_invoice_is"),
                Flag(element, "prevent_subscription_for_invoice_voided"),
                Flag(element, "prevent_subscription_for_invoice_refunded"),
                Flag(element, "prevent_subscription_for_invoice_written_off"));

    internal void WriteTo(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        WriteText(writer, "create_subscription_when_invoice_is", CreateSubscriptionWhenInvoiceIs);
        WriteText(writer, "update_subscription_when_invoice_is", UpdateSubscriptionWhenInvoiceIs);
        WriteFlag(writer, "prevent_subscription_for_invoice_voided", PreventSubscriptionForInvoiceVoided);
        WriteFlag(writer, "prevent_subscription_for_invoice_refunded", PreventSubscriptionForInvoiceRefunded);
        WriteFlag(writer, "prevent_subscription_for_invoice_written_off", PreventSubscriptionForInvoiceWrittenOff);
        writer.WriteEndObject();
    }

    private static bool? Flag(JsonElement element, string name) =>
        JsonValues.TryGetMember(element, name, out var member) ? JsonValues.GetBoolean(member) : null;

    private static void WriteText(Utf8JsonWriter writer, string name, string? text)
    {
        if (text is not null)
        {
            writer.WriteString(name, text);
        }
    }

    private static void WriteFlag(Utf8JsonWriter writer, string name, bool? flag)
    {
        if (flag is { } value)
        {
            writer.WriteBoolean(name, value);
        }
    }
}
