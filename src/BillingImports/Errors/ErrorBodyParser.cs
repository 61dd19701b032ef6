using System.Net;
using System.Text.Json;

namespace BillingImports;

/// <summary>What kind of body an error response carried.</summary>
internal enum ErrorBodyKind
{
    /// <summary>No body, or only whitespace.</summary>
    Empty,

    /// <summary>A JSON document.</summary>
    Json,

    /// <summary>Something that starts like JSON but does not parse (truncated, too deep, broken).</summary>
    MalformedJson,

    /// <summary>An HTML (or other markup) page.</summary>
    Html,

    /// <summary>Plain text.</summary>
    Text,
}

/// <summary>An error body, read as far as it could be.</summary>
internal sealed record ParsedErrorBody(ErrorBodyKind Kind, IReadOnlyList<ApiError> Errors, string? Summary, string? RequestId)
{
    public static ParsedErrorBody Empty { get; } = new(ErrorBodyKind.Empty, [], null, null);
}

/// <summary>
/// Reads every error body shape the two services send (see the field notes): JSON:API
/// <c>errors[]</c>; ChartMogul <c>{code,message,param}</c>, <c>{error}</c>, <c>{errors:{field:msg}}</c>,
/// <c>{error,error_details[]}</c> and field arrays at the top level; and non-JSON bodies (text, HTML,
/// JSON sent as HTML and the reverse). The content type is only a hint: the body is sniffed,
/// because both services send bodies whose content type is wrong or missing.
/// </summary>
internal static class ErrorBodyParser
{
    /// <summary>The most errors kept from one body; enough for any real reply, bounded for a hostile one.</summary>
    public const int MaxErrors = 100;

    private const int MaxDepth = 32;
    private const int MaxSnippet = 200;

    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        // Far below the 64 default: no real error body nests deeper than 4, and a deep one is an attack or a bug.
        MaxDepth = MaxDepth,
        AllowTrailingCommas = true,
        CommentHandling = JsonCommentHandling.Skip,
    };

    // Members of an error object that have typed properties on ApiError; the rest go to ApiError.Extra.
    private static readonly HashSet<string> TypedMembers = new(StringComparer.Ordinal)
    {
        "status", "code", "title", "detail", "message", "param", "error", "error_description",
    };

    // Top-level members that are part of a known shape, so never read as a field name.
    private static readonly HashSet<string> KnownTopLevel = new(StringComparer.Ordinal)
    {
        "errors", "error", "error_details", "error_description", "message", "code", "param", "status",
        "title", "detail", "request_id", "meta", "source", "type", "instance", "links", "jsonapi",
    };

    /// <summary>Reads a body; never throws.</summary>
    public static ParsedErrorBody Parse(string? body, string? mediaType)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return ParsedErrorBody.Empty;
        }

        try
        {
            return ParseCore(body, mediaType);
        }
#pragma warning disable CA1031 // The body is untrusted input: a bug in reading one shape must cost the caller the parsed details, never the HTTP error itself.
        catch (Exception exception) when (exception is not OutOfMemoryException)
