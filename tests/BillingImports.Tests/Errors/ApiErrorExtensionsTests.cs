namespace BillingImports.Tests.Errors;

/// <summary>The caller-side helpers find the typed exception wherever it is wrapped.</summary>
public sealed class ApiErrorExtensionsTests
{
    private static readonly BillingImportsApiException NotFound = new("HTTP 404 Not Found.", ApiErrorKind.NotFound, 404)
    {
        Errors = [new ApiError(404, null, "Not Found", "No import found", null) { MissingIds = ["a", "b"] }, new ApiError(404, null, "Not Found", null, "import_uuid") { MissingIds = ["b"] }],
    };

    [Fact]
    public void TryGetApiException_Direct_Found()
    {
        Assert.True(NotFound.TryGetApiException(out var found));
        Assert.Same(NotFound, found);
    }

    [Fact]
    public void TryGetApiException_InnerChain_Found()
    {
        var wrapped = new InvalidOperationException("outer", new HttpRequestException("middle", NotFound));

        Assert.True(wrapped.TryGetApiException(out var found));
        Assert.Same(NotFound, found);
        Assert.True(wrapped.IsNotFound());
    }

    [Fact]
    public void TryGetApiException_InsideAggregateAsKiotaRetryThrows_Found()
    {
        var rateLimited = new BillingImportsApiException("HTTP 429 Too Many Requests.", ApiErrorKind.RateLimited, 429) { RetryAfter = TimeSpan.FromSeconds(3) };
        var aggregate = new AggregateException(new HttpRequestException("try 1"), new InvalidOperationException("try 2", rateLimited));

        Assert.True(aggregate.IsRateLimited());
        Assert.True(aggregate.IsTransientApiError());
        Assert.Equal(TimeSpan.FromSeconds(3), aggregate.GetRetryAfter());
    }

    [Fact]
    public void TryGetApiException_NoneOrNull_FalseAndEmpty()
    {
        var plain = new InvalidOperationException("x", new TimeoutException());

        Assert.False(plain.TryGetApiException(out var found));
        Assert.Null(found);
        Assert.False(plain.TryGetApiErrors(out var errors));
        Assert.Empty(errors);
        Assert.False(((Exception?)null).IsNotFound());
        Assert.Equal(ApiErrorKind.Unknown, plain.GetApiErrorKind());
        Assert.Empty(plain.FindErrorsByField("name"));
        Assert.Null(plain.GetRetryAfter());
    }

    [Fact]
    public void TryGetApiErrors_WithErrors_ReturnsThem()
    {
        Assert.True(new InvalidOperationException("outer", NotFound).TryGetApiErrors(out var errors));
        Assert.Equal(2, errors.Count);
    }

    [Fact]
    public void FindErrorsByField_IgnoresCase()
    {
        Assert.Single(NotFound.FindErrorsByField("IMPORT_UUID"));
    }

    [Fact]
    public void FindErrorsByStatus_MatchesBodyStatus()
    {
        Assert.Equal(2, NotFound.FindErrorsByStatus(404).Count);
        Assert.Empty(NotFound.FindErrorsByStatus(500));
    }

    [Fact]
    public void GetMissingIds_AcrossErrors_Distinct()
    {
        Assert.Equal(["a", "b"], NotFound.GetMissingIds());
    }

    [Theory]
    [InlineData(ApiErrorKind.Unauthorized, 401, true, false, false, false)]
    [InlineData(ApiErrorKind.Forbidden, 403, true, false, false, false)]
    [InlineData(ApiErrorKind.NotFound, 404, false, true, false, false)]
    [InlineData(ApiErrorKind.NotFound, 422, false, true, true, false)]
    [InlineData(ApiErrorKind.NotFound, 400, false, true, true, false)]
    [InlineData(ApiErrorKind.Validation, 422, false, false, false, true)]
    [InlineData(ApiErrorKind.BadRequest, 400, false, false, false, true)]
    [InlineData(ApiErrorKind.ServerError, 503, false, false, false, false)]
    public void Helpers_ByKindAndStatus_AnswerConsistently(ApiErrorKind kind, int status, bool auth, bool notFound, bool invalidId, bool validation)
    {
        var error = new BillingImportsApiException("m", kind, status);

        Assert.Equal(auth, error.IsAuthError());
        Assert.Equal(notFound, error.IsNotFound());
        Assert.Equal(invalidId, error.IsInvalidId());
        Assert.Equal(validation, error.IsValidationError());
        Assert.Equal(kind == ApiErrorKind.ServerError, error.IsServerError());
        Assert.False(error.IsInvalidResponse());
    }

    [Fact]
    public void TryGetApiException_SelfReferencingAggregate_Terminates()
    {
        var inner = new InvalidOperationException("leaf");
        var aggregate = new AggregateException(inner, inner, new AggregateException(inner));

        Assert.False(aggregate.TryGetApiException(out _));
    }

    [Fact]
    public void PublicConstructor_HeadersAreCaseInsensitive()
    {
        var error = new BillingImportsApiException("m", ApiErrorKind.Unknown);
        error.ResponseHeaders["X-Request-Id"] = ["r1"];

        Assert.Equal(["r1"], error.ResponseHeaders["x-request-id"]);
        Assert.Equal(0, error.StatusCode);
    }
}
