using System.CommandLine;
using Spectre.Console;

namespace BillingImports.Cli;

internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var uuid = new Argument<string>("uuid") { Description = "The data source UUID (ds_...)." };
        var id = new Argument<string>("id") { Description = "The import job id (a UUID)." };

        var sourceGet = new Command("get", "Show a ChartMogul data source.") { uuid };
        sourceGet.SetAction((parse, token) => RunAsync(env => Commands.SourceGetAsync(env, parse.GetValue(uuid)!, token)));
        var sourceWait = new Command("wait", "Wait until a ChartMogul data source has finished processing.") { uuid };
        sourceWait.SetAction((parse, token) => RunAsync(env => Commands.SourceWaitAsync(env, parse.GetValue(uuid)!, token)));

        var importGet = new Command("get", "Show an Elastic Path import job.") { id };
        importGet.SetAction((parse, token) => RunAsync(env => Commands.ImportGetAsync(env, parse.GetValue(id)!, token)));
        var importWait = new Command("wait", "Wait for an Elastic Path import job to finish, with a progress bar; a failed job shows its first failing lines.") { id };
        importWait.SetAction((parse, token) => RunAsync(env => Commands.ImportWaitAsync(env, parse.GetValue(id)!, token)));
        var importErrors = new Command("errors", "List every line an Elastic Path import job could not import.") { id };
        importErrors.SetAction((parse, token) => RunAsync(env => Commands.ImportErrorsAsync(env, parse.GetValue(id)!, token)));

        var root = new RootCommand(
            "Reads ChartMogul data sources and Elastic Path subscription imports, and waits for them to finish.\n" +
            "Credentials come from CHARTMOGUL_API_KEY, ELASTICPATH_CLIENT_ID, ELASTICPATH_CLIENT_SECRET and ELASTICPATH_REGION;\n" +
            "with none set, an embedded fake server answers and running without a command shows a demo.")
        {
            new Command("source", "ChartMogul data sources.") { sourceGet, sourceWait },
            new Command("import", "Elastic Path subscription imports.") { importGet, importWait, importErrors },
        };
        root.SetAction((_, token) => RunAsync(env => Commands.DemoAsync(env, token)));

        return await root.Parse(args).InvokeAsync();
    }

    /// <summary>Runs a command with the environment's clients and turns failures into one readable line and an exit code.</summary>
    private static Task<int> RunAsync(Func<CliEnvironment, Task<int>> command) => GuardAsync(async () =>
    {
        using var environment = CliEnvironment.FromEnvironment();
        if (environment.IsDemo)
        {
            AnsiConsole.MarkupLine("[grey]No credentials in the environment: using the embedded fake server.[/]");
        }

        return await command(environment);
    });

    public static async Task<int> GuardAsync(Func<Task<int>> command)
    {
        try
        {
            return await command();
        }
        catch (BillingImportsApiException error)
        {
            // The SDK's messages are one sentence with no secrets in them, meant to be shown as they are.
            AnsiConsole.MarkupLine($"[red]Error:[/] {Markup.Escape(error.Message)}");
            if (error.RequestId is { } requestId)
            {
                AnsiConsole.MarkupLine($"[grey]request id {Markup.Escape(requestId)}[/]");
            }

            return ExitCodes.ApiError;
        }
        catch (PollingTimeoutException timeout)
        {
            AnsiConsole.MarkupLine($"[red]Timed out:[/] {Markup.Escape(timeout.Message)}");
            return ExitCodes.Timeout;
        }
        catch (CliException usage)
        {
            AnsiConsole.MarkupLine($"[red]Error:[/] {Markup.Escape(usage.Message)}");
            return ExitCodes.Usage;
        }
        catch (OperationCanceledException)
        {
            AnsiConsole.MarkupLine("[grey]Cancelled.[/]");
            return ExitCodes.Cancelled;
        }
    }
}
