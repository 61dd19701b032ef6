using System.Net;
using System.Text;

namespace BillingImports.Tests.Errors;

/// <summary>The message and ToString stay one short sentence and never carry a secret.</summary>
public sealed class ErrorMessageSafetyTests(ApiServer server) : IClassFixture<ApiServer>
{
    private const string ApiKey = "fake-live-key-9f8e7d6c5b4a3928";
    private const string Token = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U";

    [Fact]
    public async Task Message_LongDetail_CappedAt300CharactersOnOneLine()
    {
        var detail = string.Concat(Enumerable.Repeat("row failed validation;\r\n ", 200));
        var error = await server.ImportFailsAsync(422, $$"""{"errors":[{"status":422,"title":"Invalid CSV","detail":"{{detail.Replace("\r\n", "\\r\\n", StringComparison.Ordinal)}}"}]}""");

        Assert.True(error.Message.Length <= 300, error.Message.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.EndsWith("…", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
        Assert.DoesNotContain('\r', error.Message);
        Assert.Equal(detail, error.Errors[0].Detail);
    }

    [Fact]
    public async Task Message_HugeHtmlPage_ShortSentenceWithoutMarkup()
    {
        var page = "<html><head><title>Oops</title></head><body>" + string.Concat(Enumerable.Repeat("<div class=\"x\">lorem ipsum</div>", 5000)) + "</body></html>";
        var error = await server.DataSourceFailsAsync(500, page, "text/html");

        Assert.Equal("HTTP 500 Internal Server Error: an HTML page titled \"Oops\".", error.Message);
        Assert.Equal(BillingImportsApiException.MaxResponseBodyLength, error.ResponseBody!.Length);
    }

    [Fact]
    public async Task Message_BodyEchoesCredentials_Redacted()
    {
        var error = await server.DataSourceFailsAsync(
            401,
            $$"""{"code":401,"message":"Rejected Authorization: Basic {{Convert.ToBase64String(Encoding.UTF8.GetBytes(ApiKey + ":"))}} with api_key={{ApiKey}} and Bearer {{Token}}","param":null}""");

        Assert.DoesNotContain(ApiKey, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes(ApiKey + ":")), error.Message, StringComparison.Ordinal);
        Assert.Contains("[redacted]", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(ApiKey, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ToString_HasKindStatusAndRequestIdButNoHeaderSecretsOrBody()
    {
        var body = $$"""{"errors":[{"status":401,"title":"Unauthorized","detail":"token expired","internal":"{{ApiKey}}"}]}""";
        var error = await server.ImportFailsAsync(
            401,
            body,
            "application/json",
            ("X-Request-Id", "req-123"),
            ("Set-Cookie", "session=" + ApiKey + "; HttpOnly"),
            ("X-Auth-Token", Token),
            ("WWW-Authenticate", "Bearer realm=\"api\""));

        var text = error.ToString();
        Assert.Contains("Kind: Unauthorized", text, StringComparison.Ordinal);
        Assert.Contains("HTTP status: 401", text, StringComparison.Ordinal);
        Assert.Contains("request id: req-123", text, StringComparison.Ordinal);
        Assert.DoesNotContain(ApiKey, text, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, text, StringComparison.Ordinal);
        Assert.DoesNotContain("internal", text, StringComparison.Ordinal);
        Assert.DoesNotContain("realm", error.Message, StringComparison.Ordinal);

        // The headers are kept for callers, with credentials and cookies replaced.
        Assert.Equal(["[redacted]"], error.ResponseHeaders["set-cookie"]);
        Assert.Equal(["[redacted]"], error.ResponseHeaders["X-Auth-Token"]);
        Assert.Equal(["req-123"], error.ResponseHeaders["x-request-id"]);
        Assert.Equal("req-123", error.RequestId);
    }

    [Fact]
    public async Task Message_ControlCharactersAndAnsiEscapes_Removed()
    {
        var error = await server.DataSourceFailsAsync(500, "\u001b[31mfatal\u001b[0m:\tdisk\u0000full", "text/plain");

        Assert.DoesNotContain(error.Message, c => char.IsControl(c));
        Assert.Equal("HTTP 500 Internal Server Error: [31mfatal [0m: disk full.", error.Message);
    }

    [Fact]
    public async Task Message_AuthSchemeFollowedByPlainWords_NotRedacted()
    {
        var error = await server.DataSourceFailsAsync(401, """{"code":401,"message":"Basic authentication is required","param":null}""");

        Assert.Equal("HTTP 401 Unauthorized: Basic authentication is required.", error.Message);
    }

    [Fact]
    public async Task Message_BidiOverrideAndZeroWidthCharacters_Removed()
    {
        var error = await server.DataSourceFailsAsync(404, "{\"error\":\"Data\u200b source \u202enot found\"}");

        Assert.Equal("HTTP 404 Not Found: Data source not found.", error.Message);
    }

    [Fact]
    public async Task RequestId_HostileHeaderValue_CleanedAndCapped()
    {
        var error = await server.DataSourceFailsAsync(500, string.Empty, "text/plain", ("X-Request-Id", new string('r', 500)));

        Assert.Equal(128, error.RequestId!.Length);
    }

    [Fact]
    public async Task Message_GeneratedFailureOnSuccessStatus_NamesPathButNoValue()
    {
        using var http = StubHandler.Client(() => new HttpResponseMessage(HttpStatusCode.OK)
        {
            // A status of another shape reads as unknown (open value); a timestamp of another shape cannot be read.
            Content = new StringContent("""{"uuid":"ds_1","name":"x","status":"idle","created_at":{"secret":"S3CR3T-VALUE"}}""", Encoding.UTF8, "application/json"),
        });

        var error = await Assert.ThrowsAsync<BillingImportsApiException>(() => new DataSourcesClient(http).GetDataSourceAsync("ds_1", cancellationToken: Support.TestContext.Token));

        Assert.Equal(ApiErrorKind.InvalidResponse, error.Kind);
        Assert.StartsWith("HTTP 200 OK: the response could not be read at $.created_at:", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("S3CR3T", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("S3CR3T", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("S3CR3T", error.ResponseBody, StringComparison.Ordinal);
    }
}
