using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace BillingImports;

/// <summary>
/// Builds the one-sentence exception message and keeps secrets out of it: text from a body is
/// cleaned (no control characters, no line breaks), shortened, and anything that looks like a
/// credential is replaced. Header values never reach the message at all.
/// </summary>
internal static partial class ErrorText
{
    /// <summary>The longest message an exception carries.</summary>
    public const int MaxMessageLength = 300;

    private const string Redacted = "[redacted]";

    private static readonly Dictionary<int, string> ReasonPhrases = new()
    {
        [200] = "OK", [201] = "Created", [202] = "Accepted", [204] = "No Content",
        [301] = "Moved Permanently", [302] = "Found", [304] = "Not Modified", [307] = "Temporary Redirect", [308] = "Permanent Redirect",
        [400] = "Bad Request", [401] = "Unauthorized", [402] = "Payment Required", [403] = "Forbidden", [404] = "Not Found",
        [405] = "Method Not Allowed", [406] = "Not Acceptable", [408] = "Request Timeout", [409] = "Conflict", [410] = "Gone",
        [411] = "Length Required", [412] = "Precondition Failed", [413] = "Content Too Large", [414] = "URI Too Long",
        [415] = "Unsupported Media Type", [422] = "Unprocessable Entity", [423] = "Locked", [425] = "Too Early",
        [428] = "Precondition Required", [429] = "Too Many Requests", [431] = "Request Header Fields Too Large",
        [500] = "Internal Server Error", [501] = "Not Implemented", [502] = "Bad Gateway", [503] = "Service Unavailable",
        [504] = "Gateway Timeout", [505] = "HTTP Version Not Supported",
    };

    // Header names whose values are credentials or session state; kept off the exception's headers.
    private static readonly string[] SensitiveHeaderParts = ["cookie", "authorization", "token", "secret", "password", "api-key", "apikey", "api_key", "credential", "session"];

    /// <summary>The standard reason phrase, else the server's if it is short plain text, else null.</summary>
    public static string? ReasonPhrase(int status, string? serverPhrase)
    {
        if (ReasonPhrases.TryGetValue(status, out var phrase))
        {
            return phrase;
        }

        var cleaned = Clean(serverPhrase, 40);
        return cleaned.Length == 0 ? null : Redact(cleaned);
    }

    /// <summary>"HTTP 404 Not Found" or "HTTP 599".</summary>
    public static string StatusLine(int status, string? reason) =>
        reason is null
            ? string.Create(CultureInfo.InvariantCulture, $"HTTP {status}")
            : string.Create(CultureInfo.InvariantCulture, $"HTTP {status} {reason}");

    /// <summary>Composes the exception message for an error response.</summary>
    public static string Compose(int status, string? reason, ParsedErrorBody body)
    {
        var prefix = StatusLine(status, reason);
        var text = body.Kind switch
        {
            ErrorBodyKind.Json => Describe(body, reason),
            ErrorBodyKind.MalformedJson => "the body is not valid JSON",
            ErrorBodyKind.Html => body.Summary is { } title ? $"an HTML page titled \"{title}\"" : "an HTML page",
            ErrorBodyKind.Text => body.Summary,
            _ => null,
        };

        return Sentence(prefix, text, reason, status);
    }

    /// <summary>"prefix: text." with the text cleaned, redacted and the whole capped; "prefix." when the text adds nothing.</summary>
    public static string Sentence(string prefix, string? text, string? reason = null, int status = 0)
    {
        var cleaned = Redact(Clean(text, MaxMessageLength));
        if (cleaned.Length == 0 || SaysNothingNew(cleaned, reason, status))
        {
            return prefix + ".";
        }

        var sentence = prefix + ": " + cleaned;
        if (sentence[^1] is not ('.' or '!' or '?'))
        {
            sentence += ".";
        }

        return Cap(sentence, MaxMessageLength);
    }

    /// <summary>Removes control characters, folds whitespace runs to one space, trims and caps.</summary>
    public static string Clean(string? text, int maxLength)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        var builder = new StringBuilder(Math.Min(text.Length, maxLength + 1));
        var space = false;
        foreach (var c in text)
        {
            if (builder.Length > maxLength)
            {
                break;
            }

            if (char.IsWhiteSpace(c) || char.IsControl(c))
            {
                space = builder.Length > 0;
                continue;
            }

            // Invisible format characters (zero-width, bidi overrides) can make a log line lie about its content.
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.Format)
            {
                continue;
            }

            if (space)
            {
                builder.Append(' ');
                space = false;
            }

