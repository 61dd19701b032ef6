using System.Globalization;
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
        table.AddRow("status", Status(source.Status.Value, source.Status.IsKnown));
        table.AddRow("created", source.CreatedAt?.ToString("u", CultureInfo.InvariantCulture) ?? "(not sent)");
        if (source.ProcessingStatus is { } processing)
        {
            table.AddRow("processing", string.Create(CultureInfo.InvariantCulture, $"{Count(processing.Processed)} processed, {Count(processing.Pending)} pending, {Count(processing.Failed)} failed"));
        }

        AnsiConsole.Write(table);
    }

    public static void Import(SubscriptionImport import)
    {
        // Heading and timestamps go on lines of their own: a table title or caption wraps to the table's narrow width.
        AnsiConsole.MarkupLine($"Import {Markup.Escape(import.Id)}: {Status(import.Status.Value, import.Status.IsKnown)}{(import.ExternalRef is { } reference ? $" [grey](external_ref {Markup.Escape(reference)})[/]" : string.Empty)}");
        var table = new Table().Border(TableBorder.Rounded).AddColumn("record type").AddColumn(new TableColumn("uploaded").RightAligned()).AddColumn(new TableColumn("imported").RightAligned());
        var records = import.Records;
        foreach (var type in records.Uploaded.Keys.Union(records.Imported.Keys).Order(StringComparer.Ordinal))
        {
            table.AddRow(
                Markup.Escape(type),
                records.Uploaded.TryGetValue(type, out var uploaded) ? uploaded.ToString(CultureInfo.InvariantCulture) : "-",
                records.Imported.TryGetValue(type, out var imported) ? imported.ToString(CultureInfo.InvariantCulture) : "-");
        }

        AnsiConsole.Write(table);
        var timestamps = import.Timestamps;
        AnsiConsole.WriteLine($"created {Time(timestamps.CreatedAt)}, started {Time(timestamps.StartedAt)}, finished {Time(timestamps.FinishedAt)}");
    }

    /// <summary>"line 17, field plan_id: not found", one line each.</summary>
    public static void ImportErrors(IEnumerable<SubscriptionImportError> errors)
    {
        foreach (var error in errors)
        {
            AnsiConsole.MarkupLine($"  [red]{Markup.Escape(error.ToString())}[/]{(error.ExternalRef is { } reference ? $" [grey]({Markup.Escape(reference)})[/]" : string.Empty)}");
        }
    }

    private static string Time(DateTimeOffset? time) => time?.ToString("u", CultureInfo.InvariantCulture) ?? "-";

    private static string Count(long? count) => count?.ToString(CultureInfo.InvariantCulture) ?? "?";

    private static string Status(string value, bool known) =>
        known ? $"[bold]{Markup.Escape(value)}[/]" : $"[bold]{Markup.Escape(value)}[/] [grey](not a documented status)[/]";
}
