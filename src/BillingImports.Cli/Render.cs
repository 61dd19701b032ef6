using System.Globalization;
using System.Text.Json;
using Spectre.Console;

namespace BillingImports.Cli;

/// <summary>Tables for the two resources.</summary>
internal static class Render
{
    public static void DataSource(DataSource source)
    {
        var table = new Table().Border(TableBorder.Rounded).AddColumn("field").AddColumn("value");
        table.AddRow("uuid", Markup.Escape(source.Uuid));
        table.AddRow("name", Markup.Escape(source.Name));
        table.AddRow("system", Markup.Escape(source.System ?? "(not sent)"));
        table.AddRow("status", Status(source.TypedStatus.Value, source.TypedStatus.IsKnown));
        table.AddRow("created", source.CreatedAt?.ToString("u", CultureInfo.InvariantCulture) ?? "(not sent)");
        if (source.ProcessingStatus is { ValueKind: JsonValueKind.Object } processing)
        {
            table.AddRow("processing", Markup.Escape(processing.GetRawText()));
        }

        AnsiConsole.Write(table);
    }

    public static void Import(SubscriptionImport import)
    {
        // Heading and timestamps go on lines of their own: a table title or caption wraps to the table's narrow width.
        AnsiConsole.MarkupLine($"Import {Markup.Escape(import.Id)}: {Status(import.Status.Value, import.Status.IsKnown)}");
        var table = new Table().Border(TableBorder.Rounded).AddColumn("record type").AddColumn(new TableColumn("uploaded").RightAligned()).AddColumn(new TableColumn("imported").RightAligned());
        var records = import.Attributes.Records;
        foreach (var type in records.Uploaded.Keys.Union(records.Imported.Keys).Order(StringComparer.Ordinal))
        {
            table.AddRow(
                Markup.Escape(type),
                records.Uploaded.TryGetValue(type, out var uploaded) ? uploaded.ToString(CultureInfo.InvariantCulture) : "-",
                records.Imported.TryGetValue(type, out var imported) ? imported.ToString(CultureInfo.InvariantCulture) : "-");
        }

        AnsiConsole.Write(table);
        var timestamps = import.Meta?.Timestamps;
        if (timestamps is not null)
        {
            AnsiConsole.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"created {timestamps.CreatedAt:u}, started {(timestamps.StartedAt is { } s ? s.ToString("u", CultureInfo.InvariantCulture) : "-")}, finished {(timestamps.FinishedAt is { } f ? f.ToString("u", CultureInfo.InvariantCulture) : "-")}"));
        }
    }

    private static string Status(string value, bool known) =>
        known ? $"[bold]{Markup.Escape(value)}[/]" : $"[bold]{Markup.Escape(value)}[/] [grey](not a documented status)[/]";
}
