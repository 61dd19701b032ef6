using System.CommandLine;
using System.Diagnostics;
using Spectre.Console;

namespace BillingImports.Cli;

internal static class Program
{
    private const string ExitCodeHelp =
        "Exit codes: 0 done; 1 the import failed; 2 an error (an API or network failure, or an invalid option, argument or setting);\n" +
        "3 a wait timed out; 130 cancelled.";

    public static async Task<int> Main(string[] args)
    {
        // The CLI starts spans of its own (see FailedRequestTracker); none of them may add trace
        // headers to the requests sent to the services.
        DistributedContextPropagator.Current = DistributedContextPropagator.CreateNoOutputPropagator();

        var uuid = new Argument<string>("uuid") { Description = "The data source UUID (ds_...)." };
        var id = new Argument<string>("id") { Description = "The import job id (a UUID)." };
        var timeout = new Option<TimeSpan?>("--timeout") { Description = Durations.Help, CustomParser = Durations.Parse };

        var sourceGet = new Command("get", "Show a ChartMogul data source.") { uuid };
        sourceGet.SetAction((parse, token) => RunAsync(env => Commands.SourceGetAsync(env, parse.GetValue(uuid)!, token)));
        var sourceWait = new Command("wait", "Wait until a ChartMogul data source has finished processing.") { uuid, timeout };
        sourceWait.SetAction((parse, token) => RunAsync(env => Commands.SourceWaitAsync(env, parse.GetValue(uuid)!, token), parse.GetValue(timeout)));

        var importGet = new Command("get", "Show an Elastic Path import job.") { id };
        importGet.SetAction((parse, token) => RunAsync(env => Commands.ImportGetAsync(env, parse.GetValue(id)!, token)));
        var importWait = new Command("wait", "Wait for an Elastic Path import job to finish, with a progress bar; a failed job shows its first failing lines.") { id, timeout };
        importWait.SetAction((parse, token) => RunAsync(env => Commands.ImportWaitAsync(env, parse.GetValue(id)!, token), parse.GetValue(timeout)));
        var importErrors = new Command("errors", "List every line an Elastic Path import job could not import.") { id };
        importErrors.SetAction((parse, token) => RunAsync(env => Commands.ImportErrorsAsync(env, parse.GetValue(id)!, token)));

        var root = new RootCommand(
            "Reads ChartMogul data sources and Elastic Path subscription imports, and waits for them to finish.\n" +
            "Credentials come from CHARTMOGUL_API_KEY, ELASTICPATH_CLIENT_ID, ELASTICPATH_CLIENT_SECRET and ELASTICPATH_REGION;\n" +
            "with none set, an embedded fake server answers and running without a command shows a demo.\n" +
            ExitCodeHelp)
        {
            new Command("source", "ChartMogul data sources.") { sourceGet, sourceWait },
            new Command("import", "Elastic Path subscription imports.") { importGet, importWait, importErrors },
        };
        root.SetAction((_, token) => RunAsync(env => Commands.DemoAsync(env, token)));

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            // An invalid command line is an error like any other: one line each, exit code 2 (the
            // parser's own default, 1, means "the import failed" here).
            foreach (var error in parsed.Errors)
            {
                WriteError("Error:", error.Message);
            }

            AnsiConsole.MarkupLine("[grey]Run billing-imports --help for the commands and options.[/]");
            return ExitCodes.Usage;
        }

        return await parsed.InvokeAsync();
    }

    /// <summary>Runs a command with the environment's clients and turns failures into one readable line and an exit code.</summary>
    private static Task<int> RunAsync(Func<CliEnvironment, Task<int>> command, TimeSpan? timeout = null) => GuardAsync(async () =>
    {
        using var environment = CliEnvironment.FromEnvironment();
        if (environment.IsDemo)
        {
            AnsiConsole.MarkupLine("[grey]No credentials in the environment: using the embedded fake server.[/]");
        }

        if (timeout is { } limit)
        {
            environment.Polling.Timeout = limit;
        }

        return await command(environment);
    });

    public static async Task<int> GuardAsync(Func<Task<int>> command)
    {
        using var requests = new FailedRequestTracker();
        try
        {
            return await command();
        }
        catch (BillingImportsApiException error)
        {
            // The SDK's messages are one sentence with no secrets in them, meant to be shown as they
            // are; a failure before any answer also says which request it was.
            var message = error.Message;
            if (error.Kind is ApiErrorKind.Network or ApiErrorKind.Timeout && requests.FailedRequest is { } request)
            {
                message = $"{char.ToUpperInvariant(request[0])}{request[1..]} failed: {message}";
            }

            WriteError("Error:", message);
            if (error.RequestId is { } requestId)
            {
                AnsiConsole.MarkupLine($"[grey]request id {Markup.Escape(requestId)}[/]");
            }

            return ExitCodes.ApiError;
        }
        catch (PollingTimeoutException timeout)
        {
            WriteError("Timed out:", timeout.Message);
            return ExitCodes.Timeout;
        }
        catch (CliException usage)
        {
            WriteError("Error:", usage.Message);
            return ExitCodes.Usage;
        }
        catch (ArgumentException invalid)
        {
            // The SDK rejects invalid options and arguments with ArgumentException, in messages
            // written to be shown (no secrets); a stack trace adds nothing for a user.
            WriteError("Error:", invalid.Message);
            return ExitCodes.Usage;
        }
        catch (OperationCanceledException)
        {
            AnsiConsole.MarkupLine("[grey]Cancelled.[/]");
            return ExitCodes.Cancelled;
        }
    }

    /// <summary>
    /// Writes an error as one line: in colour on a terminal, and unwrapped when the output is
    /// redirected (Spectre.Console would fold it at 80 columns), so logs and scripts see one line.
    /// </summary>
    private static void WriteError(string label, string message)
    {
        var console = AnsiConsole.Console;
        message = OneLine(message);
        if (console.Profile.Capabilities.Ansi)
        {
            console.MarkupLine($"[red]{label}[/] {Markup.Escape(message)}");
        }
        else
        {
            console.Profile.Out.Writer.WriteLine($"{label} {message}");
        }
    }

    private static string OneLine(string text) => string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
