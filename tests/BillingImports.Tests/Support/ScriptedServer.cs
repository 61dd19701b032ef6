using System.Globalization;
using System.Text.Json.Nodes;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace BillingImports.Tests.Support;

/// <summary>A WireMock server that answers one path with a scripted sequence of responses.</summary>
internal sealed class ScriptedServer : IDisposable
{
    private readonly WireMockServer _server = WireMockServer.Start();
    private int _scenarios;

    public string Url => _server.Url!;

    public int RequestCount(string path) => _server.LogEntries.Count(entry => entry.RequestMessage.Path == path);

    /// <summary>The <c>Authorization</c> header of each request to <paramref name="path"/>, in order; null where there was none.</summary>
    public List<string?> Authorizations(string path) => _server.LogEntries
        .Where(entry => entry.RequestMessage.Path == path)
        .OrderBy(entry => entry.RequestMessage.DateTime)
        .Select(entry => entry.RequestMessage.Headers?.TryGetValue("Authorization", out var values) == true ? values.FirstOrDefault() : null)
        .ToList();

    /// <summary>Answers <paramref name="path"/> with each response in turn; the last one repeats.</summary>
    public void Script(string path, params Reply[] replies)
    {
        var scenario = "scenario-" + Interlocked.Increment(ref _scenarios).ToString(CultureInfo.InvariantCulture);
        for (var i = 0; i < replies.Length; i++)
        {
            var request = _server.Given(Request.Create().WithPath(path).UsingGet());
            if (replies.Length > 1)
            {
                request = request.InScenario(scenario);
            }

            if (i > 0)
            {
                request = request.WhenStateIs(State(i));
            }

            if (i < replies.Length - 1)
            {
                request = request.WillSetStateTo(State(i + 1));
            }

            var response = Response.Create().WithStatusCode(replies[i].Status).WithBody(replies[i].Body)
                .WithHeader("Content-Type", replies[i].ContentType);
            if (replies[i].DelayMs > 0)
            {
                response = response.WithDelay(replies[i].DelayMs);
            }

            foreach (var (name, value) in replies[i].Headers)
            {
                response = response.WithHeader(name, value);
            }

            request.RespondWith(response);
        }
    }

    public HttpClient CreateClient(DelegatingHandler? handler = null) =>
        new(handler ?? new HttpClientHandler() as HttpMessageHandler) { BaseAddress = new Uri(Url + "/") };

    public void Dispose()
    {
        _server.Stop();
        _server.Dispose();
    }

    private static string State(int index) => "step-" + index.ToString(CultureInfo.InvariantCulture);
}

internal sealed record Reply(int Status, string Body, string ContentType = "application/json", params (string Name, string Value)[] Headers)
{
    /// <summary>How long the server waits before answering.</summary>
    public int DelayMs { get; init; }

    public static Reply Import(string id, string status, long imported = 0, long uploaded = 100) =>
        new(200, ImportJson(id, status, imported, uploaded));

    public static Reply Source(string uuid, string status) => new(200, new JsonObject
    {
        ["uuid"] = uuid,
        ["name"] = "In-house billing",
        ["system"] = "Import API",
        ["created_at"] = "2016-01-09T16:23:36.000Z",
        ["status"] = status,
    }.ToJsonString());

    public static Reply JsonApiError(int status, string title, params (string Name, string Value)[] headers) =>
        new(status, new JsonObject { ["errors"] = new JsonArray(new JsonObject { ["status"] = status, ["title"] = title }) }.ToJsonString(), "application/json", headers);

    /// <summary>An import document in the service's shape, counting <c>subscription</c> records under <c>meta.records</c>.</summary>
    public static string ImportJson(string id, string status, long imported, long uploaded) => new JsonObject
    {
        ["data"] = new JsonObject
        {
            ["id"] = id,
            ["type"] = "subscription_import",
            ["attributes"] = new JsonObject { ["status"] = status },
            ["meta"] = new JsonObject
            {
                ["owner"] = "store",
                ["timestamps"] = new JsonObject { ["created_at"] = "2024-05-01T09:00:00.123Z", ["updated_at"] = "2024-05-01T09:00:00.123Z" },
                ["records"] = new JsonObject
                {
                    ["uploaded"] = new JsonObject { [RecordTypes.Subscription] = uploaded },
                    ["imported"] = new JsonObject { [RecordTypes.Subscription] = imported },
                },
            },
        },
    }.ToJsonString();
}