#pragma warning restore CA1031
        {
            return new ParsedErrorBody(ErrorBodyKind.Text, [], null, null);
        }
    }

    /// <summary>
    /// Reads a JSON:API status: <c>404</c>, <c>404.0</c>, <c>"404"</c> or <c>"404 Not Found"</c>; null
    /// for anything that is not a status between 100 and 599.
    /// </summary>
    public static int? ReadStatus(JsonElement status)
    {
        if (status.ValueKind == JsonValueKind.Number)
        {
            return JsonValues.TryGetWholeNumber(status, out var number) && number is >= 100 and <= 599 ? (int)number : null;
        }

        if (status.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        var text = status.GetString().AsSpan().Trim();
        var digits = 0;
        while (digits < text.Length && char.IsAsciiDigit(text[digits]))
        {
            digits++;
        }

        if (digits != 3 || (text.Length > 3 && char.IsAsciiLetter(text[3])))
        {
            return null;
        }

        var value = ((text[0] - '0') * 100) + ((text[1] - '0') * 10) + (text[2] - '0');
        return value is >= 100 and <= 599 ? value : null;
    }

    /// <summary>The text of the HTML <c>title</c> element, decoded and trimmed; null when there is none.</summary>
    public static string? HtmlTitle(string html)
    {
        var open = html.IndexOf("<title", StringComparison.OrdinalIgnoreCase);
        if (open < 0)
        {
            return null;
        }

        var start = html.IndexOf('>', open);
        if (start < 0)
        {
            return null;
        }

        var end = html.IndexOf("</title", start, StringComparison.OrdinalIgnoreCase);
        if (end < 0)
        {
            return null;
        }

        var title = ErrorText.Clean(WebUtility.HtmlDecode(html[(start + 1)..end]), MaxSnippet);
        return title.Length == 0 ? null : title;
    }

    private static ParsedErrorBody ParseCore(string body, string? mediaType)
    {
        var start = body.AsSpan().TrimStart();
        var first = start[0];
        var saysHtml = mediaType?.Contains("html", StringComparison.OrdinalIgnoreCase) == true;
        if (first is '{' or '[' or '"')
        {
            // Sniffed first: JSON arrives labelled text/html and text/plain in practice.
            if (TryParseJson(body, out var parsed))
            {
                return parsed;
            }

            return saysHtml || start.Contains("<html", StringComparison.OrdinalIgnoreCase)
                ? Html(body)
                : new ParsedErrorBody(ErrorBodyKind.MalformedJson, [], null, null);
        }

        if (first == '<' || saysHtml)
        {
            return Html(body);
        }

        return new ParsedErrorBody(ErrorBodyKind.Text, [], FirstLine(body), null);
    }

    private static ParsedErrorBody Html(string body) => new(ErrorBodyKind.Html, [], HtmlTitle(body), null);

    private static string? FirstLine(string body)
    {
        foreach (var line in body.AsSpan().EnumerateLines())
        {
            var trimmed = line.Trim();
            if (!trimmed.IsEmpty)
            {
                return ErrorText.Clean(trimmed.ToString(), MaxSnippet);
            }
        }

        return null;
    }

    private static bool TryParseJson(string body, out ParsedErrorBody parsed)
    {
        parsed = ParsedErrorBody.Empty;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, DocumentOptions);
        }
        catch (JsonException)
        {
            return false;
        }

        using (document)
        {
            var errors = new List<ApiError>();
            string? summary = null;
            string? requestId = null;
            var root = document.RootElement;
            switch (root.ValueKind)
            {
                case JsonValueKind.Array:
                    AddErrorArray(root, errors);
                    break;
                case JsonValueKind.String:
                    summary = root.GetString();
                    break;
                case JsonValueKind.Object:
                    ReadObject(root, errors, out summary, out requestId);
                    break;
                default:
                    // A bare number, boolean or null says nothing.
                    break;
            }

            requestId ??= errors.Select(error => error.Extra.TryGetValue("request_id", out var id) ? JsonValues.GetText(id) : null)
                .FirstOrDefault(id => !string.IsNullOrWhiteSpace(id));
            parsed = new ParsedErrorBody(ErrorBodyKind.Json, errors, string.IsNullOrWhiteSpace(summary) ? null : summary, requestId);
            return true;
        }
    }

    private static void ReadObject(JsonElement root, List<ApiError> errors, out string? summary, out string? requestId)
    {
        requestId = JsonValues.GetMemberText(root, "request_id");

        if (root.TryGetProperty("errors", out var list))
        {
            switch (list.ValueKind)
            {
                case JsonValueKind.Array:
                    // JSON:API errors[], or ChartMogul's array of messages.
                    AddErrorArray(list, errors);
                    break;
                case JsonValueKind.Object:
                    // ChartMogul {errors:{field:msg}}.
                    foreach (var field in list.EnumerateObject())
                    {
                        AddFieldErrors(field.Name, field.Value, errors);
                    }

                    break;
                case JsonValueKind.String:
                    Add(errors, new ApiError(null, null, list.GetString(), null, null));
                    break;
                default:
                    break;
            }
        }

        if (root.TryGetProperty("error_details", out var details) && details.ValueKind == JsonValueKind.Array)
        {
            // ChartMogul {error, error_details[{param, code, message}]}.
            AddErrorArray(details, errors);
        }

        foreach (var member in root.EnumerateObject())
        {
            // ChartMogul field arrays at the top level: {"name":["has already been taken"]}; fields the
            // error_details already described are not repeated.
            if (!KnownTopLevel.Contains(member.Name) && IsMessageArray(member.Value) && !errors.Any(error => error.Field == member.Name))
            {
                AddFieldErrors(member.Name, member.Value, errors);
            }
        }

        summary = null;
        ApiError? rootError = null;
        if (root.TryGetProperty("error", out var error))
        {
            if (error.ValueKind == JsonValueKind.Object)
            {
                // {"error":{"code":...,"message":...}}, used by gateways in front of both services.
                rootError = FromErrorObject(error);
                summary = rootError.Title ?? rootError.Detail;
            }
            else
            {
                summary = JsonValues.GetText(error);
            }
        }

        // ChartMogul {code,message,param}, problem+json {title,detail,status} and OAuth {error,error_description}.
        var rootTitled = root.TryGetProperty("title", out _) || root.TryGetProperty("detail", out _) || root.TryGetProperty("message", out _);
        if (rootTitled || root.TryGetProperty("error_description", out _))
        {
            var fromRoot = FromErrorObject(root);
            summary ??= fromRoot.Title;
            if (rootError is null && (summary is not null || fromRoot.Detail is not null))
            {
                rootError = fromRoot with { Title = summary ?? fromRoot.Title };
            }
        }

        if (errors.Count == 0)
        {
            if (rootError is not null)
            {
                Add(errors, rootError);
            }
            else if (summary is not null)
            {
                Add(errors, new ApiError(null, null, summary, null, null));
            }
        }
    }

    private static void AddErrorArray(JsonElement array, List<ApiError> errors)
    {
        foreach (var item in array.EnumerateArray())
        {
            switch (item.ValueKind)
            {
                case JsonValueKind.Object:
                    Add(errors, FromErrorObject(item));
                    break;
                case JsonValueKind.String:
                    Add(errors, new ApiError(null, null, item.GetString(), null, null));
                    break;
                default:
                    break;
            }
        }
    }

    private static void AddFieldErrors(string field, JsonElement value, List<ApiError> errors)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Array:
                foreach (var item in value.EnumerateArray())
                {
                    if (item.ValueKind == JsonValueKind.Object)
                    {
                        var fromObject = FromErrorObject(item);
                        Add(errors, fromObject with { Field = fromObject.Field ?? field });
                    }
                    else if (JsonValues.GetText(item) is { } message)
                    {
                        Add(errors, new ApiError(null, null, message, null, field));
                    }
                }

                break;
            case JsonValueKind.Object:
                var error = FromErrorObject(value);
                Add(errors, error with { Field = error.Field ?? field });
                break;
            default:
                if (JsonValues.GetText(value) is { } text)
                {
                    Add(errors, new ApiError(null, null, text, null, field));
                }

                break;
        }
    }

    private static ApiError FromErrorObject(JsonElement item)
    {
        int? status = null;
        if (item.TryGetProperty("status", out var statusElement))
        {
            status = ReadStatus(statusElement);
        }

        string? code = JsonValues.GetMemberText(item, "code");
        if (status is null && item.TryGetProperty("code", out var codeElement) && codeElement.ValueKind == JsonValueKind.Number)
        {
            // ChartMogul {code:401,message,param}: a numeric code is the HTTP status.
            status = ReadStatus(codeElement);
        }

        var title = JsonValues.GetMemberText(item, "title") ?? JsonValues.GetMemberText(item, "message") ?? JsonValues.GetMemberText(item, "error");
        var detail = JsonValues.GetMemberText(item, "detail") ?? JsonValues.GetMemberText(item, "error_description");
        var field = JsonValues.GetMemberText(item, "param") ?? SourceField(item);

        IReadOnlyList<string> missingIds = [];
        if (JsonValues.TryGetMember(item, "meta", out var meta) && JsonValues.TryGetMember(meta, "missing_ids", out var ids) && ids.ValueKind == JsonValueKind.Array)
        {
            missingIds = [.. ids.EnumerateArray().Select(JsonValues.GetText).OfType<string>()];
        }

        Dictionary<string, JsonElement>? extra = null;
        foreach (var member in item.EnumerateObject())
        {
            if (!TypedMembers.Contains(member.Name))
            {
                extra ??= new Dictionary<string, JsonElement>(StringComparer.Ordinal);

                // Cloned: the document is disposed when parsing ends.
                extra[member.Name] = member.Value.Clone();
            }
        }

        var apiError = new ApiError(status, code, title, detail, field) { MissingIds = missingIds };
        return extra is null ? apiError : apiError with { Extra = extra };
    }

    private static string? SourceField(JsonElement item)
    {
        if (!JsonValues.TryGetMember(item, "source", out var source) || source.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        if (JsonValues.GetMemberText(source, "parameter") is { Length: > 0 } parameter)
        {
            return parameter;
        }

        // A JSON pointer such as /data/attributes/name names the field in its last segment.
        if (JsonValues.GetMemberText(source, "pointer") is { Length: > 0 } pointer)
        {
            var last = pointer.TrimEnd('/');
            var slash = last.LastIndexOf('/');
            last = slash >= 0 ? last[(slash + 1)..] : last;
            return last.Length == 0 ? pointer : last.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
        }

        return JsonValues.GetMemberText(source, "header");
    }

    private static bool IsMessageArray(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() == 0)
        {
            return false;
        }

        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
            {
                return false;
            }
        }

        return true;
    }

    private static void Add(List<ApiError> errors, ApiError error)
    {
        if (errors.Count < MaxErrors)
        {
            errors.Add(error);
        }
    }
}
