using System.Globalization;
using System.IO.Compression;
using System.Text;
using BillingImports.Tests.Support;
using TestContext = BillingImports.Tests.Support.TestContext;

namespace BillingImports.Tests.Transport;

/// <summary>
/// The SDK asks for compressed bodies and decodes them itself: gzip, deflate (zlib or raw) and
/// brotli, success and error bodies alike, with the body cap counted on the decoded bytes.
/// </summary>
public sealed class ContentCodingTests
{
    private const string Uuid = "ds_fef05d54-47b4-431b-aed2-eb6b9e545430";
    private const string Document = """{"uuid":"ds_fef05d54-47b4-431b-aed2-eb6b9e545430","name":"In-house billing","status":"idle"}""";
    private const string NotFound = """{"errors":[{"code":"NOT_FOUND","message":"Data source not found"}]}""";

    public static TheoryData<string> Codings() => ["gzip", "deflate", "deflate-raw", "br"];

    private static ChartMogulClient Client(HostileServer server, Action<ChartMogulClientOptions>? configure = null)
    {
        var options = new ChartMogulClientOptions
        {
            ApiKey = "hostile-test-key-0123456789",
            BaseAddress = server.BaseAddress,
            Retry = new RetryOptions { MaxRetries = 0, Jitter = 0, BaseDelay = TimeSpan.Zero },
        };
        configure?.Invoke(options);
        return new ChartMogulClient(options);
    }

    /// <summary>The body compressed as <paramref name="coding"/> says; "deflate-raw" is raw deflate sent as "deflate", as some servers do.</summary>
    private static (string Header, byte[] Bytes) Encode(string coding, string text)
    {
        using var buffer = new MemoryStream();
        using (Stream encoder = coding switch
        {
            "gzip" => new GZipStream(buffer, CompressionLevel.Optimal, leaveOpen: true),
            "deflate" => new ZLibStream(buffer, CompressionLevel.Optimal, leaveOpen: true),
            "deflate-raw" => new DeflateStream(buffer, CompressionLevel.Optimal, leaveOpen: true),
            _ => new BrotliStream(buffer, CompressionLevel.Optimal, leaveOpen: true),
        })
        {
            encoder.Write(Encoding.UTF8.GetBytes(text));
        }

        return (coding == "deflate-raw" ? "deflate" : coding, buffer.ToArray());
    }

    private static Func<HostileRequest, HostileResponse, Task> Answer(int status, string coding, string text) => async (_, response) =>
    {
        var (header, bytes) = Encode(coding, text);
        response.KeepAlive = true;
        await response.HeadAsync(status, ("Content-Type", "application/json"), ("Content-Encoding", header), ("Content-Length", bytes.Length.ToString(CultureInfo.InvariantCulture)));
        await response.BodyAsync(bytes);
    };

    [Fact]
    public async Task Request_AsksForGzipDeflateAndBrotli()
    {
        using var server = new HostileServer((_, response) => response.SendAsync(200, Document));
        using var client = Client(server);

        await client.DataSources.GetDataSourceAsync(Uuid, cancellationToken: TestContext.Token);

        Assert.Equal("gzip, deflate, br", Assert.Single(server.Requests).Headers["Accept-Encoding"]);
    }

    [Theory]
    [MemberData(nameof(Codings))]
    public async Task Call_CompressedBody_IsDecodedAndRead(string coding)
    {
        using var server = new HostileServer(Answer(200, coding, Document));
        using var client = Client(server);

        var source = await client.DataSources.GetDataSourceAsync(Uuid, cancellationToken: TestContext.Token);

        Assert.Equal("In-house billing", source.Name);
    }

    [Theory]
    [MemberData(nameof(Codings))]
    public async Task Call_CompressedBodyExactlyAtTheCapOnceDecoded_IsRead(string coding)
    {
        using var server = new HostileServer(Answer(200, coding, Document));
        using var client = Client(server, o => o.MaxResponseBodySize = Document.Length);

        var source = await client.DataSources.GetDataSourceAsync(Uuid, cancellationToken: TestContext.Token);

        Assert.Equal("idle", source.Status);
    }

