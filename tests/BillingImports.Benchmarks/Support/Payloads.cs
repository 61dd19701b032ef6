using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace BillingImports.Benchmarks.Support;

/// <summary>The response bodies every benchmark reads: the spec's shapes, at realistic sizes.</summary>
public static class Payloads
{
    public const string DataSourceUuid = "ds_fef05d54-47b4-431b-aed2-eb6b9e545430";
    public const string ImportId = "11111111-2222-3333-4444-555555555555";

    /// <summary>The token the loopback server issues: long enough to be one of the secrets the SDK scrubs.</summary>
    public const string AccessToken = "benchmark-access-token-0123456789";

    public static byte[] DataSource { get; } = Encoding.UTF8.GetBytes(new JsonObject
    {
        ["uuid"] = DataSourceUuid,
        ["name"] = "In-house billing",
        ["system"] = "Import API",
        ["created_at"] = "2023-01-10T15:34:05.918Z",
        ["status"] = "idle",
    }.ToJsonString());

    /// <summary>An import with the three record types the newest API version reports.</summary>
    public static byte[] SmallImport { get; } = Import([RecordTypes.Offering, RecordTypes.Subscription, RecordTypes.Feature]);

    /// <summary>An import with 200 record types: a map far larger than any real version sends.</summary>
    public static byte[] LargeImport { get; } = Import(Enumerable.Range(0, 200).Select(i => "record_type_" + i.ToString(CultureInfo.InvariantCulture)).ToArray());

    /// <summary>One page of two failing lines.</summary>
    public static byte[] ImportErrors { get; } = Encoding.UTF8.GetBytes("""
        {"data":[{"id":"3f2a1c9e-8d7b-4e6f-a5c4-b3a2918f7e6d","type":"subscription_import_error","meta":{"line_number":17,"field":"plan_id","error":"not found","external_ref":"sub-0017"}},{"id":"7c6b5a49-3827-4165-9e8d-7c6b5a493827","type":"subscription_import_error","meta":{"line_number":42,"field":"email","error":"is not a valid email address","external_ref":"sub-0042"}}],"meta":{"page":{"limit":2,"offset":0,"current":1,"total":1},"results":{"total":2}}}
        """);

    public static byte[] ImportWithStatus(string status, long imported, long uploaded) => Encoding.UTF8.GetBytes(ImportJson([RecordTypes.Subscription], status, imported, uploaded));

    private static byte[] Import(string[] keys) => Encoding.UTF8.GetBytes(ImportJson(keys, "started", 40, 100));

    private static string ImportJson(string[] keys, string status, long imported, long uploaded)
    {
        var uploadedMap = new JsonObject();
        var importedMap = new JsonObject();
        foreach (var key in keys)
        {
            uploadedMap[key] = uploaded;
            importedMap[key] = imported;
        }

        return new JsonObject
        {
            ["data"] = new JsonObject
            {
                ["id"] = ImportId,
                ["type"] = "subscription_import",
                ["attributes"] = new JsonObject
                {
                    ["external_ref"] = "nightly-2024-05-01",
                    ["status"] = status,
                },
                ["meta"] = new JsonObject
                {
                    ["owner"] = "store",
                    ["timestamps"] = new JsonObject
                    {
                        ["updated_at"] = "2024-05-01T09:03:10.654321Z",
                        ["created_at"] = "2024-05-01T09:00:00.123456Z",
                        ["started_at"] = "2024-05-01T09:00:05.000001Z",
                    },
                    ["records"] = new JsonObject { ["uploaded"] = uploadedMap, ["imported"] = importedMap },
                },
            },
        }.ToJsonString();
    }
}
