using System.Text.Json;

namespace BillingImports.Tests.Errors;

/// <summary>Elastic Path's JSON:API error bodies, through the generated import client.</summary>
public sealed class JsonApiErrorShapeTests(ApiServer server) : IClassFixture<ApiServer>
{
    [Fact]
    public async Task Read_JsonApiStatusAsInteger_ParsesStatus()
    {
        var error = await server.ImportFailsAsync(401, """{"errors":[{"status":401,"title":"Unauthorized","detail":"The access token has expired"}]}""");

        Assert.Equal(ApiErrorKind.Unauthorized, error.Kind);
        Assert.Equal(401, error.StatusCode);
        var only = Assert.Single(error.Errors);
        Assert.Equal(401, only.Status);
        Assert.Equal("Unauthorized", only.Title);
        Assert.Equal("The access token has expired", only.Detail);
        Assert.Equal("HTTP 401 Unauthorized: The access token has expired.", error.Message);
    }

    [Fact]
    public async Task Read_JsonApiStatusAsString_ParsesStatus()
    {
        var error = await server.ImportFailsAsync(400, """{"errors":[{"status":"400","title":"Bad Request","detail":"import_uuid: must be a valid UUID"}]}""");

        Assert.Equal(400, Assert.Single(error.Errors).Status);
        Assert.Equal("HTTP 400 Bad Request: import_uuid: must be a valid UUID.", error.Message);
    }

    [Fact]
    public async Task Read_JsonApiStatusWithReasonInString_ParsesLeadingNumber()
    {
        var error = await server.ImportFailsAsync(503, """{"errors":[{"status":"503 Service Unavailable","title":"Service Unavailable"}]}""");

        Assert.Equal(503, Assert.Single(error.Errors).Status);
        Assert.Equal(ApiErrorKind.ServerError, error.Kind);
    }

    [Fact]
    public async Task Read_JsonApiStatusAbsent_LeavesStatusNullAndKindFromHttp()
    {
        var error = await server.ImportFailsAsync(422, """{"errors":[{"title":"Unprocessable Entity","detail":"The file has no header row","source":{"pointer":"/data/attributes/csv"}}]}""");

        var only = Assert.Single(error.Errors);
        Assert.Null(only.Status);
        Assert.Equal("csv", only.Field);
        Assert.Equal(ApiErrorKind.Validation, error.Kind);
        Assert.Equal(422, error.StatusCode);
    }

    [Fact]
    public async Task Read_JsonApiStatusDisagreesWithHttp_KindFollowsHttpAndErrorKeepsBodyStatus()
    {
        var error = await server.ImportFailsAsync(500, """{"errors":[{"status":404,"title":"Not Found","detail":"No import found"}]}""");

        Assert.Equal(ApiErrorKind.ServerError, error.Kind);
        Assert.Equal(500, error.StatusCode);
        Assert.Equal(404, Assert.Single(error.Errors).Status);
        Assert.True(error.IsTransient);
    }

    [Fact]
    public async Task Read_JsonApiUnreadableStatus_LeavesStatusNull()
    {
        var error = await server.ImportFailsAsync(400, """{"errors":[{"status":"bad","title":"A"},{"status":true,"title":"B"},{"status":99999,"title":"C"},{"status":"4040","title":"D"}]}""");

        Assert.All(error.Errors, e => Assert.Null(e.Status));
        Assert.Equal(["A", "B", "C", "D"], error.Errors.Select(e => e.Title));
    }

    [Fact]
    public async Task Read_JsonApiMetaMissingIds_ExposesIdsTyped()
    {
        const string Id = "11111111-2222-3333-4444-555555555555";
        var error = await server.ImportFailsAsync(404, $$$"""{"errors":[{"status":"404","title":"Not Found","detail":"No import found","meta":{"missing_ids":["{{{Id}}}"],"trace":"abc"}}]}""");

        Assert.Equal(ApiErrorKind.NotFound, error.Kind);
        Assert.Equal([Id], Assert.Single(error.Errors).MissingIds);
        Assert.Equal([Id], error.GetMissingIds());
        Assert.Equal("abc", error.Errors[0].Extra["meta"].GetProperty("trace").GetString());
        Assert.Equal("HTTP 404 Not Found: No import found.", error.Message);
    }

    [Fact]
    public async Task Read_JsonApiExtraMembers_KeptAsRawJsonAndRequestIdUsedWhenNoHeader()
    {
        var error = await server.ImportFailsAsync(
            409,
            """{"errors":[{"status":409,"code":"import_in_progress","title":"Conflict","detail":"An import is already running","source":{"parameter":"import_uuid"},"request_id":"req-body-7","links":{"about":"https://docs.example/errors/409"},"new_member":[1,2]}],"jsonapi":{"version":"1.0"}}""");

        var only = Assert.Single(error.Errors);
        Assert.Equal("import_in_progress", only.Code);
        Assert.Equal("import_uuid", only.Field);
        Assert.Equal(JsonValueKind.Array, only.Extra["new_member"].ValueKind);
        Assert.Equal("https://docs.example/errors/409", only.Extra["links"].GetProperty("about").GetString());
        Assert.Equal("req-body-7", error.RequestId);
        Assert.Equal(ApiErrorKind.Unknown, error.Kind);
    }

    [Fact]
    public async Task Read_JsonApiSeveralErrors_KeepsAllAndMessageCountsTheRest()
    {
        var error = await server.ImportFailsAsync(
            422,
            """{"errors":[{"status":"422","title":"Invalid CSV","detail":"row 2: price must be a number","source":{"pointer":"/rows/2/price"}},{"status":"422","title":"Invalid CSV","detail":"row 9: missing plan","source":{"pointer":"/rows/9/plan"}}]}""");

        Assert.Equal(2, error.Errors.Count);
        Assert.Equal(["price", "plan"], error.Errors.Select(e => e.Field));
        Assert.Equal("HTTP 422 Unprocessable Entity: Invalid CSV: row 2: price must be a number (and 1 more).", error.Message);
        Assert.Single(error.FindErrorsByField("plan"));
        Assert.Equal(2, error.FindErrorsByStatus(422).Count);
    }

    [Fact]
    public async Task Read_JsonApiInvalidUuid400_ReadsAsNotFound()
    {
        var error = await server.ImportFailsAsync(400, """{"errors":[{"status":"400","title":"Bad Request","detail":"import_uuid: must be a valid UUID"}]}""");

        Assert.Equal(ApiErrorKind.NotFound, error.Kind);
        Assert.Equal(400, error.StatusCode);
        Assert.True(error.IsNotFound());
        Assert.True(error.IsInvalidId());
    }

    [Fact]
    public async Task Read_JsonApiErrorsAsStrings_ReadsEachAsTitle()
    {
        var error = await server.ImportFailsAsync(400, """{"errors":["first problem","second problem"]}""");

        Assert.Equal(["first problem", "second problem"], error.Errors.Select(e => e.Title));
    }

    [Fact]
    public async Task Read_JsonApiStatus_ReadsIntegerStringAndAbsent()
    {
        var error = await server.ImportFailsAsync(400, """{"errors":[{"status":429,"title":"a"},{"status":"404","title":"b"},{"title":"x"},{"status":null,"title":"c"},{"status":"oops","title":"d"}]}""");

        Assert.Equal(new int?[] { 429, 404, null, null, null }, error.Errors.Select(e => e.Status));
        Assert.Equal(["a", "b", "x", "c", "d"], error.Errors.Select(e => e.Title));
        Assert.Empty(error.Errors[0].MissingIds);
    }
}
