using System.Collections.Concurrent;
using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace BillingImports.Tests.Support;

/// <summary>
/// An HTTP/1.1 server on raw sockets, bound to 127.0.0.1, that answers the way an attacker or a
/// broken proxy would: headers and bodies byte by byte under the test's control, bodies that
/// trickle, never end, break or decompress to far more than they weigh. It counts connections and
/// the bytes it managed to send, so a test can prove the client stopped reading early.
/// </summary>
internal sealed class HostileServer : IDisposable
{
    private const int MaxHeaderBytes = 64 * 1024;
    private const int MaxRequestsPerConnection = 10_000;

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentBag<TcpClient> _connections = [];
    private readonly ConcurrentQueue<HostileRequest> _requests = new();
    private readonly Func<HostileRequest, HostileResponse, Task> _handle;
    private int _open;
    private int _maxOpen;
    private int _accepted;

    public HostileServer(Func<HostileRequest, HostileResponse, Task> handle)
    {
        _handle = handle;
        _listener.Start(backlog: 1024);
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _ = AcceptAsync();
    }

    public int Port { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}/");

    /// <summary>Every request received, in order.</summary>
    public IReadOnlyList<HostileRequest> Requests => [.. _requests];

    /// <summary>Connections accepted since the start.</summary>
    public int ConnectionsAccepted => Volatile.Read(ref _accepted);

    /// <summary>The most connections that were open at the same time.</summary>
    public int MaxOpenConnections => Volatile.Read(ref _maxOpen);

    public int RequestCount(string pathPrefix) => _requests.Count(request => request.Path.StartsWith(pathPrefix, StringComparison.Ordinal));

    public void Dispose()
    {
        _stopping.Cancel();
        _listener.Stop();
        foreach (var connection in _connections)
        {
            connection.Dispose();
        }

        _stopping.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stopping.Token);
            }
            catch (Exception exception) when (exception is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _connections.Add(client);
            Interlocked.Increment(ref _accepted);
            var open = Interlocked.Increment(ref _open);
            InterlockedMax(ref _maxOpen, open);
            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        try
        {
            client.NoDelay = true;
            var stream = client.GetStream();
            for (var served = 0; served < MaxRequestsPerConnection && !_stopping.IsCancellationRequested; served++)
            {
                var request = await ReadRequestAsync(stream, _stopping.Token);
                if (request is null)
                {
                    return;
                }

                _requests.Enqueue(request);
                var response = new HostileResponse(stream, _stopping.Token);
                await _handle(request, response);
                if (!response.KeepAlive || response.ClientGone)
                {
                    return;
                }
            }
        }
        catch (Exception exception) when (exception is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // The client went away or the server is stopping; either way this connection is done.
        }
        finally
        {
            Interlocked.Decrement(ref _open);
            client.Dispose();
        }
    }

    private static async Task<HostileRequest?> ReadRequestAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var head = new List<byte>(1024);
        var one = new byte[1];
        while (head.Count < MaxHeaderBytes)
        {
            if (await stream.ReadAsync(one, cancellationToken) == 0)
            {
                return null;
            }

            head.Add(one[0]);
            if (head.Count >= 4 && head[^4] == '\r' && head[^3] == '\n' && head[^2] == '\r' && head[^1] == '\n')
            {
                break;
            }
        }

        var lines = Encoding.ASCII.GetString([.. head]).Split("\r\n");
        var start = lines[0].Split(' ');
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines.Skip(1).Where(line => line.Length > 0))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
        }

        var body = string.Empty;
        if (headers.TryGetValue("Content-Length", out var length) && int.TryParse(length, CultureInfo.InvariantCulture, out var bytes) && bytes is > 0 and < 1024 * 1024)
        {
            var buffer = new byte[bytes];
            await stream.ReadExactlyAsync(buffer, cancellationToken);
            body = Encoding.UTF8.GetString(buffer);
        }

        return new HostileRequest(start[0], start.Length > 1 ? start[1] : "/", headers, body);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        var current = Volatile.Read(ref target);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}

internal sealed record HostileRequest(string Method, string Path, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public string? Authorization => Headers.TryGetValue("Authorization", out var value) ? value : null;
}

/// <summary>Writes one response byte by byte; every write after the client hung up is a no-op that sets <see cref="ClientGone"/>.</summary>
internal sealed class HostileResponse(Stream stream, CancellationToken stopping)
{
    private long _bodyBytes;

    /// <summary>Whether the connection may serve another request after this response.</summary>
    public bool KeepAlive { get; set; }

    /// <summary>True once a write failed because the client closed the connection.</summary>
    public bool ClientGone { get; private set; }

    /// <summary>Body bytes (as written on the wire) the client accepted before it hung up.</summary>
    public long BodyBytesSent => Interlocked.Read(ref _bodyBytes);

    public static string Reason(int status) => status switch
    {
        200 => "OK",
        301 => "Moved Permanently",
        302 => "Found",
        307 => "Temporary Redirect",
        401 => "Unauthorized",
        404 => "Not Found",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Whatever",
    };

