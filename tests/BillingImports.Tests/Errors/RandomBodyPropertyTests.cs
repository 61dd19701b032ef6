using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace BillingImports.Tests.Errors;

/// <summary>
/// Property-style: random, truncated and garbage bodies, on success and on error statuses, through
/// both generated clients. Every call either succeeds (only on 200) or throws exactly
/// <see cref="BillingImportsApiException"/> with a kind that follows the status and a short
/// one-line message; none hangs. Seeded, so a failure names a case that can be replayed.
/// </summary>
public sealed class RandomBodyPropertyTests
{
    private const int Cases = 400;
    private static readonly int[] Statuses = [200, 200, 200, 400, 401, 403, 404, 409, 418, 422, 429, 500, 502, 503, 504];
    private static readonly string?[] ContentTypes = ["application/json", "application/json; charset=utf-8", "text/html", "text/plain", null, "application/json; charset=utf-99", "application/vnd.api+json"];

    private static readonly string[] Keys =
    [
        "uuid", "name", "status", "system", "created_at", "processing_status", "auto_churn_subscription_setting", "invoice_handling_setting",
        "data", "id", "type", "attributes", "records", "uploaded", "imported", "meta", "owner", "timestamps", "started_at", "finished_at",
        "errors", "error", "error_details", "title", "detail", "code", "message", "param", "source", "pointer", "missing_ids", "request_id",
        "subscription_product", "subscription_plan", "subscription", "x", "\u00e9t\u00e9", string.Empty,
    ];

    private static readonly string[] Realistic =
    [
        """{"uuid":"ds_fef05d54-47b4-431b-aed2-eb6b9e545430","name":"In-house billing","system":"Import API","created_at":"2016-01-09T16:23:36.000Z","status":"idle","processing_status":{"processed":61,"pending":12,"failed":1},"auto_churn_subscription_setting":{"enabled":true,"interval":7}}""",
        """{"data":{"id":"99999999-8888-7777-6666-555555555555","type":"subscription_import","attributes":{"external_ref":"nightly-7","status":"failed"},"meta":{"owner":"store","timestamps":{"created_at":"2024-06-01T12:00:00.123456789Z","updated_at":"2024-06-01T12:01:00.987654321Z"},"records":{"uploaded":{"subscription_product":1,"subscription_plan":2,"subscription_subscriber":50},"imported":{"subscription_product":1,"subscription_plan":2,"subscription_subscriber":17}}}}}""",
        """{"errors":[{"status":"404","title":"Not Found","detail":"No import found","meta":{"missing_ids":["11111111-2222-3333-4444-555555555555"]}}]}""",
        """{"error":"Invalid UUID passed","error_details":[{"param":"data_source_uuid","code":"invalid_uuid","message":"Invalid UUID passed"}]}""",
        """{"name":["has already been taken"],"error_details":[{"param":"name","code":"taken","message":"has already been taken"}]}""",
        """<html><head><title>404 Not Found</title></head><body><h1>Not Found</h1></body></html>""",
    ];

    [Fact]
    public async Task AnyBody_AnyStatus_SucceedsOrThrowsTypedExceptionQuickly()
    {
        var random = new Random(20261122);
        var clock = Stopwatch.StartNew();
        var outcomes = new Dictionary<string, int>();

        for (var i = 0; i < Cases; i++)
        {
            var status = Statuses[random.Next(Statuses.Length)];
            var contentType = ContentTypes[random.Next(ContentTypes.Length)];
            var body = NextBody(random);
            using var http = StubHandler.Client(() => Response(status, body, contentType));
            var what = string.Create(CultureInfo.InvariantCulture, $"case {i}: HTTP {status} {contentType ?? "(none)"} {Preview(body)}");

            var source = await Outcome(() => new DataSourcesClient(http).GetDataSourceAsync("ds_1", cancellationToken: Token()), status, what, outcomes);
            if (source is not null)
            {
                // Reading succeeded: the documented non-nullable members are never null.
                Assert.NotNull(source.Uuid);
                Assert.NotNull(source.Name);
                Assert.NotNull(source.Status.Value);
                _ = source.ProcessingStatus?.Total;
            }

            var import = await Outcome(() => new SubscriptionImportsClient(http).GetImportAsync("x", Token()), status, what, outcomes);
            if (import is not null)
            {
                Assert.NotNull(import.Id);
                Assert.NotNull(import.Type);
                Assert.NotNull(import.Status.Value);
                Assert.NotNull(import.Meta.Owner);
                Assert.NotNull(import.Records);
                Assert.NotNull(import.Timestamps);
                _ = import.Records.Uploaded.Total;
                _ = import.Records.Imported.Total;
                _ = import.Status.IsDone;
            }
        }

        // Bounded: the whole run is a couple of seconds on a shared two-core machine.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), clock.Elapsed.ToString());

        // The generator reaches every outcome, so the property is not vacuous.
        Assert.True(outcomes.GetValueOrDefault("success") > 0, "no case read successfully");
        Assert.True(outcomes.GetValueOrDefault(nameof(ApiErrorKind.InvalidResponse)) > 0, "no case was an invalid response");
        Assert.True(outcomes.GetValueOrDefault(nameof(ApiErrorKind.ServerError)) > 0, "no case was a server error");
    }

