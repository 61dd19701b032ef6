using System.Text.RegularExpressions;

namespace BillingImports.Tests.Docs;

/// <summary>
/// The repository README links only inside the repository; the package README made from it at pack
/// time turns those links into absolute ones (eng/PackageReadme.targets).
/// </summary>
public partial class ReadmeLinksTests
{
    [Fact]
    public void RepositoryReadme_LinksOnlyToFilesInTheRepository()
    {
        var readme = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "README.md"));

        var targets = MarkdownLink().Matches(readme).Select(match => match.Groups["target"].Value).ToList();

        Assert.NotEmpty(targets);
        Assert.All(targets, target =>
        {
            Assert.False(Uri.TryCreate(target, UriKind.Absolute, out _), $"{target} leaves the repository");
            Assert.False(target.StartsWith("../", StringComparison.Ordinal) || target.StartsWith('/'), $"{target} leaves the repository");
        });
    }

    [GeneratedRegex(@"\]\((?<target>[^)\s]+)\)")]
    private static partial Regex MarkdownLink();
}
