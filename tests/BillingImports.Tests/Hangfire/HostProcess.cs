using System.Diagnostics;
using System.Reflection;

namespace BillingImports.Tests.Hangfire;

/// <summary>A Hangfire server in a process of its own (tests/BillingImports.Hangfire.TestHost), killed on dispose if still running.</summary>
internal sealed class HostProcess : IDisposable
{
    private readonly Process _process;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<string> _errors = [];

    private HostProcess(string name, Process process)
    {
        Name = name;
        _process = process;
    }

    public string Name { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>The host's assembly, next to the tests' when built by the same configuration.</summary>
    private static string HostAssembly =>
        typeof(HostProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(attribute => attribute.Key == "HangfireTestHost").Value!;

    public static async Task<HostProcess> StartAsync(string name, string connectionString, Uri responder, string completions, int pollIntervalMs, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { HostAssembly, connectionString, responder.ToString(), name, completions, pollIntervalMs.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("The Hangfire test host did not start.");
        var host = new HostProcess(name, process);
        process.OutputDataReceived += (_, line) =>
        {
            if (line.Data == "ready")
            {
                host._ready.TrySetResult();
            }
        };
        process.ErrorDataReceived += (_, line) =>
        {
            if (line.Data is { } text)
            {
                lock (host._errors)
                {
                    host._errors.Add(text);
                }
            }
        };
        process.Exited += (_, _) => host._ready.TrySetException(new InvalidOperationException($"The Hangfire test host {name} exited before it was ready: {host.Errors}"));
        process.EnableRaisingEvents = true;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await host._ready.Task.WaitAsync(TimeSpan.FromSeconds(60), cancellationToken);
        }
        catch
        {
            host.Dispose();
            throw;
        }

        return host;
    }

    public string Errors
    {
        get
        {
            lock (_errors)
            {
                return string.Join(Environment.NewLine, _errors.TakeLast(20));
            }
        }
    }

    /// <summary>Ends the process at once, as a crash or an OOM kill would: no graceful shutdown, no job requeued.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.WaitForExit(20_000);
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }
}
