using System.Reflection;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace BillingImports.Tests.Docs;

/// <summary>
/// The service sends record counts under <c>data.meta.records</c>, keyed by record type
/// (<c>subscription_plan</c>, ...). An earlier, invented shape put them under
/// <c>data.attributes.records</c> with keys such as <c>plans</c>; no file of the repository (spec,
/// sources, tests, benchmarks, docs) may describe, build or read that shape again.
/// </summary>
public sealed partial class RecordShapeTests
{
    private static readonly string[] InventedKeys = ["products", "plans", "subscribers", "offerings", "subscriptions", "features"];
    private static readonly string[] TextExtensions = [".cs", ".yaml", ".yml", ".json", ".md", ".liquid", ".props", ".targets", ".csproj", ".sh", ".txt"];
    private static readonly string[] SkippedDirectories = [".git", "bin", "obj", "artifacts", "TestResults", "BenchmarkDotNet.Artifacts"];

    [Fact]
    public void Repository_HasNoRecordsUnderAttributes()
    {
        var findings = RepositoryFiles().SelectMany(file => RecordsUnderAttributes(File.ReadAllText(file), Path.GetExtension(file)).Select(finding => $"{Relative(file)}: {finding}")).ToList();

        Assert.True(findings.Count == 0, string.Join(Environment.NewLine, findings));
    }

    [Fact]
    public void Repository_UsesNoInventedRecordKeys()
    {
        var findings = RepositoryFiles().SelectMany(file => InventedRecordKeys(File.ReadAllText(file), Path.GetExtension(file)).Select(finding => $"{Relative(file)}: {finding}")).ToList();

        Assert.True(findings.Count == 0, string.Join(Environment.NewLine, findings));
    }

    [Fact]
    public void Repository_ScanCoversTheSpecTheSourcesTheTestsAndTheReadme()
    {
        var files = RepositoryFiles().Select(Relative).ToList();

        Assert.Contains("openapi/billing-imports.yaml", files);
        Assert.Contains("README.md", files);
        Assert.Contains(files, file => file.StartsWith("src/BillingImports/Models/", StringComparison.Ordinal));
        Assert.Contains(files, file => file.StartsWith("src/BillingImports.Testing/", StringComparison.Ordinal));
        Assert.Contains(files, file => file.StartsWith("tests/BillingImports.Benchmarks/", StringComparison.Ordinal));
        Assert.Contains("tests/BillingImports.Tests/Support/ScriptedServer.cs", files);
        Assert.DoesNotContain(files, file => file.Contains("/obj/", StringComparison.Ordinal) || file.Contains("/bin/", StringComparison.Ordinal));
    }

    [Fact]
    public void GeneratedAttributesModel_HasNoRecords()
    {
        var names = typeof(SubscriptionImportAttributes).GetProperties().Select(p => p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? p.Name);

        Assert.DoesNotContain(names, name => name.Equals("records", StringComparison.OrdinalIgnoreCase));
        Assert.Contains(typeof(SubscriptionImportMeta).GetProperties(), p => p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name == "records");
    }

    public static TheoryData<string, string> OldShapes() => new()
    {
        { ".json", """{"data":{"attributes":{"status":"failed","records":{"uploaded":{"subscription_plan":2},"imported":{}}}}}""" },
        { ".cs", """ var body = "{\"attributes\":{\"status\":\"started\",\"records\":{}}}"; """ },
        { ".cs", "[\"attributes\"] = new JsonObject\n{\n    [\"status\"] = status,\n    [\"records\"] = new JsonObject { [\"uploaded\"] = new JsonObject() },\n}," },
        { ".cs", "public sealed class FloorImportAttributes\n{\n    [JsonPropertyName(\"status\")] public string Status { get; set; } = \"\";\n    [JsonPropertyName(\"records\")] public FloorRecords Records { get; set; } = new();\n}" },
        { ".yaml", "attributes:\n  status: failed\n  records:\n    uploaded:\n      subscription_plan: 2\nmeta:\n  owner: store\n" },
    };

    [Theory]
    [MemberData(nameof(OldShapes))]
    public void Scan_FindsRecordsUnderAttributesInEveryForm(string extension, string text) =>
        Assert.NotEmpty(RecordsUnderAttributes(text, extension));

    public static TheoryData<string, string> VendorShapes() => new()
    {
        { ".json", """{"data":{"attributes":{"external_ref":"abc123","status":"pending"},"meta":{"owner":"store","records":{"uploaded":{"subscription_plan":2},"imported":{}}}}}""" },
        { ".cs", "[\"attributes\"] = new JsonObject { [\"status\"] = status },\n[\"meta\"] = new JsonObject { [\"records\"] = new JsonObject() }," },
        { ".yaml", "attributes:\n  status: failed\nmeta:\n  owner: store\n  records:\n    uploaded:\n      subscription_plan: 2\n" },
    };

    [Theory]
    [MemberData(nameof(VendorShapes))]
    public void Scan_PassesTheVendorShape(string extension, string text)
    {
        Assert.Empty(RecordsUnderAttributes(text, extension));
        Assert.Empty(InventedRecordKeys(text, extension));
    }

