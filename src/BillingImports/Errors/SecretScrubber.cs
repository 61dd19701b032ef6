using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace BillingImports;

/// <summary>
/// The exact values of one client's secrets (the API key and its Basic form, the client secret and
/// its form-encoded forms, the last few access tokens obtained), replaced by <c>[redacted]</c>
/// wherever a server echoes them: response bodies and header values before the SDK reads them,
/// exception messages and <c>ToString()</c>. The pattern-based redaction in <see cref="ErrorText"/>
/// needs a <c>key=</c> or a scheme before a value; this needs nothing around it.
/// </summary>
/// <remarks>
/// Values shorter than <see cref="MinLength"/> characters are not scrubbed: they would match ordinary
/// words and could not be told from them.
/// </remarks>
internal sealed class SecretScrubber
{
    /// <summary>Where the pipeline leaves the scrubber on each request, for the error reader to find on the response.</summary>
    public static readonly HttpRequestOptionsKey<SecretScrubber> Key = new("BillingImports.Secrets");

    public const int MinLength = 8;

    /// <summary>How many obtained tokens are remembered; older ones have expired long before.</summary>
    public const int MaxTokens = 4;

    private const string Marker = "[redacted]";

    private readonly Secret[] _fixed;
    private readonly Queue<Secret> _tokens = new();
    private readonly Lock _gate = new();
    private Secret[] _all;

    private SecretScrubber(params ReadOnlySpan<string?> secrets)
    {
        var known = new List<Secret>(secrets.Length);
        foreach (var text in secrets)
        {
            if (Secret.Of(text) is { } secret)
            {
                known.Add(secret);
            }
        }

        _fixed = Normalise(known);
        _all = _fixed;
    }

    /// <summary>The API key and its Basic credential (<see cref="BasicCredential.Encode"/>), which the pipeline encodes once for both.</summary>
    public static SecretScrubber ForChartMogul(string apiKey, string credential) =>
        new([apiKey, credential]);

    /// <summary>The client secret as given and as the token request's form body encodes it.</summary>
    public static SecretScrubber ForElasticPath(string clientSecret) =>
        new([clientSecret, Uri.EscapeDataString(clientSecret), WebUtility.UrlEncode(clientSecret)]);

    /// <summary>The scrubber the SDK's pipeline attached to the request behind this response, if any.</summary>
    public static SecretScrubber? Of(HttpResponseMessage response) =>
        response.RequestMessage?.Options.TryGetValue(Key, out var scrubber) == true ? scrubber : null;

    /// <summary>Remembers an access token just obtained, forgetting the oldest beyond <see cref="MaxTokens"/>.</summary>
    public void AddToken(string token)
    {
        if (Secret.Of(token) is not { } secret)
        {
            return;
        }

        lock (_gate)
        {
            if (_tokens.Any(known => known.Text == token))
            {
                return;
            }

            _tokens.Enqueue(secret);
            if (_tokens.Count > MaxTokens)
            {
                _tokens.Dequeue();
            }

            Volatile.Write(ref _all, Normalise([.. _fixed, .. _tokens]));
        }
    }

    public string Scrub(string text)
    {
        foreach (var secret in Volatile.Read(ref _all))
        {
            if (text.Contains(secret.Text, StringComparison.Ordinal))
            {
                text = text.Replace(secret.Text, Marker, StringComparison.Ordinal);
            }
        }

        return text;
    }

    public string? ScrubOrNull(string? text) => text is null ? null : Scrub(text);

    /// <summary>
    /// Scrubs text cut at a length limit: besides whole secrets, a cut-off start of one at the very
    /// end goes too, since most of a key is as good as the key.
    /// </summary>
    public string ScrubTruncated(string text)
    {
        text = Scrub(text);
        foreach (var secret in Volatile.Read(ref _all))
        {
            for (var length = Math.Min(secret.Text.Length - 1, text.Length); length >= MinLength; length--)
            {
                if (text.AsSpan(text.Length - length).SequenceEqual(secret.Text.AsSpan(0, length)))
                {
                    return text[..^length] + Marker;
                }
            }
        }

        return text;
    }

