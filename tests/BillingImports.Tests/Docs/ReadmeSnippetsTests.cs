using System.Text;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace BillingImports.Tests.Docs;

/// <summary>
/// Compiles every ```csharp block of the README against the SDK, so the documentation cannot drift
/// from the API. A block's <c>using</c> lines go to the top of the file; the rest becomes the body
/// of an async method with a <c>cancellationToken</c> in scope. Blocks are compiled, not run.
/// </summary>
public partial class ReadmeSnippetsTests
{
    [Fact]
    public void Readme_EveryCSharpSnippetCompilesAgainstTheSdk()
    {
        var readme = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "README.md"));
        var snippets = CSharpBlock().Matches(readme).Select(match => match.Groups["code"].Value).ToList();
        Assert.True(snippets.Count >= 3, $"expected C# snippets in the README, found {snippets.Count}");

        // The implicit usings of a .NET 10 project, which the snippets assume as a reader's project would.
        var source = new StringBuilder("""
            global using System;
            global using System.Collections.Generic;
            global using System.IO;
            global using System.Linq;
            global using System.Net.Http;
            global using System.Threading;
            global using System.Threading.Tasks;

            """);
        var body = new StringBuilder();
        for (var i = 0; i < snippets.Count; i++)
        {
            var lines = snippets[i].Split('\n');
            foreach (var line in lines.Where(IsUsingDirective))
            {
                source.AppendLine(line);
            }

            body.Append("    public static async System.Threading.Tasks.Task Snippet").Append(i).AppendLine("(System.Threading.CancellationToken cancellationToken)");
            body.AppendLine("    {");
            body.Append("#line 1 \"README snippet ").Append(i).AppendLine("\"");
            foreach (var line in lines.Where(line => !IsUsingDirective(line)))
            {
                body.AppendLine(line);
            }

            body.AppendLine("#line default");
            body.AppendLine("        await System.Threading.Tasks.Task.CompletedTask;");
            body.AppendLine("    }");
        }

        source.AppendLine("#pragma warning disable CS0105, CS0162, CS0168, CS0219, CS1998, CS8321");
        source.AppendLine("internal static class ReadmeSnippets").AppendLine("{").Append(body).AppendLine("}");

        var compilation = CSharpCompilation.Create(
            "ReadmeSnippets",
            [CSharpSyntaxTree.ParseText(source.ToString(), new CSharpParseOptions(LanguageVersion.Latest))],
            References(),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.ToString()).ToList();
        Assert.True(errors.Count == 0, string.Join(Environment.NewLine, errors));
    }

    private static IEnumerable<MetadataReference> References()
    {
        var platform = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        var local = Directory.GetFiles(AppContext.BaseDirectory, "*.dll");
        return platform.Concat(local)
            .GroupBy(Path.GetFileName, StringComparer.OrdinalIgnoreCase)
            .Select(group => group.First())
            .Where(path => !path.EndsWith("ReadmeSnippets.dll", StringComparison.OrdinalIgnoreCase))
            .Select(path => MetadataReference.CreateFromFile(path));
    }

    private static bool IsUsingDirective(string line) => UsingDirective().IsMatch(line);

    // `using BillingImports;` or `using Alias = X.Y;`, but not a using declaration (`using var x = ...;`).
    [GeneratedRegex(@"^using\s+(static\s+)?[A-Za-z_][\w.]*\s*(=\s*[\w.<>]+\s*)?;\s*$")]
    private static partial Regex UsingDirective();

    [GeneratedRegex("```csharp\\n(?<code>.*?)```", RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();
}