    [Theory]
    [InlineData(".json", """{"uploaded":{"subscriptions":10}}""")]
    [InlineData(".cs", """server.Imports.Add(id).WithUploadedRecords(("plans", 2));""")]
    [InlineData(".cs", """Assert.Equal(4, import.Records.Imported["subscribers"]);""")]
    [InlineData(".yaml", "uploaded:\n  products: 1\n")]
    public void Scan_FindsInventedKeys(string extension, string text) =>
        Assert.NotEmpty(InventedRecordKeys(text, extension));

    private static IEnumerable<string> RecordsUnderAttributes(string text, string extension)
    {
        // JSON, raw or escaped inside a C# string, and System.Text.Json node builders: the attributes
        // object, braces balanced, must not hold a records member.
        foreach (Match open in AttributesObjectOpening().Matches(text))
        {
            if (RecordsMember().IsMatch(BalancedBlock(text, open.Index + open.Length - 1)))
            {
                yield return $"records under attributes at offset {open.Index}";
            }
        }

        // A model of the attributes object with a records property.
        foreach (Match open in AttributesClassOpening().Matches(text))
        {
            if (RecordsProperty().IsMatch(BalancedBlock(text, open.Index + open.Length - 1)))
            {
                yield return $"records property in {open.Groups["name"].Value}";
            }
        }

        if (extension is ".yaml" or ".yml")
        {
            // An attributes key whose more-indented block holds a records key.
            var lines = text.Split('\n');
            for (var i = 0; i < lines.Length; i++)
            {
                var attributes = YamlKey().Match(lines[i]);
                if (!attributes.Success || attributes.Groups["key"].Value != "attributes")
                {
                    continue;
                }

                var indent = attributes.Groups["indent"].Length;
                for (var j = i + 1; j < lines.Length && (lines[j].Trim().Length == 0 || LeadingSpaces(lines[j]) > indent); j++)
                {
                    if (YamlKey().Match(lines[j]) is { Success: true } child && child.Groups["key"].Value == "records")
                    {
                        yield return $"records under attributes on line {j + 1}";
                    }
                }
            }
        }
    }

    private static IEnumerable<string> InventedRecordKeys(string text, string extension)
    {
        foreach (var key in InventedKeys)
        {
            // Quoted, as a JSON member, a C# string or a YAML quoted key.
            if (text.Contains('"' + key + '"', StringComparison.Ordinal) || text.Contains("\\\"" + key + "\\\"", StringComparison.Ordinal))
            {
                yield return $"the record key \"{key}\"";
            }

            // A YAML map entry with a count.
            if (extension is ".yaml" or ".yml" && Regex.IsMatch(text, @"(?m)^\s*" + key + @":\s*\d"))
            {
                yield return $"the YAML record key {key}";
            }
        }
    }

    /// <summary>The text from the brace at <paramref name="start"/> to its matching close (or the end).</summary>
    private static string BalancedBlock(string text, int start)
    {
        var depth = 0;
        for (var i = start; i < text.Length; i++)
        {
            if (text[i] == '{')
            {
                depth++;
            }
            else if (text[i] == '}' && --depth == 0)
            {
                return text[start..(i + 1)];
            }
        }

        return text[start..];
    }

    private static int LeadingSpaces(string line) => line.Length - line.TrimStart(' ').Length;

    private static IEnumerable<string> RepositoryFiles()
    {
        var root = RepositoryRoot();
        var self = Path.Combine(root, "tests", "BillingImports.Tests", "Docs", nameof(RecordShapeTests) + ".cs");
        var pending = new Stack<string>([root]);
        while (pending.Count > 0)
        {
            var directory = pending.Pop();
            foreach (var child in Directory.EnumerateDirectories(directory))
            {
                if (!SkippedDirectories.Contains(Path.GetFileName(child), StringComparer.Ordinal))
                {
                    pending.Push(child);
                }
            }

            foreach (var file in Directory.EnumerateFiles(directory))
            {
                // This file names the old shape on purpose, to show the scan can find it.
                if (TextExtensions.Contains(Path.GetExtension(file), StringComparer.OrdinalIgnoreCase) && file != self)
                {
                    yield return file;
                }
            }
        }
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Generated.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("The tests run outside the repository: no Generated.sln above " + AppContext.BaseDirectory);
    }

    private static string Relative(string file) => Path.GetRelativePath(RepositoryRoot(), file).Replace('\\', '/');

    // "attributes": {   \"attributes\":{   ["attributes"] = new JsonObject {   ["attributes"] = new JsonObject() {
    [GeneratedRegex(@"(\\?""attributes\\?""\s*:\s*\{)|(\[""attributes""\]\s*=\s*new\s+JsonObject\s*(\(\s*\))?\s*\{)")]
    private static partial Regex AttributesObjectOpening();

    [GeneratedRegex(@"(\\?""records\\?""\s*:)|(\[""records""\]\s*=)")]
    private static partial Regex RecordsMember();

    [GeneratedRegex(@"class\s+(?<name>\w*Attributes)\b[^{;]*\{")]
    private static partial Regex AttributesClassOpening();

    [GeneratedRegex(@"JsonPropertyName\(\s*""records""\s*\)")]
    private static partial Regex RecordsProperty();

    [GeneratedRegex(@"^(?<indent> *)(?<key>[A-Za-z_][\w-]*):")]
    private static partial Regex YamlKey();
}
