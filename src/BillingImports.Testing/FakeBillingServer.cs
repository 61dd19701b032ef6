using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using BillingImports.Testing.Internal;
using WireMock;
using WireMock.Matchers;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;

namespace BillingImports.Testing;

/// <summary>
/// An in-process fake of the two services the SDK reads, on <c>http://127.0.0.1:{free port}/</c>:
/// ChartMogul <c>GET /v1/data_sources/{uuid}</c> and Elastic Path
/// <c>GET /v2/subscriptions/imports/{id}</c> with its token endpoint <c>POST /oauth/access_token</c>.
/// </summary>
/// <remarks>
/// <para>
/// Out of the box it answers the ids of the OpenAPI document's 200 examples with those examples.
/// <see cref="Imports"/> and <see cref="DataSources"/> script more: an import that goes pending,
/// started and success over a number of polls, a data source that is working then idle, and 404,
/// 429 and 500 steps along the way. Every body comes from, or is built to, the spec.
/// </para>
/// <para>
/// Requests are checked as the real services check them, in this order: credentials (ChartMogul:
/// <c>Authorization: Basic base64(apikey:)</c>; Elastic Path: <c>Authorization: Bearer</c> with a
/// token this fake issued and that has not expired, else 401 with the vendor's body), then the id's
/// shape (a ChartMogul UUID not starting with <c>ds_</c> gets 422; an Elastic Path id that is not a
/// UUID gets 400), then whether the id is known (404 with the vendor's body). Only a request that
/// passes all three moves a script forward.
/// </para>
/// <para>
/// Point the SDK at it with one line: <c>using var client = server.CreateElasticPathClient();</c>
/// (or <see cref="CreateChartMogulClient"/>, or the options to adjust first); the generated clients
/// take <see cref="CreateChartMogulHttpClient"/> / <see cref="CreateElasticPathHttpClient"/>.
/// </para>
/// <para>
/// Mappings added through <see cref="WireMock"/> take precedence over the fake's own, which use a low
/// priority (a high number). Dispose the server to stop it.
/// </para>
/// </remarks>
public sealed class FakeBillingServer : IDisposable
{
    /// <summary>The path of the Elastic Path token endpoint.</summary>
    public const string TokenPath = "/oauth/access_token";

    private const string DataSourcesPrefix = "/v1/data_sources/";
    private const string ImportsPrefix = "/v2/subscriptions/imports/";
    private const string ErrorsSuffix = "/errors";
    private const long DefaultErrorPageSize = 25;

    // WireMock picks the mapping with the lowest priority number; the default is 0, so a test's own
    // mappings win over these.
    private const int RoutePriority = 1_000;
    private const int FallbackPriority = 10_000;

    private readonly FakeBillingServerOptions _options;
    private readonly Lock _tokensGate = new();
    private readonly Dictionary<string, DateTimeOffset> _tokens = new(StringComparer.Ordinal);
    private int _tokenCount;
    private int _requestCount;

    /// <summary>Starts a fake with the default credentials and the spec's examples.</summary>
    public FakeBillingServer()
        : this(new FakeBillingServerOptions())
    {
    }