    [Fact]
    public async Task TruncatedRealisticBodies_EveryPrefix_TypedExceptionOrSuccess()
    {
        var clock = Stopwatch.StartNew();
        var cases = 0;
        foreach (var full in Realistic)
        {
            for (var length = 0; length < full.Length; length += 7)
            {
                var body = full[..length];
                foreach (var status in new[] { 200, 422, 503 })
                {
                    using var http = StubHandler.Client(() => Response(status, body, "application/json"));
                    var what = string.Create(CultureInfo.InvariantCulture, $"HTTP {status} prefix {length} of {Preview(full)}");
                    await Outcome(() => new DataSourcesClient(http).GetDataSourceAsync("ds_1", cancellationToken: Token()), status, what, []);
                    await Outcome(() => new SubscriptionImportsClient(http).GetImportAsync("x", Token()), status, what, []);
                    cases++;
                }
            }
        }

        Assert.True(cases > 200, cases.ToString(CultureInfo.InvariantCulture));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), clock.Elapsed.ToString());
    }

    private static CancellationToken Token() => new CancellationTokenSource(TimeSpan.FromSeconds(5)).Token;

    private static async Task<T?> Outcome<T>(Func<Task<T>> call, int status, string what, Dictionary<string, int> outcomes)
        where T : class
    {
        try
        {
            var result = await call();
            Assert.True(status == 200, $"{what}: succeeded on an error status");
            Count(outcomes, "success");
            return result;
        }
        catch (BillingImportsApiException error) when (error.GetType() == typeof(BillingImportsApiException))
        {
            Assert.Equal(status, error.StatusCode);
            var expected = status == 200 ? ApiErrorKind.InvalidResponse : ApiErrorKindOf(status);
            Assert.True(error.Kind == expected || (status is 400 or 422 && error.Kind == ApiErrorKind.NotFound), $"{what}: kind {error.Kind}");
            Assert.True(error.Message.Length <= 300, $"{what}: message of {error.Message.Length} characters");
            Assert.DoesNotContain('\n', error.Message);
            Assert.True(error.ResponseBody is null || error.ResponseBody.Length <= BillingImportsApiException.MaxResponseBodyLength, what);
            _ = error.ToString();
            Count(outcomes, error.Kind.ToString());
            return null;
        }
        catch (Exception other) when (other is not Xunit.Sdk.XunitException)
        {
            Assert.Fail($"{what}: threw {other.GetType().FullName}: {other.Message}");
            return null;
        }
    }

    private static ApiErrorKind ApiErrorKindOf(int status) => status switch
    {
        400 => ApiErrorKind.BadRequest,
        401 => ApiErrorKind.Unauthorized,
        403 => ApiErrorKind.Forbidden,
        404 => ApiErrorKind.NotFound,
        422 => ApiErrorKind.Validation,
        429 => ApiErrorKind.RateLimited,
        >= 500 => ApiErrorKind.ServerError,
        _ => ApiErrorKind.Unknown,
    };

    private static void Count(Dictionary<string, int> outcomes, string key) => outcomes[key] = outcomes.GetValueOrDefault(key) + 1;

    private static HttpResponseMessage Response(int status, byte[] body, string? contentType)
    {
        var content = new ByteArrayContent(body);
        if (contentType is not null)
        {
            content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }

        return new HttpResponseMessage((HttpStatusCode)status) { Content = content };
    }

    private static HttpResponseMessage Response(int status, string body, string? contentType) => Response(status, Encoding.UTF8.GetBytes(body), contentType);

    private static string Preview(byte[] body) => Preview(Encoding.UTF8.GetString(body));

    private static string Preview(string body) => body.Length <= 80 ? body : body[..80] + "…";

    private static byte[] NextBody(Random random) => random.Next(12) switch
    {
        // A real document with members removed, re-typed or added: the tolerance rules at work.
        >= 10 => Encoding.UTF8.GetBytes(Perturb(random, JsonNode.Parse(Realistic[random.Next(2)])!).ToJsonString()),

        // Random JSON built from the members the models and the error reader look at.
        < 5 => Encoding.UTF8.GetBytes(RandomJson(random, 0)),

        // A realistic body cut anywhere.
        5 or 6 => Truncate(random, Realistic[random.Next(Realistic.Length)]),

        // A realistic body with one character replaced.
        7 => Mutate(random, Realistic[random.Next(Realistic.Length)]),

        // Deep nesting.
        8 => Encoding.UTF8.GetBytes(new string('[', random.Next(30, 3000)) + (random.Next(2) == 0 ? string.Empty : "1")),

        // Bytes.
        _ => RandomBytes(random),
    };

    private static JsonNode Perturb(Random random, JsonNode node)
    {
        if (node is JsonObject obj)
        {
            foreach (var name in obj.Select(member => member.Key).ToList())
            {
                switch (random.Next(10))
                {
                    case 0:
                        obj.Remove(name);
                        break;
                    case 1:
                        obj[name] = JsonNode.Parse(RandomJson(random, 3));
                        break;
                    default:
                        if (obj[name] is { } child)
                        {
                            Perturb(random, child);
                        }

                        break;
                }
            }

            if (random.Next(4) == 0)
            {
                obj["extra_" + random.Next(100).ToString(CultureInfo.InvariantCulture)] = JsonNode.Parse(RandomJson(random, 2));
            }
        }

        return node;
    }

    private static byte[] Truncate(Random random, string body) => Encoding.UTF8.GetBytes(body[..random.Next(body.Length)]);

    private static byte[] Mutate(Random random, string body)
    {
        var chars = body.ToCharArray();
        chars[random.Next(chars.Length)] = "{}[]\",:0-.e\\ntfa<"[random.Next(17)];
        return Encoding.UTF8.GetBytes(chars);
    }

    private static byte[] RandomBytes(Random random)
    {
        var bytes = new byte[random.Next(0, 200)];
        random.NextBytes(bytes);
        return bytes;
    }

    private static string RandomJson(Random random, int depth)
    {
        var builder = new StringBuilder();
        WriteValue(random, builder, depth);
        return builder.ToString();
    }

    private static void WriteValue(Random random, StringBuilder builder, int depth)
    {
        switch (random.Next(depth > 4 ? 6 : 9))
        {
            case 0:
                builder.Append("null");
                break;
            case 1:
                builder.Append(random.Next(2) == 0 ? "true" : "false");
                break;
            case 2:
                builder.Append(RandomNumber(random));
                break;
            case 3:
            case 4:
            case 5:
                builder.Append(JsonValue.Create(RandomString(random))!.ToJsonString());
                break;
            case 6:
                builder.Append('[');
                var items = random.Next(4);
                for (var i = 0; i < items; i++)
                {
                    if (i > 0)
                    {
                        builder.Append(',');
                    }

                    WriteValue(random, builder, depth + 1);
                }

                builder.Append(']');
                break;
            default:
                builder.Append('{');
                var members = random.Next(7);
                for (var i = 0; i < members; i++)
                {
                    if (i > 0)
                    {
                        builder.Append(',');
                    }

                    // Duplicate member names on purpose: Keys is small, so they repeat.
                    builder.Append(JsonValue.Create(Keys[random.Next(Keys.Length)])!.ToJsonString()).Append(':');
                    WriteValue(random, builder, depth + 1);
                }

                builder.Append('}');
                break;
        }
    }

    private static string RandomNumber(Random random) => random.Next(8) switch
    {
        0 => "0",
        1 => "-1",
        2 => "12.5",
        3 => "1e400",
        4 => "9223372036854775808",
        5 => "1.2e1",
        6 => random.Next().ToString(CultureInfo.InvariantCulture),
        _ => "-0.0",
    };

    private static string RandomString(Random random) => random.Next(12) switch
    {
        0 => string.Empty,
        1 => "2024-06-01T12:00:00.123456789Z",
        2 => "2024-06-01 12:00:00+0530",
        3 => "not a date",
        4 => "12",
        5 => "success",
        6 => "idle",
        7 => "<html><title>x</title>",
        8 => "Bearer abcdefghijklmnop",
        9 => "\u0000\u001b\ud83d\ude00",
        10 => new string('y', random.Next(0, 500)),
        _ => "Invalid UUID passed",
    };
}
