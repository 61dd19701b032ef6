using System.Net;
using System.Text;
using BillingImports.Tests.Errors;
using TestContext = BillingImports.Tests.Support.TestContext;

namespace BillingImports.Tests.Models;

/// <summary>
/// The generated models' integer members (an error's line number, the paging counts) read as
/// leniently as the record counts: a number written as text or as a whole float is read, and a value
/// that is no whole number costs that member, never the page.
/// </summary>
public sealed class WholeNumberTests
{
    [Theory]
    [InlineData("17", 17L)]
    [InlineData("\"17\"", 17L)]
    [InlineData("17.0", 17L)]
    [InlineData("\" 17 \"", 17L)]
    [InlineData("\"seventeen\"", 0L)]
    [InlineData("17.5", 0L)]
    [InlineData("null", 0L)]
    [InlineData("{\"n\":17}", 0L)]
    [InlineData("99999999999999999999", 0L)]
    public async Task ListImportErrors_LineNumberInAnyShape_ReadsThePageWithTheNumberOrZero(string lineNumber, long expected)
    {
        var first = """{"id":"e1","type":"subscription_import_error","meta":{"line_number":""" + lineNumber + ""","field":"plan_id","error":"not found"}}""";
        var page = await ReadPageAsync("""{"data":[""" + first + """,{"id":"e2","type":"subscription_import_error","meta":{"line_number":18,"error":"duplicate line"}}]}""");

        Assert.Equal([expected, 18L], page.Data.Select(error => error.LineNumber));
        Assert.Equal("not found", page.Data[0].Error);
    }

    [Fact]
    public async Task ListImportErrors_PagingCountsAsTextOrOutOfRange_ReadOrNull()
    {
        var page = await ReadPageAsync("""{"data":[],"meta":{"page":{"limit":"25","offset":0.0,"current":"one","total":99999999999},"results":{"total":"13"}}}""");

        Assert.Equal((25, 0, (int?)null, (int?)null), (page.Meta!.Page!.Limit, page.Meta.Page.Offset, page.Meta.Page.Current, page.Meta.Page.Total));
        Assert.Equal(13, page.Meta.Results!.Total);
    }

    private static Task<SubscriptionImportErrorPage> ReadPageAsync(string body)
    {
        using var http = StubHandler.Client(() => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, "application/json") });
        return new SubscriptionImportsClient(http).ListImportErrorsAsync("import-1", cancellationToken: TestContext.Token);
    }
}
