using System.Globalization;
using System.Net;
using System.Net.Sockets;
using BillingImports.Tests.Support;
using Microsoft.Extensions.Time.Testing;
using TestContext = BillingImports.Tests.Support.TestContext;

namespace BillingImports.Tests.Transport;

public sealed class RetryTests : IDisposable
{
    private const string Uuid = "ds_fef05d54-47b4-431b-aed2-eb6b9e545430";
    private const string Path = "/v1/data_sources/" + Uuid;
    private readonly ScriptedServer _server = new();
    private readonly VirtualTime _time = new();

    public void Dispose() => _server.Dispose();

    /// <summary>A client on the virtual clock unless the test gives another.</summary>
    private ChartMogulClient Client(Action<ChartMogulClientOptions>? configure = null, TimeProvider? time = null)
    {
        var options = new ChartMogulClientOptions
        {
            ApiKey = "test-api-key",
            BaseAddress = new Uri(_server.Url),
            Timeout = Timeout.InfiniteTimeSpan,
            Retry = new RetryOptions { Jitter = 0 },
        };
        configure?.Invoke(options);
        return new ChartMogulClient(options, null, time ?? _time);
    }

    [Theory]
    [InlineData(429)]
    [InlineData(503)]
    public async Task RetryAfterDeltaSeconds_IsWaitedOutThenTheCallSucceeds(int status)
    {
        _server.Script(Path, Reply.JsonApiError(status, "Slow down", ("Retry-After", "7")), Reply.Source(Uuid, "idle"));
        using var client = Client();

        var source = await client.DataSources.GetDataSourceAsync(Uuid, cancellationToken: TestContext.Token);

        Assert.Equal("idle", source.Status);
        Assert.Equal(2, _server.RequestCount(Path));
        Assert.Equal([TimeSpan.FromSeconds(7)], _time.Delays);
    }

    [Theory]
    [InlineData(429)]
    [InlineData(503)]
    public async Task RetryAfterHttpDate_IsWaitedUntilThatDate(int status)
    {
        // Kiota's RetryHandler takes TimeSpan.Seconds of the difference (0 to 59, here about 0 or 59);
        // the SDK waits the whole 120. The web server stamps its own Date header, which the SDK
        // measures the date against.
        var retryAt = DateTimeOffset.UtcNow.AddMinutes(2).ToString("R", CultureInfo.InvariantCulture);
        _server.Script(Path, Reply.JsonApiError(status, "Slow down", ("Retry-After", retryAt)), Reply.Source(Uuid, "idle"));
        using var client = Client(o => o.Retry = new RetryOptions { MaxRetryAfter = TimeSpan.FromMinutes(5), Jitter = 0 });

        await client.DataSources.GetDataSourceAsync(Uuid, cancellationToken: TestContext.Token);

        // HTTP dates have whole seconds, so the wait is two minutes give or take one.
        Assert.InRange(Assert.Single(_time.Delays).TotalSeconds, 119, 121);
        Assert.Equal(2, _server.RequestCount(Path));
    }

    [Fact]
    public async Task ServerErrors_WithoutRetryAfter_BackOffExponentiallyUpToTheCap()
    {
        var error = Reply.JsonApiError(502, "Bad Gateway");
        _server.Script(Path, error, error, error, error, Reply.Source(Uuid, "idle"));
        using var client = Client(o => o.Retry = new RetryOptions { MaxRetries = 4, BaseDelay = TimeSpan.FromSeconds(1), MaxDelay = TimeSpan.FromSeconds(5), Jitter = 0 });

        await client.DataSources.GetDataSourceAsync(Uuid, cancellationToken: TestContext.Token);

        Assert.Equal([1, 2, 4, 5], _time.Delays.Select(delay => delay.TotalSeconds));
    }

