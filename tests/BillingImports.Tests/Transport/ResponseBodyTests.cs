using BillingImports.Tests.Support;
using TestContext = BillingImports.Tests.Support.TestContext;

namespace BillingImports.Tests.Transport;

/// <summary>
/// Success bodies are read inside the attempt: bounded by <see cref="BillingImportsClientOptions.Timeout"/>,
/// retried when they break, and capped at <see cref="BillingImportsClientOptions.MaxResponseBodySize"/>
/// on the decoded bytes. No test here allocates more than a few megabytes: a body far larger than
/// the cap proves the client stopped reading by what the server managed to send.
/// </summary>
public sealed class ResponseBodyTests
{
    private const string Uuid = "ds_fef05d54-47b4-431b-aed2-eb6b9e545430";
    private const string Path = "/v1/data_sources/" + Uuid;
    private const string Prefix = """{"uuid":"ds_fef05d54-47b4-431b-aed2-eb6b9e545430","name":"In-house billing",""";
    private const string Suffix = "\"status\":\"idle\"}";

    // Far beyond any cap under test and beyond what loopback socket buffers can absorb.
    private const long HugeBody = 64L * 1024 * 1024;

    // What a client that stopped reading early lets the server send: the cap, the socket buffers on
    // both sides and the handler's drain allowance, with room to spare; a client that reads the
    // whole body lets the server send all of it.
    private const long StoppedEarly = HugeBody / 2;

    private static readonly string Document = Prefix + Suffix;

    /// <summary>
    /// A valid document padded with <see cref="HugeBody"/> bytes of whitespace, with no length: read
    /// whole, it would parse. <paramref name="sent"/> gets how much padding went out before the
    /// client stopped reading.
    /// </summary>
    private static HostileServer PaddedDocumentServer(TaskCompletionSource<long> sent) => new(async (_, response) =>
    {
        await response.HeadAsync(200, ("Content-Type", "application/json"), ("Connection", "close"));
        await response.BodyAsync(System.Text.Encoding.UTF8.GetBytes(Prefix));
        var padding = await response.FillAsync(HugeBody);
        await response.BodyAsync(System.Text.Encoding.UTF8.GetBytes(Suffix));
        sent.SetResult(padding);
        response.Abort();
    });

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

    [Fact]
    public async Task Call_BodyTricklesAfterTheHeaders_TimesOutWithinTheAttemptTimeoutAndIsRetried()
    {
        // Real time, short: the point is that the timeout fires at all once the headers are in.
        using var server = new HostileServer(async (_, response) =>
        {
            await response.HeadAsync(200, ("Content-Type", "application/json"), ("Content-Length", "1000"));
            await response.TrickleAsync(TimeSpan.FromMilliseconds(50), maxBytes: 600);
        });
        using var client = Client(server, o => { o.Timeout = TimeSpan.FromMilliseconds(300); o.Retry.MaxRetries = 1; });

        var error = await Assert.ThrowsAsync<BillingImportsApiException>(() => client.DataSources.GetDataSourceAsync(Uuid, cancellationToken: TestContext.Token));

        Assert.Equal(ApiErrorKind.Timeout, error.Kind);
        Assert.True(error.IsTransient);
        Assert.Equal(2, server.RequestCount(Path));
    }

    [Fact]
    public async Task Call_BodyTricklesAfterEarlierCallsEnded_TimesOutOnTheReusedAttemptTimer()
    {
        // The earlier calls leave their attempt timer running for the next attempt to reuse; the
        // trickling one must still end at its own deadline.
        var calls = 0;
        using var server = new HostileServer(async (_, response) =>
        {
            if (Interlocked.Increment(ref calls) <= 3)
            {
                await response.SendAsync(200, Document);
                return;
            }

            await response.HeadAsync(200, ("Content-Type", "application/json"), ("Content-Length", "1000"));
            await response.TrickleAsync(TimeSpan.FromMilliseconds(50), maxBytes: 600);
        });
        using var client = Client(server, o => o.Timeout = TimeSpan.FromMilliseconds(300));
        for (var i = 0; i < 3; i++)
        {
            await client.DataSources.GetDataSourceAsync(Uuid, cancellationToken: TestContext.Token);
        }

        var error = await Assert.ThrowsAsync<BillingImportsApiException>(() => client.DataSources.GetDataSourceAsync(Uuid, cancellationToken: TestContext.Token));

        Assert.Equal(ApiErrorKind.Timeout, error.Kind);
        Assert.Equal(4, server.RequestCount(Path));
    }

