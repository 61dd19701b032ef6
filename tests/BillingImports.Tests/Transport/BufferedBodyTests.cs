using System.IO.Compression;
using System.Net;
using System.Text;
using TestContext = BillingImports.Tests.Support.TestContext;

namespace BillingImports.Tests.Transport;

/// <summary>
/// A success body read whole into a pooled buffer: the rest of the SDK reads it as any content, with
/// the headers it came with, and nothing reads it once its response is disposed.
/// </summary>
public sealed class BufferedBodyTests
{
    private const string Json = """{"uuid":"ds_1","name":"n","status":"idle"}""";

    private static HttpResponseMessage Response(HttpContent content) => new(HttpStatusCode.OK) { Content = content };

    private static ByteArrayContent JsonContent(byte[] bytes, string? coding = null)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.TryAddWithoutValidation("Content-Type", "application/json; charset=utf-8");
        content.Headers.TryAddWithoutValidation("Content-Language", "en");
        if (coding is not null)
        {
            content.Headers.TryAddWithoutValidation("Content-Encoding", coding);
        }

        return content;
    }

    private static byte[] Gzip(string text)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(Encoding.UTF8.GetBytes(text));
        }

        return buffer.ToArray();
    }

    [Fact]
    public async Task Buffered_KeepsTheBodyAndEveryContentHeader()
    {
        using var response = Response(JsonContent(Encoding.UTF8.GetBytes(Json)));

        await ResponseBodyReader.BufferSuccessBodyAsync(response, 1024, decode: true, TestContext.Token);

        var content = Assert.IsType<BufferedBodyContent>(response.Content);
        Assert.Equal(Json, Encoding.UTF8.GetString(content.Body));
        Assert.Equal(Json, await content.ReadAsStringAsync(TestContext.Token));
        Assert.Equal("application/json", content.Headers.ContentType?.MediaType);
        Assert.Equal(["en"], content.Headers.ContentLanguage);
        Assert.Equal(Json.Length, content.Headers.ContentLength);
    }

    [Fact]
    public async Task Decoded_DropsTheCodingAndTheEncodedLengthButKeepsTheOtherHeaders()
    {
        var encoded = Gzip(Json);
        var original = JsonContent(encoded, "gzip");
        original.Headers.ContentLength = encoded.Length;
        using var response = Response(original);

        await ResponseBodyReader.BufferSuccessBodyAsync(response, 1024, decode: true, TestContext.Token);

        var content = Assert.IsType<BufferedBodyContent>(response.Content);
        Assert.Equal(Json, Encoding.UTF8.GetString(content.Body));
        Assert.Empty(content.Headers.ContentEncoding);
        Assert.Equal(Json.Length, content.Headers.ContentLength);
        Assert.Equal(["en"], content.Headers.ContentLanguage);
    }

    [Fact]
    public async Task NotDecoding_LeavesACompressedBodyAsItCame()
    {
        var encoded = Gzip(Json);
        using var response = Response(JsonContent(encoded, "gzip"));

        await ResponseBodyReader.BufferSuccessBodyAsync(response, 1024, decode: false, TestContext.Token);

        var content = Assert.IsType<BufferedBodyContent>(response.Content);
        Assert.Equal(encoded, content.Body.ToArray());
        Assert.Equal(["gzip"], content.Headers.ContentEncoding);
    }

    [Fact]
    public async Task Disposed_NothingReadsTheBufferAnyMore()
    {
        var response = Response(JsonContent(Encoding.UTF8.GetBytes(Json)));
        await ResponseBodyReader.BufferSuccessBodyAsync(response, 1024, decode: true, TestContext.Token);
        var content = Assert.IsType<BufferedBodyContent>(response.Content);
        var stream = content.ReadAsStream(TestContext.Token);

        response.Dispose();

        Assert.Throws<ObjectDisposedException>(() => content.Body.Length);
        Assert.Throws<ObjectDisposedException>(() => stream.ReadByte());
        await Assert.ThrowsAsync<ObjectDisposedException>(() => content.ReadAsStringAsync(TestContext.Token));

        // A second dispose gives nothing back twice.
        content.Dispose();
    }

    [Fact]
    public async Task AlreadyBuffered_IsNotReadAgain()
    {
        using var response = Response(JsonContent(Encoding.UTF8.GetBytes(Json)));
        await ResponseBodyReader.BufferSuccessBodyAsync(response, 1024, decode: true, TestContext.Token);
        var first = response.Content;

        // A smaller cap than the body: a second read would refuse it.
        await ResponseBodyReader.BufferSuccessBodyAsync(response, 1, decode: true, TestContext.Token);

        Assert.Same(first, response.Content);
    }

    [Fact]
    public async Task StreamOverTheBuffer_CannotReachThePooledArray()
    {
        using var response = Response(JsonContent(Encoding.UTF8.GetBytes(Json)));
        await ResponseBodyReader.BufferSuccessBodyAsync(response, 1024, decode: true, TestContext.Token);

        var stream = Assert.IsType<MemoryStream>(await response.Content.ReadAsStreamAsync(TestContext.Token));

        Assert.False(stream.CanWrite);
        Assert.False(stream.TryGetBuffer(out _));
    }

    [Fact]
    public async Task BodyLargerThanItsFirstBuffer_IsReadWhole()
    {
        // No declared length and a coding: the buffer starts small and grows.
        var large = "[" + string.Join(',', Enumerable.Repeat("\"" + new string('x', 100) + "\"", 2_000)) + "]";
        using var response = Response(JsonContent(Gzip(large), "gzip"));

        await ResponseBodyReader.BufferSuccessBodyAsync(response, 1024 * 1024, decode: true, TestContext.Token);

        Assert.Equal(large, Encoding.UTF8.GetString(Assert.IsType<BufferedBodyContent>(response.Content).Body));
    }
}