    [Fact]
    public async Task Jitter_SpreadsTheBackoffWithinTheFraction()
    {
        var error = Reply.JsonApiError(500, "Internal Server Error");
        _server.Script(Path, error, error, error, Reply.Source(Uuid, "idle"));
        using var client = Client(o => o.Retry = new RetryOptions { BaseDelay = TimeSpan.FromSeconds(10), MaxDelay = TimeSpan.FromSeconds(10), Jitter = 0.5 });

        await client.DataSources.GetDataSourceAsync(Uuid, cancellationToken: TestContext.Token);

        Assert.Equal(3, _time.Delays.Count);
        Assert.All(_time.Delays, delay => Assert.InRange(delay.TotalSeconds, 5, 15));
    }

    [Theory]
    [InlineData(400, ApiErrorKind.BadRequest)]
    [InlineData(401, ApiErrorKind.Unauthorized)]
    [InlineData(403, ApiErrorKind.Forbidden)]
    [InlineData(404, ApiErrorKind.NotFound)]
    [InlineData(422, ApiErrorKind.Validation)]
    public async Task ClientErrors_AreNotRetried(int status, ApiErrorKind kind)
    {
        _server.Script(Path, Reply.JsonApiError(status, "No"), Reply.Source(Uuid, "idle"));
        using var client = Client();

        var error = await Assert.ThrowsAsync<BillingImportsApiException>(() => client.DataSources.GetDataSourceAsync(Uuid, cancellationToken: TestContext.Token));

        Assert.Equal(kind, error.Kind);
        Assert.Equal(1, _server.RequestCount(Path));
        Assert.Empty(_time.Delays);
    }

    [Fact]
    public async Task RetriesExhausted_ThrowsOneTypedExceptionWithRetryAfter()
    {
        _server.Script(Path, Reply.JsonApiError(429, "Too Many Requests", ("Retry-After", "3")));
        using var client = Client(o => o.Retry = new RetryOptions { MaxRetries = 2, Jitter = 0 });

        var error = await Assert.ThrowsAsync<BillingImportsApiException>(() => client.DataSources.GetDataSourceAsync(Uuid, cancellationToken: TestContext.Token));

        Assert.Equal(ApiErrorKind.RateLimited, error.Kind);
        Assert.Equal(TimeSpan.FromSeconds(3), error.RetryAfter);
        Assert.True(error.IsTransient);
        Assert.Equal(3, _server.RequestCount(Path));
        Assert.Equal([TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(3)], _time.Delays);
    }

    [Fact]
    public async Task RetryAfterLongerThanTheCap_IsLeftToTheCaller()
    {
        _server.Script(Path, Reply.JsonApiError(503, "Service Unavailable", ("Retry-After", "3600")), Reply.Source(Uuid, "idle"));
        using var client = Client();

        var error = await Assert.ThrowsAsync<BillingImportsApiException>(() => client.DataSources.GetDataSourceAsync(Uuid, cancellationToken: TestContext.Token));

        Assert.Equal(TimeSpan.FromHours(1), error.RetryAfter);
        Assert.Equal(1, _server.RequestCount(Path));
        Assert.Empty(_time.Delays);
    }

    [Fact]
    public async Task ConnectionRefused_AfterRetries_IsANetworkError()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var client = Client(o => o.BaseAddress = new Uri($"http://127.0.0.1:{port}/"));

        var error = await Assert.ThrowsAsync<BillingImportsApiException>(() => client.DataSources.GetDataSourceAsync(Uuid, cancellationToken: TestContext.Token));