    [Fact]
    public async Task Call_BodyBreaksMidStream_IsRetriedAsATransientNetworkFailure()
    {
        var calls = 0;
        using var server = new HostileServer(async (_, response) =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                await response.HeadAsync(200, ("Content-Type", "application/json"), ("Content-Length", "500"));
                await response.BodyAsync("""{"uuid":"ds_fef0"""u8.ToArray());
                response.Abort();
                return;
            }

            await response.SendAsync(200, Document);
        });
        using var client = Client(server, o => o.Retry.MaxRetries = 1);

        var source = await client.DataSources.GetDataSourceAsync(Uuid, cancellationToken: TestContext.Token);

        Assert.Equal("idle", source.Status);
        Assert.Equal(2, server.RequestCount(Path));
    }

    [Fact]
    public async Task Call_BodyBreaksMidStreamOnEveryTry_IsANetworkError()
    {
        using var server = new HostileServer(async (_, response) =>
        {
            await response.HeadAsync(200, ("Content-Type", "application/json"), ("Content-Length", "500"));
            await response.BodyAsync("""{"uuid":"ds_fef0"""u8.ToArray());
            response.Abort();
        });
        using var client = Client(server, o => o.Retry.MaxRetries = 2);

        var error = await Assert.ThrowsAsync<BillingImportsApiException>(() => client.DataSources.GetDataSourceAsync(Uuid, cancellationToken: TestContext.Token));

        Assert.Equal(ApiErrorKind.Network, error.Kind);
        Assert.Equal(3, server.RequestCount(Path));
    }

    [Fact]
    public async Task Call_ContentLengthAboveTheCap_IsInvalidResponseWithoutReadingTheBody()
    {
        var sent = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var server = new HostileServer(async (_, response) =>
        {
            await response.HeadAsync(200, ("Content-Type", "application/json"), ("Content-Length", HugeBody.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            sent.SetResult(await response.FillAsync(HugeBody));
        });
        using var client = Client(server, o => o.MaxResponseBodySize = 64 * 1024);

        var error = await Assert.ThrowsAsync<BillingImportsApiException>(() => client.DataSources.GetDataSourceAsync(Uuid, cancellationToken: TestContext.Token));

        Assert.Equal(ApiErrorKind.InvalidResponse, error.Kind);
        Assert.False(error.IsTransient);
        Assert.Contains("65536", error.Message, StringComparison.Ordinal);
        Assert.InRange(await sent.Task.WaitAsync(TestContext.Token), 0, StoppedEarly);
    }

    [Fact]
    public async Task Call_BodyWithoutLengthBeyondTheCap_StopsReadingAtTheCap()
    {
        var sent = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var server = PaddedDocumentServer(sent);
        using var client = Client(server, o => o.MaxResponseBodySize = 1024 * 1024);

        var error = await Assert.ThrowsAsync<BillingImportsApiException>(() => client.DataSources.GetDataSourceAsync(Uuid, cancellationToken: TestContext.Token));

        Assert.Equal(ApiErrorKind.InvalidResponse, error.Kind);
        Assert.InRange(await sent.Task.WaitAsync(TestContext.Token), 0, StoppedEarly);
    }

    [Fact]
    public async Task Call_GzipBomb_IsCappedOnTheDecodedBytesByDefault()
    {
        // About 64 KB on the wire, 64 MB decoded, a valid document once decoded: only a cap on the
        // decoded bytes stops it, and the default cap must.
        using var server = new HostileServer((_, response) => response.GzipAsync(Prefix, HugeBody, Suffix));
        using var client = Client(server);

        var error = await Assert.ThrowsAsync<BillingImportsApiException>(() => client.DataSources.GetDataSourceAsync(Uuid, cancellationToken: TestContext.Token));

        Assert.Equal(ApiErrorKind.InvalidResponse, error.Kind);
        Assert.Equal(200, error.StatusCode);
    }

    [Fact]
    public async Task Call_SmallGzipBody_IsDecodedAndRead()
    {
        using var server = new HostileServer((_, response) => response.GzipAsync(Prefix, 1000, Suffix));
        using var client = Client(server);

        var source = await client.DataSources.GetDataSourceAsync(Uuid, cancellationToken: TestContext.Token);

        Assert.Equal("In-house billing", source.Name);
    }

    [Fact]
    public async Task Call_BodyExactlyAtTheCap_IsRead()
    {
        using var server = new HostileServer((_, response) => response.SendAsync(200, Document, "application/json; charset=utf-8"));
        using var client = Client(server, o => o.MaxResponseBodySize = Document.Length);

        var source = await client.DataSources.GetDataSourceAsync(Uuid, cancellationToken: TestContext.Token);

        Assert.Equal("idle", source.Status);
    }

    [Fact]
    public async Task Call_RedirectWithAHugeBody_FollowsItWithoutReadingTheBody()
    {
        var sent = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var server = new HostileServer(async (request, response) =>
        {
            if (request.Path.StartsWith("/moved/", StringComparison.Ordinal))
            {
                await response.SendAsync(200, Document);
                return;
            }

            await response.HeadAsync(302, ("Location", "/moved/" + Uuid), ("Content-Type", "text/html"), ("Content-Length", HugeBody.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            sent.SetResult(await response.FillAsync(HugeBody));
        });
        using var client = Client(server);

        var source = await client.DataSources.GetDataSourceAsync(Uuid, cancellationToken: TestContext.Token);

        Assert.Equal("idle", source.Status);
        Assert.InRange(await sent.Task.WaitAsync(TestContext.Token), 0, StoppedEarly);
    }

    [Fact]
    public async Task GeneratedClientOverAPlainHttpClient_BodyBeyondTheDefaultCap_IsInvalidResponse()
    {
        var sent = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var server = PaddedDocumentServer(sent);
        using var http = new HttpClient { BaseAddress = server.BaseAddress };

        var error = await Assert.ThrowsAsync<BillingImportsApiException>(() => new DataSourcesClient(http).GetDataSourceAsync(Uuid, cancellationToken: TestContext.Token));

        Assert.Equal(ApiErrorKind.InvalidResponse, error.Kind);
        Assert.InRange(await sent.Task.WaitAsync(TestContext.Token), 0, StoppedEarly);
    }

    [Theory]
    [InlineData(200, "gzip", ApiErrorKind.InvalidResponse)]
    [InlineData(200, "deflate", ApiErrorKind.InvalidResponse)]
    [InlineData(200, "br", ApiErrorKind.InvalidResponse)]
    [InlineData(500, "gzip", ApiErrorKind.ServerError)]
    [InlineData(404, "deflate", ApiErrorKind.NotFound)]
    [InlineData(404, "br", ApiErrorKind.NotFound)]
    public async Task Call_BodyThatDoesNotDecompress_IsATypedError(int status, string encoding, ApiErrorKind kind)
    {
        var garbage = Enumerable.Range(0, 300).Select(i => (byte)(i * 37 % 251)).ToArray();
        using var server = new HostileServer(async (_, response) =>
        {
            response.KeepAlive = true;
            await response.HeadAsync(status, ("Content-Type", "application/json"), ("Content-Encoding", encoding), ("Content-Length", garbage.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            await response.BodyAsync(garbage);
        });
        using var client = Client(server);

        var error = await Assert.ThrowsAsync<BillingImportsApiException>(() => client.DataSources.GetDataSourceAsync(Uuid, cancellationToken: TestContext.Token));

        Assert.Equal(kind, error.Kind);
        Assert.Equal(status, error.StatusCode);
        Assert.Equal(1, server.RequestCount(Path));
    }

    [Theory]
    [InlineData("GARBAGE\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: abc\r\n\r\n{}")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 7\r\n\r\n{}")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nZZZ\r\n{}\r\n0\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 40\r\n\r\n{\"uuid\":")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 13\r\n\r\n<html></html>")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Type: application/json; charset=\"\"\r\nContent-Length: 2\r\n\r\n{}")]
    [InlineData("HTTP/1.1 204 No Content\r\n\r\n")]
    [InlineData("HTTP/1.1 999 Whatever\r\nContent-Length: 0\r\n\r\n")]
    [InlineData("HTTP/1.1 302 Found\r\nContent-Length: 0\r\n\r\n")]
    [InlineData("HTTP/1.1 302 Found\r\nLocation: ftp://127.0.0.1/x\r\nContent-Length: 0\r\n\r\n")]
    [InlineData("HTTP/1.1 302 Found\r\nLocation: http://127.0.0.1:1/x\r\nContent-Length: 0\r\n\r\n")]
    [InlineData("HTTP/1.1 301 Moved Permanently\r\nLocation: /v1/data_sources/ds_fef05d54-47b4-431b-aed2-eb6b9e545430\r\nContent-Length: 0\r\n\r\n")]
    [InlineData("HTTP/1.1 429 Too Many Requests\r\nRetry-After: 999999999999999999999\r\nContent-Length: 0\r\n\r\n")]
    [InlineData("HTTP/1.1 503 Service Unavailable\r\nRetry-After: Fri, 31 Dec 9999 23:59:59 GMT\r\nDate: Mon, 01 Jan 0001 00:00:00 GMT\r\nContent-Length: 0\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nX-Bytes: \u00ff\u00fe\r\nContent-Type: application/json\r\nContent-Length: 4\r\n\r\nnull")]
    public async Task Call_AnyMalformedAnswer_EndsInATypedError(string raw)
    {
        using var server = new HostileServer(async (_, response) =>
        {
            await response.BodyAsync(System.Text.Encoding.Latin1.GetBytes(raw));
            response.Abort();
        });
        using var client = Client(server, o => o.Timeout = TimeSpan.FromSeconds(10));

        var error = await Record.ExceptionAsync(() => client.DataSources.GetDataSourceAsync(Uuid, cancellationToken: TestContext.Token));

        Assert.IsType<BillingImportsApiException>(error);
    }
}
