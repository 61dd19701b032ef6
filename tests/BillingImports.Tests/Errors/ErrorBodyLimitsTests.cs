using System.Diagnostics;
using System.Net;
using System.Text;
using BillingImports.Tests.Support;
using TestContext = BillingImports.Tests.Support.TestContext;

namespace BillingImports.Tests.Errors;

/// <summary>Bodies that are huge, deep, endless, broken or wrongly encoded still give the typed exception, quickly.</summary>
public sealed class ErrorBodyLimitsTests
{
    [Fact]
    public async Task Read_EndlessBody_StopsAtCapWithoutHanging()
    {
        using var http = StubHandler.Client(() => new HttpResponseMessage(HttpStatusCode.InternalServerError)
        {
            Content = new StreamContent(new EndlessStream((byte)'x')),
        });
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<BillingImportsApiException>(() => new DataSourcesClient(http).GetDataSourceAsync("ds_1", cancellationToken: TestContext.Token));

        Assert.Equal(BillingImportsApiException.MaxResponseBodyLength, error.ResponseBody!.Length);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), clock.Elapsed.ToString());
        Assert.Equal(ApiErrorKind.ServerError, error.Kind);
    }

    [Fact]
    public async Task Read_DeeplyNestedJson_TypedExceptionWithoutParsedErrors()
    {
        var body = new string('[', 5000) + new string(']', 5000);
        using var http = StubHandler.Client(() => Response(HttpStatusCode.BadRequest, body, "application/json"));

        var error = await Assert.ThrowsAsync<BillingImportsApiException>(() => new SubscriptionImportsClient(http).GetImportAsync("x", TestContext.Token));

        Assert.Equal(ApiErrorKind.BadRequest, error.Kind);
        Assert.Empty(error.Errors);
        Assert.Equal("HTTP 400 Bad Request: the body is not valid JSON.", error.Message);
    }

    [Fact]
    public async Task Read_DeeplyNestedJsonOnSuccess_InvalidResponse()
    {
        var body = string.Concat(Enumerable.Repeat("{\"a\":", 1000)) + "1" + new string('}', 1000);
        using var http = StubHandler.Client(() => Response(HttpStatusCode.OK, body, "application/json"));

        var error = await Assert.ThrowsAsync<BillingImportsApiException>(() => new DataSourcesClient(http).GetDataSourceAsync("ds_1", cancellationToken: TestContext.Token));

        Assert.Equal(ApiErrorKind.InvalidResponse, error.Kind);
        Assert.IsType<System.Text.Json.JsonException>(error.InnerException);
    }

    [Fact]
    public async Task Read_StreamBreaksMidBody_TypedExceptionWithStatusKind()
    {
        using var http = StubHandler.Client(() => new HttpResponseMessage(HttpStatusCode.ServiceUnavailable)
        {
            Content = new StreamContent(new BreakingStream("""{"errors":[{"status":503,"""u8.ToArray())),
        });

        var error = await Assert.ThrowsAsync<BillingImportsApiException>(() => new SubscriptionImportsClient(http).GetImportAsync("x", TestContext.Token));

        Assert.Equal(ApiErrorKind.ServerError, error.Kind);
        Assert.Equal(503, error.StatusCode);
        Assert.IsType<IOException>(error.InnerException);
        Assert.Null(error.ResponseBody);
        Assert.Equal("HTTP 503 Service Unavailable.", error.Message);
    }

    [Fact]
    public async Task Read_UnknownCharset_FallsBackToUtf8()
    {
        using var http = StubHandler.Client(() =>
        {
            var content = new ByteArrayContent("""{"error":"Données introuvables"}"""u8.ToArray());
            content.Headers.TryAddWithoutValidation("Content-Type", "application/json; charset=utf-99");
            return new HttpResponseMessage(HttpStatusCode.NotFound) { Content = content };
        });

        var error = await Assert.ThrowsAsync<BillingImportsApiException>(() => new DataSourcesClient(http).GetDataSourceAsync("ds_1", cancellationToken: TestContext.Token));

        Assert.Equal("HTTP 404 Not Found: Données introuvables.", error.Message);
    }

    [Fact]
    public async Task Read_Latin1Charset_Decoded()
    {
        using var http = StubHandler.Client(() =>
        {
            var content = new ByteArrayContent(Encoding.Latin1.GetBytes("Données indisponibles"));
            content.Headers.TryAddWithoutValidation("Content-Type", "text/plain; charset=ISO-8859-1");
            return new HttpResponseMessage(HttpStatusCode.ServiceUnavailable) { Content = content };
        });

        var error = await Assert.ThrowsAsync<BillingImportsApiException>(() => new DataSourcesClient(http).GetDataSourceAsync("ds_1", cancellationToken: TestContext.Token));

        Assert.Equal("HTTP 503 Service Unavailable: Données indisponibles.", error.Message);
    }

    [Fact]
    public async Task Read_InvalidUtf8Bytes_TypedException()
    {
        using var http = StubHandler.Client(() => new HttpResponseMessage(HttpStatusCode.BadGateway)
        {
            Content = new ByteArrayContent([0xFF, 0xFE, 0xC3, 0x28, 0xA0, 0xA1, (byte)'{', 0xF0, 0x28, 0x8C]),
        });

        var error = await Assert.ThrowsAsync<BillingImportsApiException>(() => new DataSourcesClient(http).GetDataSourceAsync("ds_1", cancellationToken: TestContext.Token));

        Assert.Equal(ApiErrorKind.ServerError, error.Kind);
        Assert.True(error.Message.Length <= 300);
    }

    [Fact]
    public async Task Read_SuccessWithUnknownCharset_ReadAsUtf8()
    {
        using var http = StubHandler.Client(() =>
        {
            var content = new ByteArrayContent("{\"uuid\":\"ds_1\",\"name\":\"Données\",\"status\":\"idle\"}"u8.ToArray());
            content.Headers.TryAddWithoutValidation("Content-Type", "application/json; charset=utf-99");
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = content };
        });

        var source = await new DataSourcesClient(http).GetDataSourceAsync("ds_1", cancellationToken: TestContext.Token);

        Assert.Equal("Données", source.Name);
    }

    [Fact]
    public async Task Read_SuccessStreamBreaksMidBody_NetworkKind()
    {
        using var http = StubHandler.Client(() => new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = new StreamContent(new BreakingStream("{\"data\":{\"id\":\"i1\","u8.ToArray())),
        });

        var error = await Assert.ThrowsAsync<BillingImportsApiException>(() => new SubscriptionImportsClient(http).GetImportAsync("i1", TestContext.Token));

        Assert.Equal(ApiErrorKind.Network, error.Kind);
        Assert.True(error.IsTransient);
        Assert.Equal("HTTP 200 OK: the connection failed while the body was being read.", error.Message);
    }

    [Fact]
    public async Task Read_SuccessBodyBeyondTheCap_InvalidResponseStoppingAtTheCap()
    {
        foreach (var call in new Func<HttpClient, Task>[]
        {
            http => new DataSourcesClient(http).GetDataSourceAsync("ds_1", cancellationToken: TestContext.Token),
            http => new SubscriptionImportsClient(http).GetImportAsync("i1", TestContext.Token),
            http => new SubscriptionImportsClient(http).ListImportErrorsAsync("i1", cancellationToken: TestContext.Token),
        })
        {
            var stream = new CountingEndlessStream();
            using var http = StubHandler.Client(() => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(stream) });

            var error = await Assert.ThrowsAsync<BillingImportsApiException>(() => call(http));

            Assert.Equal(ApiErrorKind.InvalidResponse, error.Kind);
            Assert.Contains("larger than", error.Message, StringComparison.Ordinal);

            // Reading stops within one read buffer past the cap (HttpContent reads in chunks of at most
            // 128 KiB here); an endless body is abandoned, not buffered.
            Assert.InRange(stream.BytesRead, ClientRuntime.DefaultMaxBodySize + 1L, ClientRuntime.DefaultMaxBodySize + (256L * 1024));
        }
    }

    [Fact]
    public async Task Read_SuccessDeclaredLengthBeyondTheCap_RefusedBeforeReading()
    {
        var stream = new CountingEndlessStream();
        using var http = StubHandler.Client(() =>
        {
            var content = new StreamContent(stream);
            content.Headers.ContentLength = ClientRuntime.DefaultMaxBodySize + 1L;
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = content };
        });

        var error = await Assert.ThrowsAsync<BillingImportsApiException>(() => new SubscriptionImportsClient(http).GetImportAsync("i1", TestContext.Token));

        Assert.Equal(ApiErrorKind.InvalidResponse, error.Kind);
        Assert.Equal(0, stream.BytesRead);
    }

    [Fact]
    public async Task Read_SuccessBodyAtTheCap_Read()
    {
        // A valid document padded with white space to exactly the cap: the limit is on size, not on reading.
        const string source = """{"uuid":"ds_1","name":"n","status":"idle"}""";
        var body = source[..^1] + new string(' ', (int)ClientRuntime.DefaultMaxBodySize - source.Length) + "}";
        using var http = StubHandler.Client(() => Response(HttpStatusCode.OK, body, "application/json"));

        var read = await new DataSourcesClient(http).GetDataSourceAsync("ds_1", cancellationToken: TestContext.Token);

        Assert.Equal(ClientRuntime.DefaultMaxBodySize, Encoding.UTF8.GetByteCount(body));
        Assert.Equal("ds_1", read.Uuid);
    }

    [Fact]
    public async Task Read_ManyErrors_KeepsAtMostOneHundred()
    {
        var body = "{\"errors\":[" + string.Join(',', Enumerable.Repeat("{\"title\":\"x\"}", 1000)) + "]}";
        using var http = StubHandler.Client(() => Response(HttpStatusCode.UnprocessableEntity, body, "application/json"));

        var error = await Assert.ThrowsAsync<BillingImportsApiException>(() => new SubscriptionImportsClient(http).GetImportAsync("x", TestContext.Token));

        Assert.Equal(100, error.Errors.Count);
        Assert.Equal("HTTP 422 Unprocessable Entity: x (and 99 more).", error.Message);
    }

    [Fact]
    public async Task Read_CallerCancelsDuringBody_Cancelled()
    {
        using var cancel = new CancellationTokenSource();
        using var http = StubHandler.Client(() => new HttpResponseMessage(HttpStatusCode.InternalServerError)
        {
            Content = new StreamContent(new StallingStream(cancel)),
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new DataSourcesClient(http).GetDataSourceAsync("ds_1", cancellationToken: cancel.Token));
    }

    private static HttpResponseMessage Response(HttpStatusCode status, string body, string contentType) =>
        new(status) { Content = new StringContent(body, Encoding.UTF8, contentType) };

    /// <summary>A body that never ends.</summary>
    private sealed class EndlessStream(byte fill) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => 0; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            Array.Fill(buffer, fill, offset, count);
            return count;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    /// <summary>A body that never ends, counting what was read of it.</summary>
    private sealed class CountingEndlessStream : Stream
    {
        private long _read;

        public long BytesRead => Interlocked.Read(ref _read);

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => BytesRead; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            Array.Fill(buffer, (byte)' ', offset, count);
            Interlocked.Add(ref _read, count);
            return count;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    /// <summary>Cancels the caller's token on the first read, then waits for the cancellation.</summary>
    private sealed class StallingStream(CancellationTokenSource cancel) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => 0; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await cancel.CancelAsync();
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return 0;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
