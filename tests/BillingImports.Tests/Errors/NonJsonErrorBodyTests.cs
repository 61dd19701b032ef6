namespace BillingImports.Tests.Errors;

/// <summary>Error bodies that are not the JSON the content type promises, or not JSON at all.</summary>
public sealed class NonJsonErrorBodyTests(ApiServer server) : IClassFixture<ApiServer>
{
    private const string NginxNotFound = """
        <!DOCTYPE html>
        <html>
        <head>
          <meta charset="utf-8">
          <title>404 Not Found</title>
          <style>body { font-family: sans-serif; } h1 { color: #333; }</style>
        </head>
        <body>
          <h1>Not Found</h1>
          <p>The requested URL /v1/data_sources/ds_x was not found on this server.</p>
          <hr><address>nginx/1.25.3</address>
          <script>window.dataLayer = window.dataLayer || []; function gtag(){dataLayer.push(arguments);}</script>
        </body>
        </html>
        """;

    [Fact]
    public async Task Read_TextPlain500_UsesFirstLine()
    {
        var error = await server.DataSourceFailsAsync(500, "Internal Server Error\n\nrequest 7f3a failed in worker 12\n", "text/plain");

        Assert.Equal(ApiErrorKind.ServerError, error.Kind);
        Assert.Empty(error.Errors);
        Assert.Equal("HTTP 500 Internal Server Error.", error.Message);
        Assert.StartsWith("Internal Server Error", error.ResponseBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_TextPlain504_UsesTextAsDetail()
    {
        var error = await server.DataSourceFailsAsync(504, "upstream request timeout", "text/plain; charset=utf-8");

        Assert.Equal("HTTP 504 Gateway Timeout: upstream request timeout.", error.Message);
        Assert.True(error.IsTransient);
    }

    [Fact]
    public async Task Read_FullHtmlPage_MessageHasTitleNotMarkup()
    {
        var error = await server.DataSourceFailsAsync(404, NginxNotFound, "text/html; charset=utf-8");

        Assert.Equal(ApiErrorKind.NotFound, error.Kind);
        Assert.Equal("HTTP 404 Not Found: an HTML page titled \"404 Not Found\".", error.Message);
        Assert.DoesNotContain("<", error.Message, StringComparison.Ordinal);
        Assert.Empty(error.Errors);
        Assert.Contains("nginx", error.ResponseBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_HtmlWithoutTitle_SaysHtmlPage()
    {
        var error = await server.ImportFailsAsync(502, "<html><body><center><h1>502 Bad Gateway</h1></center></body></html>", "text/html");

        Assert.Equal("HTTP 502 Bad Gateway: an HTML page.", error.Message);
    }

    [Fact]
    public async Task Read_HtmlTitleWithEntitiesAndLineBreaks_DecodedOnOneLine()
    {
        var error = await server.ImportFailsAsync(503, "<html><head><title>\n  Maintenance &amp; upgrades\n</title></head></html>", "text/html");

        Assert.Equal("HTTP 503 Service Unavailable: an HTML page titled \"Maintenance & upgrades\".", error.Message);
    }

    [Fact]
    public async Task Read_BareNotFoundWithoutContentType_ReadsStatus()
    {
        var error = await server.DataSourceFailsAsync(404, "404 Not Found", contentType: null);

        Assert.Equal(ApiErrorKind.NotFound, error.Kind);
        Assert.Equal("HTTP 404 Not Found.", error.Message);
        Assert.Equal("404 Not Found", error.ResponseBody);
    }

    [Fact]
    public async Task Read_EmptyBody_MessageIsStatusOnly()
    {
        var error = await server.ImportFailsAsync(503, body: null, contentType: null);

        Assert.Equal("HTTP 503 Service Unavailable.", error.Message);
        Assert.Null(error.ResponseBody);
        Assert.Empty(error.Errors);
        Assert.True(error.IsTransient);
    }

    [Fact]
    public async Task Read_EmptyBodyWithJsonContentType_MessageIsStatusOnly()
    {
        var error = await server.DataSourceFailsAsync(403, string.Empty, "application/json");

        Assert.Equal("HTTP 403 Forbidden.", error.Message);
        Assert.True(error.IsAuthError());
    }

    [Fact]
    public async Task Read_JsonLabelledAsHtml_ParsedAsJson()
    {
        var error = await server.DataSourceFailsAsync(404, """{"error":"Data source not found"}""", "text/html; charset=utf-8");

        Assert.Equal("Data source not found", Assert.Single(error.Errors).Title);
        Assert.Equal("HTTP 404 Not Found: Data source not found.", error.Message);
    }

    [Fact]
    public async Task Read_HtmlLabelledAsJson_ReadAsHtml()
    {
        var error = await server.ImportFailsAsync(502, "<html><head><title>Bad gateway | Cloudflare</title></head><body>...</body></html>", "application/json");

        Assert.Equal("HTTP 502 Bad Gateway: an HTML page titled \"Bad gateway | Cloudflare\".", error.Message);
        Assert.Empty(error.Errors);
    }

    [Fact]
    public async Task Read_TextLabelledAsJson_ReadAsText()
    {
        var error = await server.DataSourceFailsAsync(500, "Something went wrong", "application/json");

        Assert.Equal("HTTP 500 Internal Server Error: Something went wrong.", error.Message);
    }

    [Fact]
    public async Task Read_TruncatedJson_SaysNotValidJson()
    {
        var error = await server.ImportFailsAsync(500, """{"errors":[{"status":"500","title":"Internal Ser""", "application/json");

        Assert.Equal("HTTP 500 Internal Server Error: the body is not valid JSON.", error.Message);
        Assert.Empty(error.Errors);
    }

    [Fact]
    public async Task Read_UnknownStatusWithoutStandardReason_MessageHasNumber()
    {
        var error = await server.DataSourceFailsAsync(599, "network connect timeout error", "text/plain");

        Assert.Equal(ApiErrorKind.ServerError, error.Kind);
        Assert.StartsWith("HTTP 599", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("network connect timeout error.", error.Message, StringComparison.Ordinal);
    }
}