    public bool Contains(ReadOnlySpan<byte> utf8)
    {
        foreach (var secret in Volatile.Read(ref _all))
        {
            if (utf8.IndexOf(secret.Utf8) >= 0)
            {
                return true;
            }
        }

        return false;
    }

    public byte[] Scrub(ReadOnlySpan<byte> utf8)
    {
        var result = utf8.ToArray();
        foreach (var secret in Volatile.Read(ref _all))
        {
            result = Replace(result, secret.Utf8);
        }

        return result;
    }

    public ApiError Scrub(ApiError error) => error with
    {
        Code = ScrubOrNull(error.Code),
        Title = ScrubOrNull(error.Title),
        Detail = ScrubOrNull(error.Detail),
        Field = ScrubOrNull(error.Field),
        MissingIds = [.. error.MissingIds.Select(Scrub)],
    };

    /// <summary>Replaces the values of headers that carry a secret; headers without one are left as they are.</summary>
    public void ScrubHeaders(HttpHeaders headers)
    {
        List<string>? tainted = null;
        foreach (var (name, values) in headers.NonValidated)
        {
            foreach (var value in values)
            {
                if (Contains(value))
                {
                    (tainted ??= []).Add(name);
                    break;
                }
            }
        }

        if (tainted is null)
        {
            // The common case, on every response: no list (an empty one would be allocated each time).
            return;
        }

        foreach (var name in tainted)
        {
            var scrubbed = headers.NonValidated[name].Select(Scrub).ToArray();
            headers.Remove(name);
            headers.TryAddWithoutValidation(name, scrubbed);
        }
    }

    /// <summary>An exception to keep as an inner exception: the same one when its text holds no secret, else a stand-in without it.</summary>
    public Exception Sanitize(Exception exception)
    {
        var text = exception.ToString();
        return Scrub(text) == text ? exception : new HttpRequestException(Scrub(exception.Message));
    }

    private bool Contains(string text)
    {
        foreach (var secret in Volatile.Read(ref _all))
        {
            if (text.Contains(secret.Text, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Each value once, longest first, so an encoded form that contains the plain value is replaced
    /// whole; equal lengths keep their order. Plain loops over a handful of values: every client
    /// makes a scrubber on its way to its first call, where LINQ or lambdas would be code to compile.
    /// </summary>
    private static Secret[] Normalise(List<Secret> secrets)
    {
        var sorted = new List<Secret>(secrets.Count);
        foreach (var secret in secrets)
        {
            var duplicate = false;
            var at = -1;
            for (var i = 0; i < sorted.Count && !duplicate; i++)
            {
                duplicate = sorted[i].Text == secret.Text;
                if (at < 0 && sorted[i].Text.Length < secret.Text.Length)
                {
                    at = i;
                }
            }

            if (!duplicate)
            {
                sorted.Insert(at < 0 ? sorted.Count : at, secret);
            }
        }

        return [.. sorted];
    }

    private static byte[] Replace(byte[] text, byte[] secret)
    {
        var at = text.AsSpan().IndexOf(secret);
        if (at < 0)
        {
            return text;
        }

        var marker = Encoding.UTF8.GetBytes(Marker);
        var result = new List<byte>(text.Length);
        var rest = text.AsSpan();
        while (at >= 0)
        {
            result.AddRange(rest[..at]);
            result.AddRange(marker);
            rest = rest[(at + secret.Length)..];
            at = rest.IndexOf(secret);
        }

        result.AddRange(rest);
        return [.. result];
    }

    private sealed record Secret(string Text, byte[] Utf8)
    {
        public static Secret? Of(string? text) =>
            text is { Length: >= MinLength } ? new Secret(text, Encoding.UTF8.GetBytes(text)) : null;

        // A record prints its members; these are secrets.
        public override string ToString() => nameof(Secret);
    }
}
