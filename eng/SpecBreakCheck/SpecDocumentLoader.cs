using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;

namespace SpecBreakCheck;

/// <summary>Reads an OpenAPI document (YAML or JSON) with OpenAPI.NET, refusing one it cannot read cleanly.</summary>
internal static class SpecDocumentLoader
{
    /// <summary>Reads the document at <paramref name="path"/>.</summary>
    /// <exception cref="SpecLoadException">The file is missing or is not a readable OpenAPI document.</exception>
    public static OpenApiDocument Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new SpecLoadException($"{path}: no such file.");
        }

        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>Reads a document from its text; <paramref name="name"/> names it in errors.</summary>
    /// <exception cref="SpecLoadException">The text is not a readable OpenAPI document.</exception>
    public static OpenApiDocument Parse(string text, string name)
    {
        var settings = new OpenApiReaderSettings();
        settings.AddYamlReader();
        ReadResult result;
        try
        {
            // JSON is YAML, so the YAML reader takes both forms.
            result = OpenApiDocument.Parse(text, OpenApiConstants.Yaml, settings);
        }
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            throw new SpecLoadException($"{name}: not an OpenAPI document ({error.Message}).", error);
        }

        // A document read with errors would be compared from a partial model, hiding real breaks.
        var errors = result.Diagnostic?.Errors ?? [];
        if (errors.Count > 0 || result.Document is null)
        {
            throw new SpecLoadException($"{name}: {string.Join("; ", errors.Select(e => e.ToString()))}");
        }

        return result.Document;
    }
}
