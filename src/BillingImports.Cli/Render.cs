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
        var table = new Table().Border(TableBorder.Rounded).AddColumn("record type").AddColumn(new TableColumn("uploaded").RightAligned()).AddColumn(new TableColumn("imported").RightAligned());
        table.Title = new TableTitle($"import {Markup.Escape(import.Id)}: {Status(import.Status.Value, import.Status.IsKnown)}");
        var records = import.Attributes.Records;
        foreach (var type in records.Uploaded.Keys.Union(records.Imported.Keys).Order(StringComparer.Ordinal))
        {
            table.AddRow(
                Markup.Escape(type),
                records.Uploaded.TryGetValue(type, out var uploaded) ? uploaded.ToString(CultureInfo.InvariantCulture) : "-",
                records.Imported.TryGetValue(type, out var imported) ? imported.ToString(CultureInfo.InvariantCulture) : "-");
        }

        var timestamps = import.Meta?.Timestamps;
        if (timestamps is not null)
        {
            table.Caption = new TableTitle(string.Create(
                CultureInfo.InvariantCulture,
                $"created {timestamps.CreatedAt:u}, started {(timestamps.StartedAt is { } s ? s.ToString("u", CultureInfo.InvariantCulture) : "-")}, finished {(timestamps.FinishedAt is { } f ? f.ToString("u", CultureInfo.InvariantCulture) : "-")}"));
        }

        AnsiConsole.Write(table);
    }

    private static string Status(string value, bool known) =>
        known ? $"[bold]{Markup.Escape(value)}[/]" : $"[bold]{Markup.Escape(value)}[/] [grey](not a documented status)[/]";
}
