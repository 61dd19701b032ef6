using System.Collections.Concurrent;
using BillingImports.Tests.Support;

namespace BillingImports.Tests.Hangfire;

/// <summary>
/// Elastic Path on loopback for processes other than the test's: tokens for anyone, and per import
/// a status for each poll in turn; one chosen poll can be held unanswered, as a request in flight
/// when its process dies. Every request is recorded with when it came and who sent it.
/// </summary>
internal sealed class ImportResponder : IDisposable
{
    private const string ImportsPath = "/v2/subscriptions/imports/";
    private readonly ConcurrentDictionary<string, Func<int, (string Status, long Imported)>> _scripts = new();
    private readonly ConcurrentDictionary<string, int> _polls = new();
    private readonly ConcurrentQueue<Poll> _log = new();
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly HostileServer _server;
    private (string Id, int Poll)? _hold;

    public ImportResponder() => _server = new HostileServer(RespondAsync);

    public Uri BaseAddress => _server.BaseAddress;

    public IReadOnlyList<Poll> Polls => [.. _log];

    /// <summary>Answers the import's n-th poll (from 1) with the script's status and imported count (of 100 uploaded).</summary>
    public void Script(string id, Func<int, (string Status, long Imported)> script) => _scripts[id] = script;

    /// <summary>Never answers the import's n-th poll (until disposed).</summary>
    public void Hold(string id, int poll) => _hold = (id, poll);

    public IReadOnlyList<Poll> PollsOf(string id) => [.. _log.Where(poll => poll.Id == id).OrderBy(poll => poll.Number)];

    public void Dispose()
    {
        _release.TrySetResult();
        _server.Dispose();
    }

    private async Task RespondAsync(HostileRequest request, HostileResponse response)
    {
        if (request.Method == "POST" && request.Path.StartsWith("/oauth/access_token", StringComparison.Ordinal))
        {
            await response.SendAsync(200, """{"access_token":"hangfire-test-token-0123456789","token_type":"Bearer","expires_in":3600}""");
            return;
        }

        if (request.Method != "GET" || !request.Path.StartsWith(ImportsPath, StringComparison.Ordinal))
        {
            await response.SendAsync(404, """{"errors":[{"status":404,"title":"Not Found"}]}""");
            return;
        }

        var rest = request.Path[ImportsPath.Length..];
        if (rest.Contains("/errors", StringComparison.Ordinal))
        {
            await response.SendAsync(200, """{"data":[{"id":"3f2a1c9e-8d7b-4e6f-a5c4-b3a2918f7e6d","type":"subscription_import_error","meta":{"line_number":17,"field":"plan_id","error":"not found","external_ref":"sub-0017"}}],"links":{},"meta":{"page":{"limit":10,"offset":0,"current":1,"total":1},"results":{"total":1}}}""");
            return;
        }

        var id = rest.Split('?')[0];
        var number = _polls.AddOrUpdate(id, 1, (_, count) => count + 1);
        var agent = request.Headers.FirstOrDefault(header => header.Key.Equals("User-Agent", StringComparison.OrdinalIgnoreCase)).Value ?? string.Empty;
        _log.Enqueue(new Poll(id, number, DateTimeOffset.UtcNow, agent));
        if (_hold == (id, number))
        {
            // The process that sent this is killed while it waits; nothing is ever sent back.
            await _release.Task.WaitAsync(TimeSpan.FromMinutes(2));
            return;
        }

        var (status, imported) = _scripts.TryGetValue(id, out var script) ? script(number) : ("pending", 0);
        await response.SendAsync(200, Reply.ImportJson(id, status, imported, 100));
    }

    internal sealed record Poll(string Id, int Number, DateTimeOffset At, string UserAgent);
}
