using System.Globalization;
using BillingImports.Testing;
using TestContext = BillingImports.Tests.Support.TestContext;

namespace BillingImports.Tests.Paging;

/// <summary>Walking an import's errors page by page, as the service pages them.</summary>
public sealed class ImportErrorsPagingTests
{
    private const string Id = "7d3c2b1a-0f9e-4d8c-b7a6-5e4d3c2b1a0f";

    [Fact]
    public async Task GetImportErrors_FollowsLinksNextToTheLastPage()
    {
        var client = new PagedClient(total: 5, links: LinkStyle.NextWhileMoreRemain);

        var errors = await ToListAsync(client.GetImportErrorsAsync(Id, pageSize: 2, TestContext.Token));

        Assert.Equal([1L, 2, 3, 4, 5], errors.Select(error => error.LineNumber));
        Assert.Equal([(0, 2), (2, 2), (4, 2)], client.Calls);
    }

    [Fact]
    public async Task GetImportErrors_LinksWithoutNext_StopsEvenOnAFullPage()
    {
        var client = new PagedClient(total: 50, links: LinkStyle.NeverNext);

        var errors = await ToListAsync(client.GetImportErrorsAsync(Id, pageSize: 10, TestContext.Token));

        Assert.Equal(10, errors.Count);
        Assert.Equal([(0, 10)], client.Calls);
    }

    [Fact]
    public async Task GetImportErrors_NoLinks_WalksWhilePagesComeBackFull()
    {
        var client = new PagedClient(total: 5, links: LinkStyle.None);

        var errors = await ToListAsync(client.GetImportErrorsAsync(Id, pageSize: 2, TestContext.Token));

        Assert.Equal([1L, 2, 3, 4, 5], errors.Select(error => error.LineNumber));
        Assert.Equal([(0, 2), (2, 2), (4, 2)], client.Calls);
    }

    [Fact]
    public async Task GetImportErrors_NoLinksAndAnExactMultiple_StopsOnTheEmptyPage()
    {
        var client = new PagedClient(total: 4, links: LinkStyle.None);

        var errors = await ToListAsync(client.GetImportErrorsAsync(Id, pageSize: 2, TestContext.Token));

        Assert.Equal(4, errors.Count);
        Assert.Equal([(0, 2), (2, 2), (4, 2)], client.Calls);
    }

    [Fact]
    public async Task GetImportErrors_EmptyPageWithANextLink_Stops()
    {
        // A service that keeps linking to empty pages must not keep the walk going.
        var client = new PagedClient(total: 0, links: LinkStyle.AlwaysNext);

        var errors = await ToListAsync(client.GetImportErrorsAsync(Id, pageSize: 10, TestContext.Token));

        Assert.Empty(errors);
        Assert.Single(client.Calls);
    }

    [Fact]
    public async Task GetImportErrors_StopsAtTheServicesOffsetLimit()
    {
        var client = new PagedClient(total: 50_000, links: LinkStyle.AlwaysNext);

        var errors = await ToListAsync(client.GetImportErrorsAsync(Id, pageSize: 100, TestContext.Token));

        Assert.Equal(ImportErrorsExtensions.MaxOffset + ImportErrorsExtensions.MaxPageSize, errors.Count);
        Assert.Equal(ImportErrorsExtensions.MaxOffset, client.Calls.Max(call => call.Offset));
        Assert.All(client.Calls, call => Assert.InRange(call.Offset, 0, 10_000));
        Assert.Equal(101, client.Calls.Count);
    }

    [Fact]
    public async Task GetImportErrors_PageSizeThatDoesNotDivideTheLimit_NeverAsksPastIt()
    {
        var client = new PagedClient(total: 50_000, links: LinkStyle.AlwaysNext);

        var errors = await ToListAsync(client.GetImportErrorsAsync(Id, pageSize: 30, TestContext.Token));

        Assert.All(client.Calls, call => Assert.InRange(call.Offset, 0, 10_000));
        Assert.Equal(client.Calls.Count * 30, errors.Count);
        Assert.Equal(9_990, client.Calls.Max(call => call.Offset));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(101)]
    public async Task GetImportErrors_PageSizeOutsideOneToAHundred_ThrowsBeforeAnyCall(int pageSize)
    {
        var client = new PagedClient(total: 5, links: LinkStyle.NextWhileMoreRemain);

        var error = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => ToListAsync(client.GetImportErrorsAsync(Id, pageSize, TestContext.Token)));

