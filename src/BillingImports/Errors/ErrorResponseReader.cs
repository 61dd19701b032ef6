using System.Globalization;
using System.Net;

namespace BillingImports;

/// <summary>Turns a non-success HTTP response into a <see cref="BillingImportsApiException"/>.</summary>
internal static class ErrorResponseReader
{
    public static async Task ThrowIfErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        throw await CreateAsync(response, cancellationToken).ConfigureAwait(false);
    }

    public static async Task<BillingImportsApiException> CreateAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        var kind = ApiErrorKindFacts.FromStatus(status);
        var headers = new Dictionary<string, IEnumerable<string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var header in response.Headers)
        {
            headers[header.Key] = header.Value;
        }

        foreach (var header in response.Content.Headers)
        {
            headers[header.Key] = header.Value;
        }

        var reason = response.ReasonPhrase ?? ((HttpStatusCode)status).ToString();
        var exception = new BillingImportsApiException(
            string.Create(CultureInfo.InvariantCulture, $"HTTP {status} ({reason})."),
            kind,
            status)
        {
            ResponseBody = BillingImportsApiException.Cap(body.Length == 0 ? null : body),
            RequestId = ApiErrorKindFacts.FindRequestId(headers),
        };

        foreach (var header in headers)
        {
            exception.ResponseHeaders[header.Key] = header.Value;
        }

        return exception;
    }
}
