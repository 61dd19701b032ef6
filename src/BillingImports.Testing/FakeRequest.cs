namespace BillingImports.Testing;

/// <summary>One request a <see cref="FakeBillingServer"/> received, and the status it answered with.</summary>
public sealed class FakeRequest
{
    internal FakeRequest(string method, string path, string query, string? authorization, int statusCode)
    {
        Method = method;
        Path = path;
        Query = query;
        Authorization = authorization;
        StatusCode = statusCode;
    }

    /// <summary>The HTTP method, such as <c>GET</c>.</summary>
    public string Method { get; }

    /// <summary>The path, such as <c>/v1/data_sources/ds_1</c>.</summary>
    public string Path { get; }

    /// <summary>The query string without the leading <c>?</c>; empty when there was none.</summary>
    public string Query { get; }

    /// <summary>The Authorization header as sent, or null when there was none.</summary>
    public string? Authorization { get; }

    /// <summary>The status code the fake answered with.</summary>
    public int StatusCode { get; }

    /// <inheritdoc />
    public override string ToString() => $"{Method} {Path}{(Query.Length == 0 ? string.Empty : "?" + Query)} -> {StatusCode}";
}
