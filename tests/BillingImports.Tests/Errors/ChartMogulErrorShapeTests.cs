namespace BillingImports.Tests.Errors;

/// <summary>ChartMogul's error bodies, through the generated data source client.</summary>
public sealed class ChartMogulErrorShapeTests(ApiServer server) : IClassFixture<ApiServer>
{
    [Fact]
    public async Task Read_CodeMessageParam_ParsesCodeAsStatus()
    {
        var error = await server.DataSourceFailsAsync(401, """{"code":401,"message":"No valid API key provided","param":null}""");

        Assert.Equal(ApiErrorKind.Unauthorized, error.Kind);
        var only = Assert.Single(error.Errors);
        Assert.Equal(401, only.Status);
        Assert.Equal("401", only.Code);
        Assert.Equal("No valid API key provided", only.Title);
        Assert.Null(only.Field);
        Assert.Equal("HTTP 401 Unauthorized: No valid API key provided.", error.Message);
    }

    [Fact]
    public async Task Read_CodeMessageParamWithParam_SetsField()
    {
        var error = await server.DataSourceFailsAsync(400, """{"code":"invalid_parameter","message":"with_processing_status must be true or false","param":"with_processing_status"}""");

        var only = Assert.Single(error.Errors);
        Assert.Null(only.Status);
        Assert.Equal("invalid_parameter", only.Code);
        Assert.Equal("with_processing_status", only.Field);
        Assert.Equal(ApiErrorKind.BadRequest, error.Kind);
    }

    [Fact]
    public async Task Read_RateLimitedBody_ReadsMessageAndIsTransient()
    {
        var error = await server.DataSourceFailsAsync(429, """{"code":429,"message":"Your request rate has exceeded our rate limit.","param":null}""", "application/json", ("Retry-After", "2"));

        Assert.Equal(ApiErrorKind.RateLimited, error.Kind);
        Assert.True(error.IsRateLimited());
        Assert.True(error.IsTransient);
        Assert.Equal(TimeSpan.FromSeconds(2), error.RetryAfter);
        Assert.Equal("HTTP 429 Too Many Requests: Your request rate has exceeded our rate limit.", error.Message);
    }

    [Fact]
    public async Task Read_ErrorOnly_ReadsTitle()
    {
        var error = await server.DataSourceFailsAsync(404, """{"error":"Data source not found"}""");

        Assert.Equal(ApiErrorKind.NotFound, error.Kind);
        Assert.False(error.IsInvalidId());
        Assert.Equal("Data source not found", Assert.Single(error.Errors).Title);
        Assert.Equal("HTTP 404 Not Found: Data source not found.", error.Message);
    }

    [Fact]
    public async Task Read_ErrorsKeyedByField_OneErrorPerField()
    {
        var error = await server.DataSourceFailsAsync(422, """{"errors":{"name":"Name has already been taken.","system":"System is not supported."}}""");

        Assert.Equal(ApiErrorKind.Validation, error.Kind);
        Assert.Equal(2, error.Errors.Count);
        Assert.Equal("Name has already been taken.", Assert.Single(error.FindErrorsByField("name")).Title);
        Assert.Equal("System is not supported.", Assert.Single(error.FindErrorsByField("SYSTEM")).Title);
        Assert.Equal("HTTP 422 Unprocessable Entity: Name has already been taken (and 1 more).", error.Message);
    }

    [Fact]
    public async Task Read_ErrorsKeyedByFieldWithArrays_OneErrorPerMessage()
    {
        var error = await server.DataSourceFailsAsync(422, """{"errors":{"name":["can't be blank","is too short"]}}""");

        Assert.Equal(["can't be blank", "is too short"], error.FindErrorsByField("name").Select(e => e.Title));
    }

    [Fact]
    public async Task Read_InvalidUuid422_ReadsAsNotFoundWithDetails()
    {
        var error = await server.DataSourceFailsAsync(
            422,
            """{"error":"Invalid UUID passed","error_details":[{"param":"data_source_uuid","code":"invalid_uuid","message":"Invalid UUID passed"}]}""");

        Assert.Equal(ApiErrorKind.NotFound, error.Kind);
        Assert.Equal(422, error.StatusCode);
        Assert.True(error.IsNotFound());
        Assert.True(error.IsInvalidId());
        Assert.False(error.IsValidationError());
        Assert.False(error.IsTransient);
        var only = Assert.Single(error.Errors);
        Assert.Equal((null, "invalid_uuid", "Invalid UUID passed", null, "data_source_uuid"), (only.Status, only.Code, only.Title, only.Detail, only.Field));
        Assert.Equal("HTTP 422 Unprocessable Entity: Invalid UUID passed (data_source_uuid).", error.Message);
    }

