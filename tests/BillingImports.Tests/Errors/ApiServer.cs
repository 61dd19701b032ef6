using System.Globalization;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using TestContext = BillingImports.Tests.Support.TestContext;

namespace BillingImports.Tests.Errors;

/// <summary>
/// One WireMock server per test class, with the real generated clients over it. Each stub gets a
/// fresh id, so tests in a class never see each other's answers.
/// </summary>
public sealed class ApiServer : IDisposable
{
    private readonly WireMockServer _server = WireMockServer.Start();
    private int _ids;

    public ApiServer()
    {
        Http = new HttpClient { BaseAddress = new Uri(_server.Url + "/") };
    }

    public HttpClient Http { get; }

    public DataSourcesClient DataSources => new(Http);

    public SubscriptionImportsClient Imports => new(Http);

    /// <summary>Stubs the data source endpoint for a fresh id and returns the id.</summary>
    public string DataSource(int status, string? body, string? contentType = "application/json", params (string Name, string Value)[] headers) =>
        Stub("/v1/data_sources/", "ds_", status, body, contentType, headers);

    /// <summary>Stubs the import endpoint for a fresh id and returns the id.</summary>
    public string Import(int status, string? body, string? contentType = "application/json", params (string Name, string Value)[] headers) =>
        Stub("/v2/subscriptions/imports/", string.Empty, status, body, contentType, headers);

    public async Task<BillingImportsApiException> DataSourceFailsAsync(int status, string? body, string? contentType = "application/json", params (string Name, string Value)[] headers)
    {
        var id = DataSource(status, body, contentType, headers);

        // ThrowsAsync checks the exact type: the base class itself, never the generated subclass or a JsonException.
        return await Assert.ThrowsAsync<BillingImportsApiException>(() => DataSources.GetDataSourceAsync(id, cancellationToken: TestContext.Token));
    }

    public async Task<BillingImportsApiException> ImportFailsAsync(int status, string? body, string? contentType = "application/json", params (string Name, string Value)[] headers)
    {
        var id = Import(status, body, contentType, headers);
        return await Assert.ThrowsAsync<BillingImportsApiException>(() => Imports.GetImportAsync(id, TestContext.Token));
    }

    public Task<DataSource> ReadDataSourceAsync(string body)
    {
        var id = DataSource(200, body);
        return DataSources.GetDataSourceAsync(id, cancellationToken: TestContext.Token);
    }

    public Task<SubscriptionImport> ReadImportAsync(string body)
    {
        var id = Import(200, body);
        return Imports.GetImportAsync(id, TestContext.Token);
    }

    public void Dispose()
    {
        Http.Dispose();
        _server.Stop();
        _server.Dispose();
    }

    private string Stub(string prefix, string idPrefix, int status, string? body, string? contentType, (string Name, string Value)[] headers)
    {
        var id = idPrefix + Interlocked.Increment(ref _ids).ToString("D8", CultureInfo.InvariantCulture) + "-aaaa-bbbb-cccc-000000000000";
        var response = Response.Create().WithStatusCode(status);
        if (body is not null)
        {
            response = response.WithBody(body);
        }

        if (contentType is not null)
        {
            response = response.WithHeader("Content-Type", contentType);
        }

        foreach (var (name, value) in headers)
        {
            response = response.WithHeader(name, value);
        }

        _server.Given(Request.Create().WithPath(prefix + id).UsingGet()).RespondWith(response);
        return id;
    }
}

/// <summary>
/// Answers every request with one prepared response, in memory: for bodies a real server cannot
/// send on purpose (a stream that breaks, invalid bytes) and for the property tests' hundreds of
/// cases. The generated clients run unchanged over it.
/// </summary>
internal sealed class StubHandler(Func<HttpResponseMessage> respond) : HttpMessageHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = respond();
        response.RequestMessage = request;
        return Task.FromResult(response);
    }

    public static HttpClient Client(Func<HttpResponseMessage> respond) =>
        new(new StubHandler(respond)) { BaseAddress = new Uri("https://api.example.test/") };
}
