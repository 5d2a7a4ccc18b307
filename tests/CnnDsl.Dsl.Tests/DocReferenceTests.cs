using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Xunit;
using static CnnDsl.Dsl.Tests.TestSupport;

namespace CnnDsl.Dsl.Tests;

/// <summary>What the documentation cites is in the repository: every link to a file, every
/// repository path written in code spans (<c>tests/CnnDsl.Dsl.Tests/DocsTests.cs</c>), and every
/// Markdown file named anywhere (a <c>STYLE.md</c> cited but never written fails here).</summary>
public sealed class DocReferenceTests
{
    /// <summary>The Markdown a user reads: README.md and every file of docs/, tools/ and benchmarks/.</summary>
    public static TheoryData<string> Documents()
    {
        var data = new TheoryData<string>();
        data.Add("README.md");
        foreach (var folder in new[] { "docs", "tools", "benchmarks" })
        {
            foreach (var file in Directory.GetFiles(Path.Combine(RepositoryRoot, folder), "*.md", SearchOption.TopDirectoryOnly).OrderBy(f => f, System.StringComparer.Ordinal))
            {
                data.Add(Path.GetRelativePath(RepositoryRoot, file).Replace('\\', '/'));
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Documents))]
    public void Every_file_a_document_cites_exists(string document)
    {
        var path = Path.Combine(RepositoryRoot, document);
        var text = File.ReadAllText(path);
        var folder = Path.GetDirectoryName(path)!;
        var topLevel = Directory.GetFileSystemEntries(RepositoryRoot).Select(Path.GetFileName).ToHashSet();
        var missing = new List<string>();

        // Links: [text](target), relative to the document; web addresses and anchors aside.
        foreach (Match link in Regex.Matches(text, @"\]\((?<target>[^)\s#]+)(#[^)]*)?\)"))
        {
            var target = link.Groups["target"].Value;
            if (target.Contains("://") || target.StartsWith("mailto:")) continue;
            if (!Exists(Path.Combine(folder, target))) missing.Add($"link {target}");
        }

        // Paths in code spans that start at a top-level entry of the repository: `tests/...`, `.ci/run`
        // (from the root, or from the document's folder).
        foreach (Match span in Regex.Matches(text, "`(?<path>[A-Za-z0-9_.-]+/[A-Za-z0-9_./-]*[A-Za-z0-9_-])`"))
        {
            var candidate = span.Groups["path"].Value;
            if (!topLevel.Contains(candidate.Split('/')[0])) continue;
            // artifacts/ is where the documented commands write (git ignores it): not the repository's.
            if (candidate.StartsWith("artifacts/", System.StringComparison.Ordinal)) continue;
            if (candidate.Contains("<") || candidate.Contains("*")) continue;
            if (!Exists(Path.Combine(RepositoryRoot, candidate)) && !Exists(Path.Combine(folder, candidate))) missing.Add($"path {candidate}");
        }

        // Markdown files named anywhere, with or without a path: each must be one of the repository's.
        var markdown = Directory.GetFiles(RepositoryRoot, "*.md", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}"))
            .Select(Path.GetFileName)
            .ToHashSet();
        foreach (Match name in Regex.Matches(text, @"(?<![\w/.-])(?<name>[A-Za-z][A-Za-z0-9_-]*\.md)\b"))
        {
            if (!markdown.Contains(name.Groups["name"].Value)) missing.Add($"file {name.Groups["name"].Value}");
        }

        Assert.True(missing.Count == 0, $"{document} cites what the repository does not have: {string.Join(", ", missing.Distinct())}");
    }

    private static bool Exists(string path) => File.Exists(path) || Directory.Exists(path);
}
