using System.Globalization;
using Spectre.Console;

namespace BillingImports.Cli;

/// <summary>What each command does, written against the SDK's public API only.</summary>
internal static class Commands
{
    public static async Task<int> SourceGetAsync(CliEnvironment environment, string uuid, CancellationToken cancellationToken)
    {
        var source = await environment.DataSources.GetDataSourceAsync(uuid, withProcessingStatus: true, cancellationToken: cancellationToken);
        Render.DataSource(source);
        return 0;
    }

    public static async Task<int> SourceWaitAsync(CliEnvironment environment, string uuid, CancellationToken cancellationToken)
    {
        DataSource? final = null;
        await AnsiConsole.Status().StartAsync($"Waiting for data source {Markup.Escape(uuid)}", async context =>
        {
            var progress = new Reporter<DataSourceProgress>(p =>
                context.Status($"Data source {Markup.Escape(uuid)}: [yellow]{Markup.Escape(p.Status.Value)}[/] (poll {p.Attempt}, {p.Elapsed.TotalSeconds:F0} s)"));
            final = await environment.DataSources.WaitForCompletionAsync(uuid, environment.Polling, progress, cancellationToken);
        });
        AnsiConsole.MarkupLine($"[green]Done:[/] {Markup.Escape(final!.Name)} is {Markup.Escape(final.Status.Value)}.");
        return 0;
    }

    public static async Task<int> ImportGetAsync(CliEnvironment environment, string id, CancellationToken cancellationToken)
    {
        var import = await environment.Imports.GetImportAsync(id, cancellationToken);
        Render.Import(import);
        return 0;
    }

    public static async Task<int> ImportErrorsAsync(CliEnvironment environment, string id, CancellationToken cancellationToken)
    {
        var count = 0;
        await foreach (var error in environment.Imports.GetImportErrorsAsync(id, cancellationToken: cancellationToken))
        {
            Render.ImportErrors([error]);
            count++;
        }

        AnsiConsole.MarkupLine(count == 0 ? "No failing lines." : $"{count} failing {(count == 1 ? "line" : "lines")}.");
        return 0;
    }

    public static async Task<int> ImportWaitAsync(CliEnvironment environment, string id, CancellationToken cancellationToken)
    {
        SubscriptionImport? final = null;
        try
        {
            await AnsiConsole.Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
                .StartAsync(async context =>
                {
                    var bar = context.AddTask($"Import {Markup.Escape(id)}: waiting", maxValue: 1);
                    var progress = new Reporter<ImportProgress>(p =>
                    {
                        bar.MaxValue = Math.Max(1, p.Uploaded);
                        bar.Value = p.Imported;
                        bar.Description = string.Create(CultureInfo.InvariantCulture, $"Import {Markup.Escape(id)}: [yellow]{Markup.Escape(p.Status.Value)}[/] {p.Imported}/{p.Uploaded} records");
                    });
                    try
                    {
                        final = await environment.Imports.WaitForCompletionAsync(id, environment.Polling, progress, cancellationToken);
                    }
                    finally
                    {
                        bar.StopTask();
                    }
                });
        }
        catch (ImportFailedException failed)
        {
            AnsiConsole.MarkupLine($"[red]Failed:[/] import {Markup.Escape(failed.ImportId)} imported {failed.Imported.Total} of {failed.Uploaded.Total} records.");
            Render.Import(failed.Import);
            if (failed.ImportErrors.Count > 0)
            {
                AnsiConsole.MarkupLine(failed.ImportErrors.Count == 1 ? "First failing line:" : $"First {failed.ImportErrors.Count} failing lines:");
                Render.ImportErrors(failed.ImportErrors);
            }
            else if (failed.ImportErrorsFailure is { } failure)
            {
                AnsiConsole.MarkupLine($"[grey]The failing lines could not be read: {Markup.Escape(failure.Message)}[/]");
            }

            return ExitCodes.ImportFailed;
        }

        AnsiConsole.MarkupLine($"[green]Done:[/] import {Markup.Escape(final!.Id)} finished with status {Markup.Escape(final.Status.Value)}.");
        Render.Import(final);
        return 0;
    }

    /// <summary>Runs every command once against the embedded fake server.</summary>
    public static async Task<int> DemoAsync(CliEnvironment environment, CancellationToken cancellationToken)
    {
        if (!environment.IsDemo)
        {
            AnsiConsole.MarkupLine("Credentials are set, so there is no demo to run; try [bold]--help[/].");
            return ExitCodes.Usage;
        }

        AnsiConsole.Write(new Rule("[bold]billing-imports source get[/]").LeftJustified());
        await SourceGetAsync(environment, CliEnvironment.DemoDataSourceUuid, cancellationToken);
        AnsiConsole.Write(new Rule("[bold]billing-imports source wait[/]").LeftJustified());
        await SourceWaitAsync(environment, CliEnvironment.DemoDataSourceUuid, cancellationToken);
        AnsiConsole.Write(new Rule("[bold]billing-imports import wait[/]").LeftJustified());
        var succeeded = await ImportWaitAsync(environment, CliEnvironment.DemoImportId, cancellationToken);
        AnsiConsole.Write(new Rule("[bold]billing-imports import wait (a failing import)[/]").LeftJustified());
        var failed = await ImportWaitAsync(environment, CliEnvironment.DemoFailingImportId, cancellationToken);
        AnsiConsole.Write(new Rule("[bold]billing-imports import get (an unknown id)[/]").LeftJustified());
        var missing = await Program.GuardAsync(() => ImportGetAsync(environment, "12345678-9abc-4def-8123-456789abcdef", cancellationToken));

        // The demo succeeds when every command behaved as scripted, failures included.
        return succeeded == 0 && failed == ExitCodes.ImportFailed && missing == ExitCodes.ApiError ? 0 : 1;
    }

    /// <summary>Reports synchronously: Progress&lt;T&gt; would post to the thread pool and redraw out of order.</summary>
    private sealed class Reporter<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}

internal static class ExitCodes
{
    public const int ImportFailed = 1;
    public const int ApiError = 2;
    public const int Timeout = 3;
    // An invalid command line, option or setting is an error like a failed call: one line, code 2.
    public const int Usage = 2;
    public const int Cancelled = 130;
}
