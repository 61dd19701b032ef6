using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace BillingImports.Tests.Hangfire;

/// <summary>
/// A throwaway PostgreSQL server: Debian's binaries, a temporary data directory, a free port on
/// 127.0.0.1, trust authentication. PostgreSQL refuses to run as root, so under root (CI) every
/// command runs as the <c>postgres</c> system user the Debian package creates. Stopped and its
/// directory deleted on dispose.
/// </summary>
internal sealed class PostgreSqlServer : IAsyncDisposable
{
    private readonly string _bin;
    private readonly string _directory;
    private readonly Process _server;

    private PostgreSqlServer(string bin, string directory, Process server, int port)
    {
        _bin = bin;
        _directory = directory;
        _server = server;
        Port = port;
    }

    public int Port { get; }

    /// <summary>A connection string to the <c>postgres</c> database.</summary>
    public string ConnectionString => Connection("postgres");

    /// <summary>Why no server can be started here, or null when one can.</summary>
    public static string? Unavailable => Binaries() is null
        ? "PostgreSQL is not installed (no initdb under /usr/lib/postgresql/*/bin or on PATH); .ci/run installs Debian's postgresql package."
        : null;

    private static bool IsRoot => Environment.UserName == "root";

    public string Connection(string database) =>
        $"Host=127.0.0.1;Port={Port.ToString(CultureInfo.InvariantCulture)};Username=postgres;Database={database};Pooling=true;Maximum Pool Size=20;Timeout=15";

    public static async Task<PostgreSqlServer> StartAsync(CancellationToken cancellationToken)
    {
        var bin = Binaries() ?? throw new InvalidOperationException(Unavailable);
        var directory = Path.Combine(Path.GetTempPath(), "billing-imports-pg-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(directory);
        try
        {
            if (IsRoot)
            {
                await RunAsync("chown", ["postgres:postgres", directory], cancellationToken, asPostgres: false);
            }

            await RunAsync(Tool(bin, "initdb"), ["-D", Path.Combine(directory, "data"), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync"], cancellationToken);
            var port = FreePort();
            var server = Start(
                Tool(bin, "postgres"),
                ["-D", Path.Combine(directory, "data"), "-p", port.ToString(CultureInfo.InvariantCulture), "-k", directory, "-c", "listen_addresses=127.0.0.1",
                 "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off", "-c", "max_connections=200"]);
            var postgres = new PostgreSqlServer(bin, directory, server, port);
            await postgres.WaitUntilReadyAsync(cancellationToken);
            return postgres;
        }
        catch
        {
            TryDelete(directory);
            throw;
        }
    }

    /// <summary>A new empty database for one test.</summary>
    public async Task<string> CreateDatabaseAsync(CancellationToken cancellationToken)
    {
        var name = "test_" + Guid.NewGuid().ToString("N")[..12];
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
        return Connection(name);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            await RunAsync(Tool(_bin, "pg_ctl"), ["stop", "-D", Path.Combine(_directory, "data"), "-m", "immediate", "-w", "-t", "15"], stopping.Token);
        }
        catch (Exception exception) when (exception is InvalidOperationException or OperationCanceledException)
        {
            // Killed below.
        }

        if (!_server.HasExited)
        {
            _server.Kill(entireProcessTree: true);
        }

        await _server.WaitForExitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(20));
        _server.Dispose();
        TryDelete(_directory);
    }

    private static string? Binaries()
    {
        var debian = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Select(version => Path.Combine(version, "bin"))
                .Where(bin => File.Exists(Path.Combine(bin, "initdb")) && File.Exists(Path.Combine(bin, "postgres")))
                .OrderByDescending(bin => int.TryParse(Path.GetFileName(Path.GetDirectoryName(bin)), out var major) ? major : 0)
                .FirstOrDefault()
            : null;
        return debian ?? (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .FirstOrDefault(bin => File.Exists(Path.Combine(bin, "initdb")) && File.Exists(Path.Combine(bin, "postgres")));
    }

    private static string Tool(string bin, string name) => Path.Combine(bin, name);

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    /// <summary>The command as the postgres user when this is root.</summary>
    private static ProcessStartInfo Command(string file, IEnumerable<string> arguments, bool asPostgres = true)
    {
        var runuser = asPostgres && IsRoot;
        var start = new ProcessStartInfo(runuser ? "runuser" : file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (runuser)
        {
            foreach (var argument in new[] { "-u", "postgres", "--", file })
            {
                start.ArgumentList.Add(argument);
            }
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }

    private static Process Start(string file, IEnumerable<string> arguments)
    {
        var process = Process.Start(Command(file, arguments)) ?? throw new InvalidOperationException($"{file} did not start.");

        // Drained so a chatty server never blocks on a full pipe.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task RunAsync(string file, IEnumerable<string> arguments, CancellationToken cancellationToken, bool asPostgres = true)
    {
        using var process = Process.Start(Command(file, arguments, asPostgres)) ?? throw new InvalidOperationException($"{file} did not start.");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(file)} exited with {process.ExitCode}: {await error}{await output}");
        }
    }

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // A temporary directory; the next reboot clears it.
        }
    }

    private async Task WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            if (_server.HasExited)
            {
                throw new InvalidOperationException($"PostgreSQL exited with {_server.ExitCode} while starting.");
            }

            try
            {
                await using var connection = new NpgsqlConnection(ConnectionString);
                await connection.OpenAsync(cancellationToken);
                return;
            }
            catch (NpgsqlException) when (attempt < 150)
            {
                await Task.Delay(200, cancellationToken);
            }
        }
    }
}