    [Theory]
    [MemberData(nameof(Codings))]
    public async Task Call_CompressedBodyUnderTheCapOnTheWireButAboveItDecoded_IsInvalidResponse(string coding)
    {
        using var server = new HostileServer(Answer(200, coding, Document));
        using var client = Client(server, o => o.MaxResponseBodySize = Document.Length - 1);

        var error = await Assert.ThrowsAsync<BillingImportsApiException>(() => client.DataSources.GetDataSourceAsync(Uuid, cancellationToken: TestContext.Token));

        Assert.Equal(ApiErrorKind.InvalidResponse, error.Kind);
        Assert.Contains("larger than", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Codings))]
    public async Task Call_CompressedErrorBody_IsDecodedForTheError(string coding)
    {
        using var server = new HostileServer(Answer(404, coding, NotFound));
        using var client = Client(server);

        var error = await Assert.ThrowsAsync<BillingImportsApiException>(() => client.DataSources.GetDataSourceAsync(Uuid, cancellationToken: TestContext.Token));

        Assert.Equal(ApiErrorKind.NotFound, error.Kind);
        Assert.Equal(NotFound, error.ResponseBody);
        Assert.Contains("Data source not found", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Call_CodingTheSdkDoesNotKnow_IsLeftAsItCameAndIsInvalidResponse()
    {
        var (_, bytes) = Encode("br", Document);
        using var server = new HostileServer(async (_, response) =>
        {
            response.KeepAlive = true;
            await response.HeadAsync(200, ("Content-Type", "application/json"), ("Content-Encoding", "zstd"), ("Content-Length", bytes.Length.ToString(CultureInfo.InvariantCulture)));
            await response.BodyAsync(bytes);
        });
        using var client = Client(server);

        var error = await Assert.ThrowsAsync<BillingImportsApiException>(() => client.DataSources.GetDataSourceAsync(Uuid, cancellationToken: TestContext.Token));

        Assert.Equal(ApiErrorKind.InvalidResponse, error.Kind);
        Assert.Equal(1, server.RequestCount("/v1/"));
    }

    [Fact]
    public async Task Call_IdentityCoding_IsReadAsItCame()
    {
        using var server = new HostileServer((_, response) => response.SendAsync(200, Document, "application/json", ("Content-Encoding", "identity")));
        using var client = Client(server);

        var source = await client.DataSources.GetDataSourceAsync(Uuid, cancellationToken: TestContext.Token);

        Assert.Equal("In-house billing", source.Name);
    }

    [Theory]
    [MemberData(nameof(Codings))]
    public async Task ElasticPath_CompressedTokenAndImport_AreDecoded(string coding)
    {
        const string Import = """{"data":{"id":"i1","type":"subscription_import","attributes":{"status":"started"},"meta":{"owner":"store","timestamps":{"created_at":"2024-05-01T09:00:00Z","updated_at":"2024-05-01T09:00:00Z"},"records":{"uploaded":{},"imported":{}}}}}""";
        using var server = new HostileServer((request, response) => request.Path.StartsWith("/oauth/", StringComparison.Ordinal)
            ? Answer(200, coding, """{"access_token":"compressed-token-0123456789","expires_in":3600}""")(request, response)
            : request.Authorization == "Bearer compressed-token-0123456789"
                ? Answer(200, coding, Import)(request, response)
                : response.SendAsync(401, "{}"));
        using var client = new ElasticPathClient(new ElasticPathClientOptions
        {
            ClientId = "id",
            ClientSecret = "hostile-secret-0123456789",
            BaseAddress = server.BaseAddress,
            Retry = new RetryOptions { MaxRetries = 0 },
        });

        var import = await client.SubscriptionImports.GetImportAsync("i1", TestContext.Token);

        Assert.Equal("i1", import.Id);
    }
}