    /// <summary>Starts a fake with the given credentials and behaviour.</summary>
    /// <param name="options">Credentials, token lifetime, clock, and whether to serve the spec's examples.</param>
    public FakeBillingServer(FakeBillingServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(options.ApiKey, nameof(options));
        ArgumentException.ThrowIfNullOrEmpty(options.ClientId, nameof(options));
        ArgumentException.ThrowIfNullOrEmpty(options.ClientSecret, nameof(options));
        ArgumentNullException.ThrowIfNull(options.TimeProvider, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.TokenLifetime, TimeSpan.Zero, nameof(options));

        // A copy, so changing the options after the start cannot change what the server accepts.
        _options = new FakeBillingServerOptions
        {
            ApiKey = options.ApiKey,
            ClientId = options.ClientId,
            ClientSecret = options.ClientSecret,
            TokenLifetime = options.TokenLifetime,
            TimeProvider = options.TimeProvider,
            ServeSpecExamples = options.ServeSpecExamples,
        };

        if (options.ServeSpecExamples)
        {
            AddSpecExamples();
        }

        // Port 0 lets the OS pick a free port when Kestrel binds, instead of probing for one first
        // and racing other tests for it; loopback only, so nothing outside the machine can reach it.
        WireMock = WireMockServer.Start(new WireMockServerSettings
        {
            Urls = ["http://127.0.0.1:0"],
            StartAdminInterface = false,
        });

        try
        {
            BaseAddress = new Uri(WireMock.Urls[0].TrimEnd('/') + "/");
            Map(Request.Create().WithPath(TokenPath).UsingPost(), RoutePriority, "Elastic Path token", IssueToken);
            Map(Request.Create().WithPath(new WildcardMatcher(ImportsPrefix + "*")).UsingGet(), RoutePriority, "Elastic Path import", GetImport);
            Map(Request.Create().WithPath(new WildcardMatcher(DataSourcesPrefix + "*")).UsingGet(), RoutePriority, "ChartMogul data source", GetDataSource);
            Map(Request.Create().WithPath(new WildcardMatcher("*")).UsingAnyMethod(), FallbackPriority, "No such route", NoRoute);
        }
        catch
        {
            WireMock.Dispose();
            throw;
        }
    }

    /// <summary>The address to point a client at, such as <c>http://127.0.0.1:51234/</c> (with the trailing slash).</summary>
    public Uri BaseAddress { get; }

    /// <summary>The Elastic Path token endpoint: <see cref="BaseAddress"/> + <c>oauth/access_token</c>.</summary>
    public Uri TokenEndpoint => new(BaseAddress, TokenPath.TrimStart('/'));

    /// <summary>The ChartMogul API key the fake accepts.</summary>
    public string ApiKey => _options.ApiKey;

    /// <summary>The Elastic Path client id the token endpoint accepts.</summary>
    public string ClientId => _options.ClientId;

    /// <summary>The Elastic Path client secret the token endpoint accepts.</summary>
    public string ClientSecret => _options.ClientSecret;

    /// <summary>The Elastic Path import jobs the fake knows, and their scripts.</summary>
    public FakeImports Imports { get; } = new();

    /// <summary>The ChartMogul data sources the fake knows, and their scripts.</summary>
    public FakeDataSources DataSources { get; } = new();

    /// <summary>The WireMock server underneath, for mappings of a test's own (they take precedence) or its request log.</summary>
    public WireMockServer WireMock { get; }

    /// <summary>Every request received so far, oldest first, with the status it was answered with.</summary>
    public IReadOnlyList<FakeRequest> Requests =>
        WireMock.LogEntries
            .OrderBy(entry => entry.RequestMessage.DateTime)
            .Select(entry => new FakeRequest(
                entry.RequestMessage.Method,
                entry.RequestMessage.Path,
                entry.RequestMessage.RawQuery?.TrimStart('?') ?? string.Empty,
                Header(entry.RequestMessage, "Authorization"),
                StatusOf(entry.ResponseMessage)))
            .ToList();

    /// <summary>How many requests reached <paramref name="path"/>, whatever they were answered with.</summary>
    /// <param name="path">A path such as <c>/v2/subscriptions/imports/{id}</c> or <see cref="TokenPath"/>; case-sensitive, no query.</param>
    /// <returns>The number of requests.</returns>
    public int RequestCount(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return WireMock.LogEntries.Count(entry => string.Equals(entry.RequestMessage.Path, path, StringComparison.Ordinal));
    }

    /// <summary>Empties the request log (scripts keep their position).</summary>
    public void ResetRequestLog() => WireMock.ResetLogEntries();

    /// <summary>
    /// Issues an Elastic Path access token directly, without a request, for code that builds its own
    /// <see cref="HttpClient"/>. It expires like a token from the endpoint.
    /// </summary>
    /// <returns>The access token.</returns>
    public string IssueAccessToken() => Issue().Token;

    /// <summary>Makes every access token issued so far invalid, so the next call with one gets 401 (to test a token refresh).</summary>
    public void RevokeAccessTokens()
    {
        lock (_tokensGate)
        {
            _tokens.Clear();
        }
    }