    /// <summary>A complete response with a Content-Length body; the connection stays open for the next request.</summary>
    public async Task SendAsync(int status, string body, string contentType = "application/json", params (string Name, string Value)[] headers)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        KeepAlive = true;
        await HeadAsync(status, [("Content-Type", contentType), ("Content-Length", bytes.Length.ToString(CultureInfo.InvariantCulture)), .. headers]);
        await BodyAsync(bytes);
    }

    /// <summary>The status line and headers, as given: no header is added.</summary>
    public Task HeadAsync(int status, params (string Name, string Value)[] headers)
    {
        var head = new StringBuilder();
        head.Append(CultureInfo.InvariantCulture, $"HTTP/1.1 {status} {Reason(status)}\r\n");
        foreach (var (name, value) in headers)
        {
            head.Append(CultureInfo.InvariantCulture, $"{name}: {value}\r\n");
        }

        head.Append("\r\n");
        return WriteAsync(Encoding.ASCII.GetBytes(head.ToString()), countAsBody: false);
    }

    public Task BodyAsync(ReadOnlyMemory<byte> bytes) => WriteAsync(bytes, countAsBody: true);

    /// <summary>
    /// Writes <paramref name="total"/> bytes of <paramref name="fill"/> in chunks, stopping early when
    /// the client hangs up. Returns the bytes the client accepted.
    /// </summary>
    public async Task<long> FillAsync(long total, byte fill = (byte)' ', int chunkSize = 64 * 1024)
    {
        var chunk = new byte[chunkSize];
        Array.Fill(chunk, fill);
        var sent = 0L;
        while (sent < total && !ClientGone)
        {
            var size = (int)Math.Min(chunk.Length, total - sent);
            await BodyAsync(chunk.AsMemory(0, size));
            if (!ClientGone)
            {
                sent += size;
            }
        }

        return sent;
    }

    /// <summary>One byte every <paramref name="interval"/>, at most <paramref name="maxBytes"/>, until the client hangs up.</summary>
    public async Task TrickleAsync(TimeSpan interval, int maxBytes, byte fill = (byte)' ')
    {
        for (var i = 0; i < maxBytes && !ClientGone; i++)
        {
            await BodyAsync(new[] { fill });
            try
            {
                await Task.Delay(interval, stopping);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>
    /// A chunked, gzip-encoded body: <paramref name="prefix"/>, then <paramref name="padding"/> bytes of
    /// spaces, then <paramref name="suffix"/>, compressed on the fly. Spaces compress about a
    /// thousandfold, so a few hundred kilobytes on the wire decode to hundreds of megabytes.
    /// </summary>
    public async Task GzipAsync(string prefix, long padding, string suffix)
    {
        KeepAlive = false;
        await HeadAsync(200, ("Content-Type", "application/json"), ("Content-Encoding", "gzip"), ("Transfer-Encoding", "chunked"), ("Connection", "close"));
        var chunked = new ChunkedWriter(this);
        await using (var gzip = new GZipStream(chunked, CompressionLevel.Fastest, leaveOpen: true))
        {
            await gzip.WriteAsync(Encoding.UTF8.GetBytes(prefix), stopping);
            var spaces = new byte[64 * 1024];
            Array.Fill(spaces, (byte)' ');
            for (var written = 0L; written < padding && !ClientGone; written += spaces.Length)
            {
                await gzip.WriteAsync(spaces.AsMemory(0, (int)Math.Min(spaces.Length, padding - written)), stopping);
            }

            await gzip.WriteAsync(Encoding.UTF8.GetBytes(suffix), stopping);
        }

        await WriteAsync("0\r\n\r\n"u8.ToArray(), countAsBody: false);
    }

    /// <summary>Closes the connection in the middle of whatever was being sent.</summary>
    public void Abort()
    {
        KeepAlive = false;
        stream.Dispose();
    }

    private async Task WriteAsync(ReadOnlyMemory<byte> bytes, bool countAsBody)
    {
        if (ClientGone)
        {
            return;
        }

        try
        {
            await stream.WriteAsync(bytes, stopping);
            await stream.FlushAsync(stopping);
            if (countAsBody)
            {
                Interlocked.Add(ref _bodyBytes, bytes.Length);
            }
        }
        catch (Exception exception) when (exception is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            ClientGone = true;
        }
    }

    /// <summary>HTTP/1.1 chunked framing over the response, for the gzip encoder to write into.</summary>
    private sealed class ChunkedWriter(HostileResponse response) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (buffer.Length == 0)
            {
                return;
            }

            await response.WriteAsync(Encoding.ASCII.GetBytes(buffer.Length.ToString("x", CultureInfo.InvariantCulture) + "\r\n"), countAsBody: false);
            await response.BodyAsync(buffer);
            await response.WriteAsync("\r\n"u8.ToArray(), countAsBody: false);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