    [Fact]
    public async Task Read_InvalidUuidByCodeOnly_ReadsAsNotFound()
    {
        var error = await server.DataSourceFailsAsync(422, """{"error":"Unprocessable","error_details":[{"param":"data_source_uuid","code":"invalid_uuid","message":"is malformed"}]}""");

        Assert.Equal(ApiErrorKind.NotFound, error.Kind);
        Assert.Equal("HTTP 422 Unprocessable Entity: Unprocessable: is malformed (data_source_uuid).", error.Message);
    }

    [Fact]
    public async Task Read_ErrorWithDetailsNotAboutId_StaysValidation()
    {
        var error = await server.DataSourceFailsAsync(
            422,
            """{"error":"Validation failed","error_details":[{"param":"name","code":"taken","message":"has already been taken","extra":1}]}""");

        Assert.Equal(ApiErrorKind.Validation, error.Kind);
        Assert.True(error.IsValidationError());
        var only = Assert.Single(error.Errors);
        Assert.Equal("taken", only.Code);
        Assert.Equal(1, only.Extra["extra"].GetInt32());
        Assert.Equal("HTTP 422 Unprocessable Entity: Validation failed: has already been taken (name).", error.Message);
    }

    [Fact]
    public async Task Read_TopLevelFieldArraysWithDetails_DetailsWinAndOtherFieldsAreAdded()
    {
        var error = await server.DataSourceFailsAsync(
            422,
            """{"name":["has already been taken"],"external_id":["is invalid","is too long"],"error_details":[{"param":"name","code":"taken","message":"has already been taken"}]}""");

        Assert.Equal(3, error.Errors.Count);
        Assert.Equal("taken", Assert.Single(error.FindErrorsByField("name")).Code);
        Assert.Equal(["is invalid", "is too long"], error.FindErrorsByField("external_id").Select(e => e.Title));
        Assert.StartsWith("HTTP 422 Unprocessable Entity: has already been taken (name) (and 2 more)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_TopLevelFieldArraysAlone_OneErrorPerMessage()
    {
        var error = await server.DataSourceFailsAsync(422, """{"name":["can't be blank"]}""");

        var only = Assert.Single(error.Errors);
        Assert.Equal("name", only.Field);
        Assert.Equal("can't be blank", only.Title);
    }

    [Fact]
    public async Task Read_ErrorAsObject_ReadsNestedMessage()
    {
        var error = await server.DataSourceFailsAsync(502, """{"error":{"code":"upstream_timeout","message":"The billing system did not answer"}}""");

        var only = Assert.Single(error.Errors);
        Assert.Equal("upstream_timeout", only.Code);
        Assert.Equal("HTTP 502 Bad Gateway: The billing system did not answer.", error.Message);
    }

    [Fact]
    public async Task Read_OAuthStyleError_ReadsDescriptionAsDetail()
    {
        var error = await server.ImportFailsAsync(401, """{"error":"invalid_client","error_description":"Client authentication failed"}""");

        var only = Assert.Single(error.Errors);
        Assert.Equal("invalid_client", only.Title);
        Assert.Equal("Client authentication failed", only.Detail);
        Assert.True(error.IsAuthError());
        Assert.Equal("HTTP 401 Unauthorized: invalid_client: Client authentication failed.", error.Message);
    }

    [Fact]
    public async Task Read_JsonWithoutKnownMembers_KeepsBodyAndNoErrors()
    {
        var error = await server.DataSourceFailsAsync(500, """{"unexpected":{"shape":true},"count":3}""");

        Assert.Empty(error.Errors);
        Assert.Equal("HTTP 500 Internal Server Error.", error.Message);
        Assert.Contains("unexpected", error.ResponseBody, StringComparison.Ordinal);
    }
}