    /// <summary>
    /// A plain <see cref="HttpClient"/> for the generated ChartMogul client
    /// (<c>new DataSourcesClient(server.CreateChartMogulHttpClient())</c>): base address set, Basic
    /// credentials on every request. The caller disposes it.
    /// </summary>
    /// <returns>A new client.</returns>
    public HttpClient CreateChartMogulHttpClient()
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(ApiKey + ":")));
        return client;
    }

    /// <summary>
    /// A plain <see cref="HttpClient"/> for the generated Elastic Path client
    /// (<c>new SubscriptionImportsClient(server.CreateElasticPathHttpClient())</c>): base address set,
    /// a bearer token from <see cref="IssueAccessToken"/> on every request. The caller disposes it.
    /// </summary>
    /// <returns>A new client.</returns>
    public HttpClient CreateElasticPathHttpClient()
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", IssueAccessToken());
        return client;
    }

    /// <summary>
    /// Options that point <see cref="ChartMogulClient"/> at this fake: its <see cref="BaseAddress"/>
    /// and the <see cref="ApiKey"/> it accepts.
    /// Everything else keeps the SDK's defaults; change what the test needs before creating the client.
    /// </summary>
    /// <returns>New options; each call returns a fresh instance.</returns>
    public ChartMogulClientOptions CreateChartMogulOptions() => new()
    {
        BaseAddress = BaseAddress,
        ApiKey = ApiKey,
    };

    /// <summary>
    /// Options that point <see cref="ElasticPathClient"/> at this fake: its <see cref="BaseAddress"/>
    /// (so the token endpoint is this fake's <see cref="TokenEndpoint"/>), the <see cref="ClientId"/>
    /// and <see cref="ClientSecret"/> it accepts. Pass the fake's clock to the client as well
    /// (<see cref="CreateElasticPathClient"/> does) when the fake runs on a fake clock.
    /// </summary>
    /// <returns>New options; each call returns a fresh instance.</returns>
    public ElasticPathClientOptions CreateElasticPathOptions() => new()
    {
        BaseAddress = BaseAddress,
        ClientId = ClientId,
        ClientSecret = ClientSecret,
    };

    /// <summary>
    /// A <see cref="ChartMogulClient"/> on <see cref="CreateChartMogulOptions"/> and this fake's clock
    /// (<see cref="FakeBillingServerOptions.TimeProvider"/>). The caller disposes it.
    /// </summary>
    /// <returns>A new client.</returns>
    public ChartMogulClient CreateChartMogulClient() => new(CreateChartMogulOptions(), null, _options.TimeProvider);

    /// <summary>
    /// An <see cref="ElasticPathClient"/> on <see cref="CreateElasticPathOptions"/> and this fake's
    /// clock, so token expiry is judged on one clock: advancing a fake clock expires the fake's
    /// tokens and makes the client refresh them. It fetches its token from this fake. The caller
    /// disposes it.
    /// </summary>
    /// <returns>A new client.</returns>
    public ElasticPathClient CreateElasticPathClient() => new(CreateElasticPathOptions(), null, _options.TimeProvider);

    /// <summary>Stops the server.</summary>
    public void Dispose()
    {
        WireMock.Stop();
        WireMock.Dispose();
    }

    private void AddSpecExamples()
    {
        // One script per id, holding that id's examples in document order: the spec's pending and
        // success examples share an id, so polling it shows a job finishing.
        foreach (var group in SpecExamples.Instance.Imports.GroupBy(example => (string)example["data"]!["id"]!))
        {
            var scenario = Imports.Add(group.Key);
            foreach (var example in group)
            {
                scenario.Add(new RawStep(200, example.ToJsonString(), Reply.JsonContentType, 1));
            }

            if (group.Any(example => (string?)example["data"]?["attributes"]?["status"] == "failed"))
            {
                // A failed example job reports the failing lines of the spec's errors example.
                scenario.WithErrors([.. SpecExamples.Instance.ImportErrors.Select(ToFakeError)]);
            }
        }

        foreach (var group in SpecExamples.Instance.DataSources.GroupBy(example => (string)example["uuid"]!))
        {
            var scenario = DataSources.Add(group.Key);
            foreach (var example in group)
            {
                scenario.Add(new ExampleStep(example, 1));
            }
        }
    }

    private static FakeImportError ToFakeError(JsonObject error)
    {
        var meta = error["meta"]!;
        return new FakeImportError((long)meta["line_number"]!, (string?)meta["field"], (string)meta["error"]!, (string?)meta["external_ref"]);
    }

    private void Map(IRequestBuilder request, int priority, string title, Func<IRequestMessage, ResponseMessage> handler) =>
        WireMock.Given(request).AtPriority(priority).WithTitle(title).RespondWith(Response.Create().WithCallback(handler));

    private ResponseMessage IssueToken(IRequestMessage request)
    {
        var form = ParseForm(request.Body);
        if (form.GetValueOrDefault("grant_type") != "client_credentials")
        {
            var body = SpecExamples.Instance.ElasticPathError(400);
            body["errors"]![0]!["detail"] = "grant_type: must be client_credentials";
            return Reply.Json(400, body, NextRequestId());
        }

        if (form.GetValueOrDefault("client_id") != ClientId || form.GetValueOrDefault("client_secret") != ClientSecret)
        {
            return Reply.Json(401, SpecExamples.Instance.ElasticPathError(401), NextRequestId());
        }

        var (token, expires) = Issue();
        return Reply.Json(200, new JsonObject
        {
            ["access_token"] = token,
            ["token_type"] = "Bearer",
            ["expires"] = expires.ToUnixTimeSeconds(),
            ["expires_in"] = (long)_options.TokenLifetime.TotalSeconds,
            ["identifier"] = "client_credentials",
        }, NextRequestId());
    }

    private (string Token, DateTimeOffset Expires) Issue()
    {
        var expires = _options.TimeProvider.GetUtcNow() + _options.TokenLifetime;
        lock (_tokensGate)
        {
            // Predictable tokens: a test that fails shows which token was sent.
            var token = "fake-access-token-" + (++_tokenCount).ToString(CultureInfo.InvariantCulture);
            _tokens[token] = expires;
            return (token, expires);
        }
    }

    private ResponseMessage GetImport(IRequestMessage request)
    {
        var id = request.Path[ImportsPrefix.Length..];
        if (id.EndsWith(ErrorsSuffix, StringComparison.Ordinal))
        {
            return GetImportErrors(request, id[..^ErrorsSuffix.Length]);
        }

        if (FindImport(request, id, out var refusal) is not { } scenario)
        {
            return refusal!;
        }

        var position = scenario.Script.Next();
        return position.Step switch
        {
            StatusStep status => Reply.Json(200, scenario.Render(status, position), NextRequestId()),
            ErrorStep { StatusCode: 404 } => Reply.Json(404, ElasticPathNotFound(id), NextRequestId()),
            ErrorStep error => Reply.Json(error.StatusCode, SpecExamples.Instance.ElasticPathError(error.StatusCode), NextRequestId(), error.RetryAfter),
            RawStep raw => Reply.Text(raw.StatusCode, raw.Body, raw.ContentType, NextRequestId()),
            _ => throw new InvalidOperationException($"Unknown step {position.Step}."),
        };
    }

    /// <summary>
    /// The job a request names, checked as the service checks it, in its order: a path it routes,
    /// credentials, the id's shape, a known id. Null, with the answer to give, when a check fails.
    /// </summary>
    private ImportScenario? FindImport(IRequestMessage request, string id, out ResponseMessage? refusal)
    {
        refusal = id.Length == 0 || id.Contains('/', StringComparison.Ordinal) ? NoRoute(request)
            : !HasValidBearer(request) ? Reply.Json(401, SpecExamples.Instance.ElasticPathError(401), NextRequestId())
            : !Guid.TryParse(id, out _) ? Reply.Json(400, SpecExamples.Instance.ElasticPathError(400), NextRequestId())
            : null;
        if (refusal is not null)
        {
            return null;
        }

        var scenario = Imports.Find(id);
        refusal = scenario is null ? Reply.Json(404, ElasticPathNotFound(id), NextRequestId()) : null;
        return scenario;
    }

    /// <summary>
    /// One page of a job's failing lines, as the service pages them: <c>page[offset]</c> from 0 to
    /// 10,000, <c>page[limit]</c> from 1 to 100 (default 25), absolute <c>links</c> with
    /// <c>next</c> only while more remain, and page and result counts under <c>meta</c>. Checked
    /// like the job itself (credentials, id shape, known id); reading errors does not move the
    /// job's script.
    /// </summary>
    private ResponseMessage GetImportErrors(IRequestMessage request, string id)
    {
        if (FindImport(request, id, out var refusal) is not { } scenario)
        {
            return refusal!;
        }

        var offset = QueryNumber(request, "page[offset]") ?? 0;
        var limit = QueryNumber(request, "page[limit]") ?? DefaultErrorPageSize;
        if (offset is < 0 or > 10_000 || limit is < 1 or > 100)
        {
            var body = SpecExamples.Instance.ElasticPathError(400);
            body["errors"]![0]!["detail"] = "page[offset] must be from 0 to 10000 and page[limit] from 1 to 100";
            return Reply.Json(400, body, NextRequestId());
        }

        var errors = scenario.Errors;
        var data = new JsonArray();
        foreach (var (error, index) in errors.Skip((int)offset).Take((int)limit).Select((error, index) => (error, index)))
        {
            var meta = new JsonObject { ["line_number"] = error.LineNumber };
            if (error.Field is not null)
            {
                meta["field"] = error.Field;
            }

            meta["error"] = error.Error;
            if (error.ExternalRef is not null)
            {
                meta["external_ref"] = error.ExternalRef;
            }

            data.Add(new JsonObject
            {
                ["id"] = ErrorId(id, offset + index),
                ["type"] = "subscription_import_error",
                ["meta"] = meta,
            });
        }

        var pages = Math.Max(1, (errors.Count + limit - 1) / limit);
        var links = new JsonObject
        {
            ["current"] = ErrorsLink(id, offset, limit),
            ["first"] = ErrorsLink(id, 0, limit),
            ["last"] = ErrorsLink(id, (pages - 1) * limit, limit),
        };
        if (offset > 0)
        {
            links["prev"] = ErrorsLink(id, Math.Max(0, offset - limit), limit);
        }

        if (offset + limit < errors.Count && offset + limit <= 10_000)
        {
            links["next"] = ErrorsLink(id, offset + limit, limit);
        }

        return Reply.Json(200, new JsonObject
        {
            ["data"] = data,
            ["links"] = links,
            ["meta"] = new JsonObject
            {
                ["page"] = new JsonObject { ["limit"] = limit, ["offset"] = offset, ["current"] = (offset / limit) + 1, ["total"] = pages },
                ["results"] = new JsonObject { ["total"] = errors.Count },
            },
        }, NextRequestId());
    }

    private string ErrorsLink(string id, long offset, long limit) =>
        string.Create(CultureInfo.InvariantCulture, $"{BaseAddress.AbsoluteUri.TrimEnd('/')}{ImportsPrefix}{id}{ErrorsSuffix}?page[offset]={offset}&page[limit]={limit}");

    // Stable per job and position, so the bodies are the same on every run.
    private static string ErrorId(string importId, long position) =>
        new Guid(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{importId}/{position}")))[..16]).ToString();

    private ResponseMessage GetDataSource(IRequestMessage request)
    {
        var uuid = request.Path[DataSourcesPrefix.Length..];
        if (uuid.Length == 0 || uuid.Contains('/', StringComparison.Ordinal))
        {
            return NoRoute(request);
        }

        if (!HasValidBasic(request))
        {
            return Reply.Json(401, SpecExamples.Instance.ChartMogulError(401), NextRequestId());
        }

        if (!uuid.StartsWith(FakeDataSources.UuidPrefix, StringComparison.Ordinal))
        {
            return Reply.Json(422, SpecExamples.Instance.ChartMogulError(422), NextRequestId());
        }

        if (DataSources.Find(uuid) is not { } scenario)
        {
            return Reply.Json(404, SpecExamples.Instance.ChartMogulError(404), NextRequestId());
        }

        var query = new DataSourceQuery(
            Flag(request, "with_processing_status"),
            Flag(request, "with_auto_churn_subscription_setting"),
            Flag(request, "with_invoice_handling_setting"));
        var position = scenario.Script.Next();
        return position.Step switch
        {
            StatusStep status => Reply.Json(200, scenario.Render(status, position, query), NextRequestId()),
            ExampleStep example => Reply.Json(200, DataSourceScenario.Filter(example.Body, query), NextRequestId()),
            ErrorStep error => Reply.Json(error.StatusCode, SpecExamples.Instance.ChartMogulError(error.StatusCode), NextRequestId(), error.RetryAfter),
            RawStep raw => Reply.Text(raw.StatusCode, raw.Body, raw.ContentType, NextRequestId()),
            _ => throw new InvalidOperationException($"Unknown step {position.Step}."),
        };
    }

    // Neither service: a plain answer that names the route, so a test that calls the wrong path says so.
    private ResponseMessage NoRoute(IRequestMessage request) =>
        Reply.Text(404, $"The fake billing server has no route for {request.Method} {request.Path}.", "text/plain; charset=utf-8", NextRequestId());

    private static JsonObject ElasticPathNotFound(string id)
    {
        // The spec's not-found example has no meta; the service names the id it could not find there.
        var body = SpecExamples.Instance.ElasticPathError(404);
        var error = body["errors"]![0]!.AsObject();
        if (error["meta"] is not JsonObject meta)
        {
            error["meta"] = meta = new JsonObject();
        }

        meta["missing_ids"] = new JsonArray(id);
        return body;
    }

    private bool HasValidBasic(IRequestMessage request)
    {
        if (!AuthenticationHeaderValue.TryParse(Header(request, "Authorization"), out var header)
            || !string.Equals(header.Scheme, "Basic", StringComparison.OrdinalIgnoreCase)
            || header.Parameter is null)
        {
            return false;
        }

        try
        {
            // ChartMogul: the API key is the user name and the password is empty.
            return Encoding.UTF8.GetString(Convert.FromBase64String(header.Parameter)) == ApiKey + ":";
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private bool HasValidBearer(IRequestMessage request)
    {
        if (!AuthenticationHeaderValue.TryParse(Header(request, "Authorization"), out var header)
            || !string.Equals(header.Scheme, "Bearer", StringComparison.OrdinalIgnoreCase)
            || header.Parameter is null)
        {
            return false;
        }

        lock (_tokensGate)
        {
            return _tokens.TryGetValue(header.Parameter, out var expires) && _options.TimeProvider.GetUtcNow() < expires;
        }
    }

    private string NextRequestId() =>
        "fake-" + Interlocked.Increment(ref _requestCount).ToString("D6", CultureInfo.InvariantCulture);

    private static long? QueryNumber(IRequestMessage request, string name) =>
        long.TryParse(Query(request)[name].FirstOrDefault(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var number)
            ? number
            : null;

    private static bool Flag(IRequestMessage request, string name) =>
        Query(request)[name].Any(value => string.Equals(value, "true", StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// The query with names and values percent-decoded, as the services' web servers read it:
    /// clients escape the brackets of <c>page[offset]</c> (<c>page%5Boffset%5D</c>), and WireMock's
    /// own parsed query keeps names as sent.
    /// </summary>
    private static ILookup<string, string> Query(IRequestMessage request) =>
        (request.RawQuery ?? string.Empty).TrimStart('?')
            .Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .ToLookup(parts => WebUtility.UrlDecode(parts[0]), parts => parts.Length > 1 ? WebUtility.UrlDecode(parts[1]) : string.Empty, StringComparer.Ordinal);

    private static string? Header(IRequestMessage request, string name) =>
        request.Headers?.FirstOrDefault(header => string.Equals(header.Key, name, StringComparison.OrdinalIgnoreCase)).Value?.FirstOrDefault();

    private static Dictionary<string, string> ParseForm(string? body)
    {
        var form = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in (body ?? string.Empty).Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = pair.Split('=', 2);
            form[WebUtility.UrlDecode(parts[0])] = parts.Length > 1 ? WebUtility.UrlDecode(parts[1]) : string.Empty;
        }

        return form;
    }

    private static int StatusOf(IResponseMessage? response) => response?.StatusCode switch
    {
        int code => code,
        HttpStatusCode code => (int)code,
        string text when int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var code) => code,
        _ => 0,
    };
}