        Assert.Equal(ApiErrorKind.Network, error.Kind);
        Assert.True(error.IsTransient);
        Assert.IsAssignableFrom<HttpRequestException>(error.InnerException);
        Assert.Equal(3, _time.Delays.Count);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(504)]
    public async Task RetriesExhaustedOnServerErrors_ThrowsServerErrorNotAggregateException(int status)
    {
        _server.Script(Path, Reply.JsonApiError(status, "Unavailable", ("Retry-After", "2")));
        using var client = Client(o => o.Retry = new RetryOptions { MaxRetries = 2, Jitter = 0 });

        // ThrowsAsync matches the exact type: an AggregateException (Kiota's ending) would fail it.
        var error = await Assert.ThrowsAsync<BillingImportsApiException>(() => client.DataSources.GetDataSourceAsync(Uuid, cancellationToken: TestContext.Token));

        Assert.Equal(ApiErrorKind.ServerError, error.Kind);
        Assert.Equal(status, error.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(2), error.RetryAfter);
        Assert.Equal(3, _server.RequestCount(Path));
        Assert.Equal([TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2)], _time.Delays);
    }

    [Fact]
    public async Task SlowAttempt_TimesOutOnTheClientsClockAsATransientTimeout()
    {
        using var silent = new SilentServer();
        var time = new FakeTimeProvider();
        using var client = Client(
            o =>
            {
                o.BaseAddress = silent.Url;
                o.Timeout = TimeSpan.FromSeconds(30);
                o.Retry = new RetryOptions { MaxRetries = 0 };
            },
            time);

        var call = client.DataSources.GetDataSourceAsync(Uuid, cancellationToken: TestContext.Token);
        await silent.Connected.WaitAsync(TestContext.Token);

        // The attempt's timer is on the fake clock: real time passing does not end the attempt early.
        time.Advance(TimeSpan.FromSeconds(29));
        await Task.Delay(50, TestContext.Token);
        Assert.False(call.IsCompleted);

        time.Advance(TimeSpan.FromSeconds(1));
        var error = await Assert.ThrowsAsync<BillingImportsApiException>(() => call);

        Assert.Equal(ApiErrorKind.Timeout, error.Kind);
        Assert.True(error.IsTransient);
    }

    [Fact]
    public async Task CallerCancelsDuringABackoffWait_StopsPromptly()
    {
        _server.Script(Path, Reply.JsonApiError(503, "Service Unavailable"));
        using var client = Client(o => o.Retry = new RetryOptions { BaseDelay = TimeSpan.FromMinutes(10), MaxDelay = TimeSpan.FromMinutes(10) }, TimeProvider.System);
        using var cancel = new CancellationTokenSource();

        var call = client.DataSources.GetDataSourceAsync(Uuid, cancellationToken: cancel.Token);
        while (_server.RequestCount(Path) == 0)
        {
            await Task.Delay(10, TestContext.Token);
        }

        await cancel.CancelAsync();

        // The call sleeps 10 real minutes before its retry; only a prompt reaction lets this pass.
        Assert.Same(call, await Task.WhenAny(call, Task.Delay(TimeSpan.FromSeconds(20), TestContext.Token)));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.Equal(1, _server.RequestCount(Path));
    }

    [Fact]
    public async Task RedirectChain_IsFollowedHopByHop_EachHopAuthenticated()
    {
        // Kiota's RedirectHandler, handed the redirect by the retry handler, follows both hops; every
        // request below it goes through the auth handler again.
        var self = _server.Url + Path;
        _server.Script(Path, new Reply(302, "moved", "text/plain", ("Location", self)), new Reply(307, "moved again", "text/plain", ("Location", self)), Reply.Source(Uuid, "idle"));
        using var client = Client();

        var source = await client.DataSources.GetDataSourceAsync(Uuid, cancellationToken: TestContext.Token);

        Assert.Equal(DataSourceStatus.Idle, source.Status);
        var authorizations = _server.Authorizations(Path);
        Assert.Equal(3, authorizations.Count);
        Assert.All(authorizations, authorization => Assert.StartsWith("Basic ", authorization, StringComparison.Ordinal));
    }

    [Fact]
    public async Task RedirectLoop_EndsAtKiotasLimitAsATypedError()
    {
        var error = await RefusedRedirectAsync(_server.Url + Path);

        Assert.IsType<InvalidOperationException>(error.InnerException);

        // The first answer and Kiota's default of 5 redirects: 6 requests, none of them retried.
        Assert.Equal(6, _server.RequestCount(Path));
    }

    [Theory]
    [InlineData("::::")]
    [InlineData(":99999999/x")]
    public async Task RedirectToALocationThatIsNoAddress_IsATypedError(string location)
    {
        var error = await RefusedRedirectAsync(location);

        // Kiota appends a relative Location to the scheme and authority; this one makes no address.
        Assert.IsType<UriFormatException>(error.InnerException);
        Assert.Equal(1, _server.RequestCount(Path));
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("http://")]
    [InlineData("http://:0/")]
    [InlineData("//")]
    [InlineData("///x")]
    [InlineData("\\\\server\\share")]
    [InlineData("mailto:someone@example.com")]
    [InlineData("data:text/plain,hello")]
    [InlineData("ftp://127.0.0.1/x")]
    [InlineData("file:///etc/passwd")]
    [InlineData("http://127.0.0.1:1/v1/data_sources/x")]
    [InlineData("?x=1")]
    [InlineData("#fragment")]
    [InlineData("%zz")]
    [InlineData("http://[::1/x")]
    public async Task RedirectToAHostileLocation_EndsInTheSdksExceptionOrAnAnswer(string location)
    {
        _server.Script(Path, new Reply(302, string.Empty, "text/plain", ("Location", location)));
        using var client = Client(options => options.Retry = new RetryOptions { MaxRetries = 0 });

        var error = await Record.ExceptionAsync(() => client.DataSources.GetDataSourceAsync(Uuid, cancellationToken: TestContext.Token));

        // Whatever the Location, nothing but the SDK's own exception (or an answer) comes out.
        Assert.True(error is null or BillingImportsApiException, $"{location}: {error}");
    }

    [Fact]
    public async Task RedirectWithoutLocation_IsATypedError()
    {
        var error = await RefusedRedirectAsync(location: null);

        Assert.IsType<InvalidOperationException>(error.InnerException);
        Assert.Equal(1, _server.RequestCount(Path));
    }

    [Fact]
    public async Task RedirectToAnotherScheme_IsATypedErrorNotAnInvalidOperation()
    {
        var error = await RefusedRedirectAsync("https://127.0.0.1:1/v1/data_sources/" + Uuid);

        Assert.IsType<InvalidOperationException>(error.InnerException);
        Assert.Equal(1, _server.RequestCount(Path));
    }

    /// <summary>
    /// A call answered by a redirect to <paramref name="location"/> (a 301 with no <c>Location</c>
    /// when null), which the SDK must refuse: its own exception, saying the call was redirected.
    /// </summary>
    private async Task<BillingImportsApiException> RefusedRedirectAsync(string? location)
    {
        _server.Script(Path, location is null ? new Reply(301, string.Empty, "text/plain") : new Reply(302, string.Empty, "text/plain", ("Location", location)));
        using var client = Client();

        var error = await Assert.ThrowsAsync<BillingImportsApiException>(() => client.DataSources.GetDataSourceAsync(Uuid, cancellationToken: TestContext.Token));

        Assert.Contains("redirected", error.Message, StringComparison.Ordinal);
        return error;
    }
}

/// <summary>A loopback server that accepts connections and never answers: an attempt that hangs.</summary>
internal sealed class SilentServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly List<Socket> _sockets = [];
    private readonly TaskCompletionSource _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public SilentServer()
    {
        _listener.Start();
        _ = AcceptAsync();
    }

    public Uri Url => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");

    /// <summary>Completes when the first client has connected.</summary>
    public Task Connected => _connected.Task;

    public void Dispose()
    {
        _listener.Stop();
        lock (_sockets)
        {
            _sockets.ForEach(socket => socket.Dispose());
        }
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var socket = await _listener.AcceptSocketAsync();
                lock (_sockets)
                {
                    _sockets.Add(socket);
                }

                _connected.TrySetResult();
            }
        }
        catch (Exception exception) when (exception is SocketException or ObjectDisposedException)
        {
            // Stopped by Dispose.
        }
    }
}
