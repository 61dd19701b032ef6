using System.Text.Json;
using System.Text.Json.Serialization;

namespace BillingImports;

/// <summary>
/// Reads a member whose shape the service has changed before (or may change) through a lenient
/// reader over the parsed value: whatever the member holds, reading never fails, and a shape the
/// reader does not know reads as null, so one re-typed extra cannot cost the caller the document.
/// </summary>
/// <typeparam name="T">The member type.</typeparam>
internal abstract class TolerantConverter<T> : JsonConverter<T>
    where T : class
{
    public override T? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        return FromJson(document.RootElement);
    }

    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        WriteTo(writer, value);
    }

    protected abstract T? FromJson(JsonElement element);

    protected abstract void WriteTo(Utf8JsonWriter writer, T value);
}

internal sealed class DataSourceProcessingStatusConverter : TolerantConverter<DataSourceProcessingStatus>
{
    protected override DataSourceProcessingStatus? FromJson(JsonElement element) => DataSourceProcessingStatus.FromJson(element);

    protected override void WriteTo(Utf8JsonWriter writer, DataSourceProcessingStatus value) => value.WriteTo(writer);
}

internal sealed class AutoChurnSubscriptionSettingConverter : TolerantConverter<AutoChurnSubscriptionSetting>
{
    protected override AutoChurnSubscriptionSetting? FromJson(JsonElement element) => AutoChurnSubscriptionSetting.FromJson(element);

    protected override void WriteTo(Utf8JsonWriter writer, AutoChurnSubscriptionSetting value) => value.WriteTo(writer);
}

internal sealed class InvoiceHandlingSettingConverter : TolerantConverter<InvoiceHandlingSetting>
{
    protected override InvoiceHandlingSetting? FromJson(JsonElement element) => InvoiceHandlingSetting.FromJson(element);

    protected override void WriteTo(Utf8JsonWriter writer, InvoiceHandlingSetting value) => value.WriteTo(writer);
}

internal sealed class InvoiceHandlingRulesConverter : TolerantConverter<InvoiceHandlingRules>
{
    protected override InvoiceHandlingRules? FromJson(JsonElement element) => InvoiceHandlingRules.FromJson(element);

    protected override void WriteTo(Utf8JsonWriter writer, InvoiceHandlingRules value) => value.WriteTo(writer);
}
