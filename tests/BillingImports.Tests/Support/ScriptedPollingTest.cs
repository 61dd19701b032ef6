namespace BillingImports.Tests.Support;

/// <summary>
/// What a polling test class runs on: a scripted server, a virtual clock for the waits, and an
/// <see cref="HttpClient"/> to the server for the generated client under test; disposed with the
/// test.
/// </summary>
public abstract class ScriptedPollingTest : IDisposable
{
    private protected readonly ScriptedServer _server = new();
    private protected readonly VirtualTime _time = new();
    private protected readonly HttpClient _http;

    private protected ScriptedPollingTest()
    {
        _http = _server.CreateClient();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Disposes the client, then the server.</summary>
    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            _http.Dispose();
            _server.Dispose();
        }
    }
}
