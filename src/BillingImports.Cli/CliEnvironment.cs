using BillingImports.Testing;

namespace BillingImports.Cli;

/// <summary>
/// Where the commands send their requests: the real services when credentials are in the
/// environment, otherwise an embedded fake server with a scripted demo, so the program runs on a
/// machine with no account.
/// </summary>
internal sealed class CliEnvironment : IDisposable
{
    public const string DemoImportId = "11111111-2222-3333-4444-555555555555";
    public const string DemoFailingImportId = "99999999-8888-7777-6666-555555555555";
    public const string DemoDataSourceUuid = "ds_fef05d54-47b4-431b-aed2-eb6b9e545430";

    private readonly FakeBillingServer? _fake;
    private readonly ChartMogulClient? _chartMogul;
    private readonly ElasticPathClient? _elasticPath;

    private CliEnvironment(FakeBillingServer? fake, ChartMogulClient? chartMogul, ElasticPathClient? elasticPath, PollingOptions polling)
    {
        _fake = fake;
        _chartMogul = chartMogul;
        _elasticPath = elasticPath;
        Polling = polling;
    }

    /// <summary>True when the embedded fake server answers instead of the real services.</summary>
    public bool IsDemo => _fake is not null;

    public PollingOptions Polling { get; }

    public IDataSourcesClient DataSources => _chartMogul?.DataSources
        ?? throw new CliException("Set CHARTMOGUL_API_KEY to call ChartMogul (or unset every credential to use the embedded fake server).");

    public ISubscriptionImportsClient Imports => _elasticPath?.SubscriptionImports
        ?? throw new CliException("Set ELASTICPATH_CLIENT_ID and ELASTICPATH_CLIENT_SECRET to call Elastic Path (or unset every credential to use the embedded fake server).");

    public static CliEnvironment FromEnvironment()
    {
        var apiKey = Variable("CHARTMOGUL_API_KEY");
        var clientId = Variable("ELASTICPATH_CLIENT_ID");
        var clientSecret = Variable("ELASTICPATH_CLIENT_SECRET");
        if (apiKey is null && clientId is null && clientSecret is null)
        {
            return Demo();
        }

        ChartMogulClient? chartMogul = null;
        if (apiKey is not null)
        {
            var options = new ChartMogulClientOptions { ApiKey = apiKey, BaseAddress = BaseAddress("CHARTMOGUL_BASE_URL") };
            chartMogul = Create("CHARTMOGUL_BASE_URL", () => new ChartMogulClient(options));
        }

        ElasticPathClient? elasticPath = null;
        if (clientId is not null || clientSecret is not null)
        {
            var options = new ElasticPathClientOptions
            {
                ClientId = clientId ?? throw new CliException("ELASTICPATH_CLIENT_SECRET is set but ELASTICPATH_CLIENT_ID is not."),
                ClientSecret = clientSecret ?? throw new CliException("ELASTICPATH_CLIENT_ID is set but ELASTICPATH_CLIENT_SECRET is not."),
                Region = Variable("ELASTICPATH_REGION")?.ToUpperInvariant() switch
                {
                    null or "USEAST" => ElasticPathRegion.UsEast,
                    "EUWEST" => ElasticPathRegion.EuWest,
                    var other => throw new CliException($"ELASTICPATH_REGION must be useast or euwest, not '{other.ToLowerInvariant()}'."),
                },
                BaseAddress = BaseAddress("ELASTICPATH_BASE_URL"),
            };
            elasticPath = Create("ELASTICPATH_BASE_URL", () => new ElasticPathClient(options));
        }

        return new CliEnvironment(null, chartMogul, elasticPath, new PollingOptions());
    }

    public void Dispose()
    {
        _chartMogul?.Dispose();
        _elasticPath?.Dispose();
        _fake?.Dispose();
    }

    private static CliEnvironment Demo()
    {
        var fake = new FakeBillingServer();

        // A job that is accepted, runs for a few polls with growing counts, and succeeds; one that fails.
        fake.Imports.Add(DemoImportId)
            .WithExternalRef("nightly-2024-05-01")
            .WithUploadedRecords((RecordTypes.Offering, 3), (RecordTypes.Subscription, 120), (RecordTypes.Feature, 8))
            .Pending(polls: 2)
            .Started(polls: 6)
            .Succeeds();
        fake.Imports.Add(DemoFailingImportId)
            .WithUploadedRecords((RecordTypes.Product, 1), (RecordTypes.Plan, 2), (RecordTypes.Subscriber, 50))
            .Started(polls: 3)
            .Fails()
            .WithErrors(
                new FakeImportError(17, "plan_id", "not found", "sub-0017"),
                new FakeImportError(42, "email", "is not a valid email address", "sub-0042"),
                new FakeImportError(43, null, "duplicate line", "sub-0042"));
        fake.DataSources.Add(DemoDataSourceUuid).WithName("In-house billing").WithSystem("Import API").Working(polls: 3).Idle();

        var chartMogul = fake.CreateChartMogulClient();
        var elasticPath = fake.CreateElasticPathClient();

        // The demo polls briskly so that it finishes in a few seconds; real waits use the defaults.
        var polling = new PollingOptions { InitialInterval = TimeSpan.FromMilliseconds(250), MaxInterval = TimeSpan.FromMilliseconds(400), Timeout = TimeSpan.FromMinutes(1) };
        return new CliEnvironment(fake, chartMogul, elasticPath, polling);
    }

    /// <summary>The address in a variable, or null when it is not set; the value is never echoed, as it may carry credentials.</summary>
    private static Uri? BaseAddress(string variable) => Variable(variable) switch
    {
        null => null,
        var text when Uri.TryCreate(text, UriKind.Absolute, out var address) => address,
        _ => throw new CliException($"{variable} must be an absolute URL such as https://api.example.com/."),
    };

    /// <summary>Creates a client, turning the SDK's rejection of its options into a one-line error that names the variable.</summary>
    private static T Create<T>(string addressVariable, Func<T> create)
    {
        try
        {
            return create();
        }
        catch (ArgumentException invalid)
        {
            throw new CliException($"{invalid.Message} (check {addressVariable} and the credentials)");
        }
    }

    private static string? Variable(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;
}

/// <summary>A problem with how the program was called, shown as one line without a stack trace.</summary>
internal sealed class CliException(string message) : Exception(message);
