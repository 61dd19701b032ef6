using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace SpecBreakCheck;

/// <summary>
/// Reads the committed list of acknowledged breaks:
/// <code>
/// acknowledged:
///   - change: "operation-id-changed: GET /v1/things/{id}"
///     reason: Renamed to match the vendor's documentation; clients regenerate.
/// </code>
/// </summary>
internal static class AcknowledgementFile
{
    /// <summary>Reads the file at <paramref name="path"/>.</summary>
    /// <exception cref="SpecLoadException">The file is missing or malformed, or an entry has no change or no reason.</exception>
    public static IReadOnlyList<Acknowledgement> Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new SpecLoadException($"{path}: no such file.");
        }

        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>Reads acknowledgements from text; <paramref name="name"/> names it in errors.</summary>
    /// <exception cref="SpecLoadException">The text is malformed, or an entry has no change or no reason.</exception>
    public static IReadOnlyList<Acknowledgement> Parse(string text, string name)
    {
        // Unknown keys are errors, so a misspelt "reason" cannot pass as an entry without one.
        var deserializer = new DeserializerBuilder().WithNamingConvention(CamelCaseNamingConvention.Instance).Build();
        Document? document;
        try
        {
            document = deserializer.Deserialize<Document?>(text);
        }
        catch (YamlException error)
        {
            throw new SpecLoadException($"{name}: {error.Message}", error);
        }

        var acknowledgements = new List<Acknowledgement>();
        foreach (var (entry, index) in (document?.Acknowledged ?? []).Select((entry, index) => (entry, index + 1)))
        {
            if (string.IsNullOrWhiteSpace(entry.Change) || string.IsNullOrWhiteSpace(entry.Reason))
            {
                throw new SpecLoadException($"{name}: entry {index} needs both a change and a reason.");
            }

            acknowledgements.Add(new Acknowledgement(entry.Change.Trim(), entry.Reason.Trim()));
        }

        return acknowledgements;
    }

    /// <summary>The file's shape, for the YAML reader.</summary>
    private sealed class Document
    {
        public List<Entry>? Acknowledged { get; set; }
    }

    /// <summary>One entry, for the YAML reader.</summary>
    private sealed class Entry
    {
        public string? Change { get; set; }

        public string? Reason { get; set; }
    }
}
