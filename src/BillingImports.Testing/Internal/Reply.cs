using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using WireMock;
using WireMock.Types;
using WireMock.Util;

namespace BillingImports.Testing.Internal;

/// <summary>Builds WireMock responses the way the real services send them.</summary>
internal static class Reply
{
    // Both services send a charset; the SDK must cope with it, so the fake sends it too.
    public const string JsonContentType = "application/json; charset=utf-8";

    public static ResponseMessage Json(int statusCode, JsonNode body, string requestId, TimeSpan? retryAfter = null) =>
        Text(statusCode, body.ToJsonString(), JsonContentType, requestId, retryAfter);

    public static ResponseMessage Text(int statusCode, string body, string contentType, string requestId, TimeSpan? retryAfter = null)
    {
        var headers = new Dictionary<string, WireMockList<string>>(StringComparer.OrdinalIgnoreCase)
        {
            ["Content-Type"] = new(contentType),
            ["X-Request-Id"] = new(requestId),
        };
        if (retryAfter is { } delay)
        {
            // Delta-seconds, the form both services use; rounded up so a client never retries early.
            headers["Retry-After"] = new(((long)Math.Ceiling(Math.Max(0, delay.TotalSeconds))).ToString(CultureInfo.InvariantCulture));
        }

        return new ResponseMessage
        {
            StatusCode = statusCode,
            Headers = headers,
            BodyData = new BodyData
            {
                DetectedBodyType = BodyType.String,
                BodyAsString = body,
                Encoding = Encoding.UTF8,
            },
        };
    }
}