            builder.Append(c);
        }

        return Cap(builder.ToString(), maxLength);
    }

    /// <summary>Cuts <paramref name="text"/> to <paramref name="maxLength"/> characters, ending with an ellipsis when cut.</summary>
    public static string Cap(string text, int maxLength)
    {
        if (text.Length <= maxLength)
        {
            return text;
        }

        var cut = maxLength - 1;

        // Never split a surrogate pair: half of one is not valid text.
        if (char.IsHighSurrogate(text[cut - 1]))
        {
            cut--;
        }

        return text[..cut] + "…";
    }

    /// <summary>Replaces anything that looks like a credential (bearer/basic values, JWTs, key=value secrets).</summary>
    public static string Redact(string text)
    {
        if (text.Length == 0)
        {
            return text;
        }

        try
        {
            text = SchemeCredential().Replace(text, "$1 " + Redacted);
            text = Jwt().Replace(text, Redacted);
            return NamedSecret().Replace(text, "$1$2" + Redacted);
        }
        catch (RegexMatchTimeoutException)
        {
            // Text that defeats the patterns in time is dropped, not shown unredacted.
            return Redacted;
        }
    }

    /// <summary>True for a header whose value must not be kept (cookies, credentials, tokens).</summary>
    public static bool IsSensitiveHeader(string name)
    {
        foreach (var part in SensitiveHeaderParts)
        {
            if (name.Contains(part, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Copies headers, replacing the values of sensitive ones with a marker.</summary>
    public static void CopyHeaders(IEnumerable<KeyValuePair<string, IEnumerable<string>>> from, IDictionary<string, IEnumerable<string>> to)
    {
        foreach (var (name, values) in from)
        {
            to[name] = IsSensitiveHeader(name) ? [Redacted] : values.ToArray();
        }
    }

    private static string? Describe(ParsedErrorBody body, string? reason)
    {
        var first = body.Errors.Count > 0 ? body.Errors[0] : null;
        var headline = body.Summary ?? first?.Title;
        var detail = first?.Detail;
        if (body.Summary is not null && first?.Title is { } title && !Same(title, body.Summary))
        {
            detail ??= title;
        }

        // JSON:API titles repeat the reason phrase ("Bad Request"); the status line already says it.
        if (headline is not null && reason is not null && Same(headline, reason))
        {
            headline = null;
        }

        if (detail is not null && headline is not null && Same(detail, headline))
        {
            detail = null;
        }

        var text = (headline, detail) switch
        {
            (null, null) => null,
            (null, { } d) => d,
            ({ } h, null) => h,
            ({ } h, { } d) => $"{h.TrimEnd('.', ' ')}: {d}",
        };

        if (text is not null && first?.Field is { Length: > 0 } field && !text.Contains(field, StringComparison.OrdinalIgnoreCase))
        {
            text = $"{text.TrimEnd('.', ' ')} ({field})";
        }

        if (text is not null && body.Errors.Count > 1)
        {
            text = string.Create(CultureInfo.InvariantCulture, $"{text.TrimEnd('.', ' ')} (and {body.Errors.Count - 1} more)");
        }

        return text;
    }

    private static bool SaysNothingNew(string text, string? reason, int status)
    {
        var bare = text.TrimEnd('.', ' ');
        if (reason is null)
        {
            return false;
        }

        return Same(bare, reason) || Same(bare, string.Create(CultureInfo.InvariantCulture, $"{status} {reason}"));
    }

    private static bool Same(string left, string right) =>
        string.Equals(left.Trim().TrimEnd('.'), right.Trim().TrimEnd('.'), StringComparison.OrdinalIgnoreCase);

    // A credential after an auth scheme: 8+ token characters with a digit or base64 punctuation, or
    // 20+ of any; plain words ("Basic authentication is required") stay readable.
    [GeneratedRegex(@"\b(bearer|basic|token|digest)\s+(?:(?=[A-Za-z0-9\-._~+/]*[0-9+/])[A-Za-z0-9\-._~+/]{8,}|[A-Za-z0-9\-._~+/]{20,})=*", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 200)]
    private static partial Regex SchemeCredential();

    [GeneratedRegex(@"\beyJ[A-Za-z0-9_\-]{5,}\.[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]*", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 200)]
    private static partial Regex Jwt();

    [GeneratedRegex(@"\b(api[_\-]?key|client[_\-]?secret|access[_\-]?token|refresh[_\-]?token|id[_\-]?token|password|passwd|secret|authorization|credentials?)(""?\s*[:=]\s*""?)[^\s""',;&}]+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 200)]
    private static partial Regex NamedSecret();
}
