using SpecBreakCheck;

namespace SpecBreakCheck.Tests.Support;

/// <summary>The released fixture spec, edits of it, and the check run on them.</summary>
internal static class Fixture
{
    public static string Released { get; } = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "released.yaml"));

    /// <summary>The released text with each edit applied; an edit whose text is not found exactly once fails the test.</summary>
    public static string Edit(params (string Before, string After)[] edits) => Edit(Released, edits);

    public static string Edit(string text, params (string Before, string After)[] edits)
    {
        foreach (var (before, after) in edits)
        {
            var first = text.IndexOf(before, StringComparison.Ordinal);
            Assert.True(first >= 0, $"The fixture does not contain:\n{before}");
            Assert.True(text.IndexOf(before, first + 1, StringComparison.Ordinal) < 0, $"The fixture contains more than once:\n{before}");
            text = string.Concat(text.AsSpan(0, first), after, text.AsSpan(first + before.Length));
        }

        return text;
    }

    /// <summary>The keys of every break from the released fixture (or <paramref name="baseline"/>) to <paramref name="current"/>.</summary>
    public static IReadOnlyList<string> Breaks(string current, string? baseline = null) =>
        SpecComparer.Compare(SpecDocumentLoader.Parse(baseline ?? Released, "released"), SpecDocumentLoader.Parse(current, "current"))
            .Select(change => change.Key)
            .ToList();
}