        Assert.Equal("pageSize", error.ParamName);
        Assert.Empty(client.Calls);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(100)]
    public async Task GetImportErrors_PageSizeAtTheBounds_IsSent(int pageSize)
    {
        var client = new PagedClient(total: 3, links: LinkStyle.NextWhileMoreRemain);

        await ToListAsync(client.GetImportErrorsAsync(Id, pageSize, TestContext.Token));

        Assert.All(client.Calls, call => Assert.Equal(pageSize, call.Limit));
    }

    [Fact]
    public async Task GetImportErrors_DefaultPageSize_IsTheLargestTheServiceServes()
    {
        var client = new PagedClient(total: 3, links: LinkStyle.NextWhileMoreRemain);

        await ToListAsync(client.GetImportErrorsAsync(Id, cancellationToken: TestContext.Token));

        Assert.Equal([(0, 100)], client.Calls);
    }

    [Fact]
    public async Task GetImportErrors_CallerStopsReading_NoFurtherPageIsFetched()
    {
        var client = new PagedClient(total: 100, links: LinkStyle.NextWhileMoreRemain);

        await foreach (var error in client.GetImportErrorsAsync(Id, pageSize: 10, TestContext.Token))
        {
            if (error.LineNumber == 12)
            {
                break;
            }
        }

        Assert.Equal([(0, 10), (10, 10)], client.Calls);
    }

    [Fact]
    public async Task GetFirstImportErrors_StopsOnceItHasEnough()
    {
        // The service may serve fewer than asked (here 2 a page): the reader asks again only as needed.
        var client = new PagedClient(total: 100, links: LinkStyle.NextWhileMoreRemain, serviceLimit: 2);

        var errors = await client.GetFirstImportErrorsAsync(Id, 5, TestContext.Token);

        Assert.Equal([1L, 2, 3, 4, 5], errors.Select(error => error.LineNumber));
        Assert.Equal([(0, 5), (2, 5), (4, 5)], client.Calls);
    }

    [Fact]
    public async Task GetFirstImportErrors_OnePageIsEnough_OneCallSizedToTheCount()
    {
        var client = new PagedClient(total: 100, links: LinkStyle.NextWhileMoreRemain);

        var errors = await client.GetFirstImportErrorsAsync(Id, 3, TestContext.Token);

        Assert.Equal(3, errors.Count);
        Assert.Equal([(0, 3)], client.Calls);
    }

    [Fact]
    public async Task GetFirstImportErrors_FewerErrorsThanAsked_ReturnsWhatThereIs()
    {
        var client = new PagedClient(total: 2, links: LinkStyle.NextWhileMoreRemain);

        var errors = await client.GetFirstImportErrorsAsync(Id, 10, TestContext.Token);

        Assert.Equal(2, errors.Count);
        Assert.Single(client.Calls);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public async Task GetFirstImportErrors_CountBelowOne_Throws(int count)
    {
        var client = new PagedClient(total: 2, links: LinkStyle.NextWhileMoreRemain);

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => client.GetFirstImportErrorsAsync(Id, count, TestContext.Token));

        Assert.Empty(client.Calls);
    }

    [Fact]
    public async Task GetImportErrors_OnTheFakeServer_ReadsEveryErrorInLineOrderPageByPage()
    {
        using var server = new FakeBillingServer();
        server.Imports.Add(Id).Fails().WithErrors(250);
        using var client = server.CreateElasticPathClient();

        var errors = await ToListAsync(client.SubscriptionImports.GetImportErrorsAsync(Id, cancellationToken: TestContext.Token));

        Assert.Equal(Enumerable.Range(2, 250).Select(line => (long)line), errors.Select(error => error.LineNumber));
        Assert.All(errors, error => Assert.Equal("line " + error.LineNumber.ToString(CultureInfo.InvariantCulture) + ", field plan_id: not found", error.ToString()));
        Assert.Equal(3, server.RequestCount($"/v2/subscriptions/imports/{Id}/errors"));
    }

    [Fact]
    public async Task GetImportErrors_UnknownImport_ThrowsNotFound()
    {
        using var server = new FakeBillingServer();
        using var client = server.CreateElasticPathClient();

        var error = await Assert.ThrowsAsync<BillingImportsApiException>(() => ToListAsync(client.SubscriptionImports.GetImportErrorsAsync("12345678-1234-1234-1234-123456789abc", cancellationToken: TestContext.Token)));

        Assert.Equal(ApiErrorKind.NotFound, error.Kind);
    }

    [Fact]
    public void ImportError_ToString_NamesLineFieldAndError()
    {
        var withField = new SubscriptionImportError { Meta = new SubscriptionImportErrorMeta { LineNumber = 17, Field = "plan_id", Error = "not found" } };
        var wholeLine = new SubscriptionImportError { Meta = new SubscriptionImportErrorMeta { LineNumber = 43, Error = "duplicate line", ExternalRef = "sub-0042" } };

        Assert.Equal("line 17, field plan_id: not found", withField.ToString());
        Assert.Equal("line 43: duplicate line", wholeLine.ToString());
        Assert.Equal((43L, null, "duplicate line", "sub-0042"), (wholeLine.LineNumber, wholeLine.Field, wholeLine.Error, wholeLine.ExternalRef));
    }

    private static async Task<List<T>> ToListAsync<T>(IAsyncEnumerable<T> items)
    {
        var list = new List<T>();
        await foreach (var item in items)
        {
            list.Add(item);
        }

        return list;
    }

    private enum LinkStyle
    {
        /// <summary>links.next while errors remain, as the service does.</summary>
        NextWhileMoreRemain,

        /// <summary>links present, never a next.</summary>
        NeverNext,

        /// <summary>links.next on every page, whatever remains.</summary>
        AlwaysNext,

        /// <summary>No links member at all.</summary>
        None,
    }

    /// <summary>An imports client over <paramref name="total"/> errors (lines 1, 2, ...), recording each page asked for.</summary>
    private sealed class PagedClient(int total, LinkStyle links, int serviceLimit = 100) : ISubscriptionImportsClient
    {
        private readonly List<(int Offset, int Limit)> _calls = [];

        public IReadOnlyList<(int Offset, int Limit)> Calls => [.. _calls];

        public Task<SubscriptionImport> GetImportAsync(string importUuid, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException("Only the errors are paged here.");

        public Task<SubscriptionImportErrorPage> ListImportErrorsAsync(string importUuid, int? pageOffset = null, int? pageLimit = null, CancellationToken cancellationToken = default)
        {
            var offset = pageOffset ?? 0;
            var limit = pageLimit ?? 25;
            _calls.Add((offset, limit));
            var served = Math.Min(limit, serviceLimit);
            var page = new SubscriptionImportErrorPage
            {
                Data = Enumerable.Range(offset + 1, Math.Max(0, Math.Min(served, total - offset)))
                    .Select(line => new SubscriptionImportError { Id = "e" + line.ToString(CultureInfo.InvariantCulture), Meta = new SubscriptionImportErrorMeta { LineNumber = line, Field = "plan_id", Error = "not found" } })
                    .ToList(),
            };
            var next = "https://useast.api.elasticpath.com/v2/subscriptions/imports/" + importUuid + "/errors?page[offset]=" + (offset + served).ToString(CultureInfo.InvariantCulture);
            page.Links = links switch
            {
                LinkStyle.None => null,
                LinkStyle.NeverNext => new PageLinks { First = next },
                LinkStyle.AlwaysNext => new PageLinks { Next = next },
                _ => new PageLinks { Next = offset + served < total ? next : null },
            };
            return Task.FromResult(page);
        }
    }
}
