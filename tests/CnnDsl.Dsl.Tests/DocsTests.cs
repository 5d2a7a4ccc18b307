using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using CnnDsl.Dsl.Diagnostics;
using Xunit;
using static CnnDsl.Dsl.Tests.TestSupport;

namespace CnnDsl.Dsl.Tests;

/// <summary>The documentation stays true: every example compiles as the text says.</summary>
public class DocsTests
{
    private sealed record Fence(string Language, string Text, int Line);

    private static string Read(string name) => File.ReadAllText(Path.Combine(RepositoryRoot, "docs", name)).Replace("\r\n", "\n");

    private static List<Fence> Fences(IEnumerable<string> lines, int firstLine = 1)
    {
        var fences = new List<Fence>();
        string? language = null;
        var body = new List<string>();
        var start = 0;
        var number = firstLine - 1;
        foreach (var line in lines)
        {
            number++;
            if (language is null && line.StartsWith("```", System.StringComparison.Ordinal))
            {
                language = line.Substring(3).Trim();
                body.Clear();
                start = number + 1;
            }
            else if (language is not null && line.TrimEnd() == "```")
            {
                fences.Add(new Fence(language, string.Join("\n", body), start));
                language = null;
            }
            else if (language is not null)
            {
                body.Add(line);
            }
        }

        Assert.True(language is null, "unclosed code fence");
        return fences;
    }

    public static IEnumerable<object[]> LanguageExamples =>
        Fences(Read("language.md").Split('\n')).Where(f => f.Language == "cnn" && FileName(f) is null).Select(f => new object[] { f.Line });

    /// <summary>A cnn block whose first line is <c># file: NAME</c> is a file the examples around it
    /// may import, not an example of its own.</summary>
    private static string? FileName(Fence fence)
    {
        var name = Regex.Match(fence.Text.Split('\n')[0], @"^# file: (?<name>[a-z0-9_]+\.cnn)$");
        return name.Success ? name.Groups["name"].Value : null;
    }

    /// <summary>What an example's <c>import "NAME"</c> reads: a file block of the same page (see
    /// <see cref="FileName"/>) or a shipped architecture of that name.</summary>
    private static Imports.FileImportResolver Imports(IEnumerable<Fence> fences)
    {
        var files = fences.Where(f => f.Language == "cnn" && FileName(f) is not null).ToDictionary(f => FileName(f)!, f => f.Text);
        return new Imports.FileImportResolver(path =>
        {
            var name = Path.GetFileName(path);
            if (files.TryGetValue(name, out var text)) return System.Text.Encoding.UTF8.GetBytes(text);
            var shipped = Path.Combine(RepositoryRoot, "architectures", name);
            return File.Exists(shipped) ? File.ReadAllBytes(shipped) : null;
        });
    }

    [Fact]
    public void The_language_reference_has_examples()
    {
        Assert.True(LanguageExamples.Count() >= 10);
        Assert.All(Fences(Read("language.md").Split('\n')), f => Assert.Contains(f.Language, new[] { "cnn", "text" }));
    }

    [Theory]
    [MemberData(nameof(LanguageExamples))]
    public void Language_example_compiles_and_its_stated_figures_hold(int line)
    {
        var fences = Fences(Read("language.md").Split('\n'));
        var fence = fences.Single(f => f.Line == line);
        var result = CnnCompiler.Compile($"docs/language.md:{line}", fence.Text, Imports(fences));
        Assert.True(result.Diagnostics.Count == 0, Render(result.Diagnostics));

        foreach (var comment in fence.Text.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("#", System.StringComparison.Ordinal)))
        {
            var parameters = Regex.Match(comment, @"^#\s*(?<model>[A-Za-z_]\w*): (?<count>[0-9][0-9,]*) parameters$");
            if (parameters.Success)
            {
                var expected = long.Parse(parameters.Groups["count"].Value.Replace(",", ""), CultureInfo.InvariantCulture);
                Assert.Equal(expected, ModelNamed(result, parameters.Groups["model"].Value).Parameters);
            }

            var auxiliary = Regex.Match(comment, @"^#\s*(?<model>[A-Za-z_]\w*) auxiliary parameters: (?<count>[0-9][0-9,]*)$");
            if (auxiliary.Success)
            {
                var expected = long.Parse(auxiliary.Groups["count"].Value.Replace(",", ""), CultureInfo.InvariantCulture);
                Assert.Equal(expected, ModelNamed(result, auxiliary.Groups["model"].Value).AuxiliaryParameters);
            }

            var multiplyAdds = Regex.Match(comment, @"^#\s*(?<model>[A-Za-z_]\w*) multiply-adds: (?<count>[0-9][0-9,]*)$");
            if (multiplyAdds.Success)
            {
                var expected = long.Parse(multiplyAdds.Groups["count"].Value.Replace(",", ""), CultureInfo.InvariantCulture);
                Assert.Equal(expected, ModelNamed(result, multiplyAdds.Groups["model"].Value).MultiplyAdds);
            }

            var output = Regex.Match(comment, @"^#\s*(?<model>[A-Za-z_]\w*) output: (?<shape>[0-9x]+)$");
            if (output.Success)
            {
                Assert.Equal(output.Groups["shape"].Value, ModelNamed(result, output.Groups["model"].Value).Output.ToString());
            }

            var keys = Regex.Match(comment, @"^#\s*(?<model>[A-Za-z_]\w*) keys: (?<keys>.+)$");
            if (keys.Success)
            {
                Assert.Equal(keys.Groups["keys"].Value.Split(',').Select(k => k.Trim()), ModelNamed(result, keys.Groups["model"].Value).Keys());
            }
        }
    }

    [Fact]
    public void Figure_comments_are_recognised()
    {
        // Guards the regular expressions above: the reference states this many checked figures.
        var comments = Fences(Read("language.md").Split('\n'))
            .Where(f => f.Language == "cnn")
            .SelectMany(f => f.Text.Split('\n'))
            .Select(l => l.Trim())
            .Count(l => Regex.IsMatch(l,
                @"^#\s*[A-Za-z_]\w*(: [0-9][0-9,]* parameters| auxiliary parameters: [0-9][0-9,]*| multiply-adds: [0-9][0-9,]*| output: [0-9x]+| keys: .+)$"));
        Assert.True(comments >= 30, $"only {comments} checked figures");
    }

    [Fact]
    public void The_architecture_line_counts_are_the_files_line_counts()
    {
        // docs/architectures.md states each file's `wc -l` (its number of newlines) and its code
        // lines (neither blank nor a comment); a file that grows or shrinks must update the table.
        var rows = Read("architectures.md").Split('\n')
            .Select(l => Regex.Match(l, @"^\| `(?<file>[a-z0-9_]+\.cnn)` \| (?<lines>[0-9]+) \| (?<code>[0-9]+) \|"))
            .Where(m => m.Success)
            .ToDictionary(m => m.Groups["file"].Value,
                m => (Lines: int.Parse(m.Groups["lines"].Value, CultureInfo.InvariantCulture), Code: int.Parse(m.Groups["code"].Value, CultureInfo.InvariantCulture)));
        var files = Directory.GetFiles(Path.Combine(RepositoryRoot, "architectures"), "*.cnn");
        Assert.Equal(files.Select(Path.GetFileName).OrderBy(f => f, System.StringComparer.Ordinal), rows.Keys.OrderBy(f => f, System.StringComparer.Ordinal));
        foreach (var file in files)
        {
            var text = File.ReadAllText(file).Replace("\r\n", "\n");
            var lines = text.Count(c => c == '\n');
            var code = text.Split('\n').Count(l => l.Trim().Length > 0 && !l.TrimStart().StartsWith("#", System.StringComparison.Ordinal));
            Assert.Equal((Path.GetFileName(file), rows[Path.GetFileName(file)].Lines, rows[Path.GetFileName(file)].Code), (Path.GetFileName(file), lines, code));
        }
    }

    private static Analysis.ModelInfo ModelNamed(CompilationResult result, string name) =>
        Assert.Single(result.Models, m => m.Name == name);

    /// <summary>The sections of diagnostics.md, by code: the lines after <c>## CNNxxxx</c> up to the next heading.</summary>
    private static Dictionary<string, (List<Fence> Fences, string Heading)> DiagnosticSections()
    {
        var lines = Read("diagnostics.md").Split('\n');
        var sections = new Dictionary<string, (List<Fence>, string)>();
        for (var i = 0; i < lines.Length; i++)
        {
            var heading = Regex.Match(lines[i], @"^## (?<code>CNN\d{4})\b");
            if (!heading.Success) continue;
            var end = i + 1;
            while (end < lines.Length && !lines[end].StartsWith("## ", System.StringComparison.Ordinal)) end++;
            var code = heading.Groups["code"].Value;
            Assert.False(sections.ContainsKey(code), code + " is documented twice");
            sections[code] = (Fences(lines.Skip(i + 1).Take(end - i - 1), i + 2), lines[i]);
        }

        return sections;
    }

    public static IEnumerable<object[]> Codes => DiagnosticCodes.All.Select(d => new object[] { d.Code });

    [Fact]
    public void Every_code_is_documented_and_nothing_else()
    {
        var sections = DiagnosticSections();
        Assert.Equal(DiagnosticCodes.All.Select(d => d.Code).OrderBy(c => c), sections.Keys.OrderBy(c => c));
        Assert.Equal(DiagnosticCodes.All.Count, DiagnosticCodes.All.Select(d => d.Code).Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(Codes))]
    public void Documented_example_produces_its_code_and_the_fix_compiles(string code)
    {
        var (fences, heading) = DiagnosticSections()[code];
        var descriptor = DiagnosticCodes.All.Single(d => d.Code == code);
        Assert.Equal($"## {code}: {descriptor.Title}", heading);

        // The first cnn block after the heading is the mistake; it produces this code first (the
        // count of diagnostics left out comes last, after the ones shown).
        var example = fences.First(f => f.Language == "cnn" && FileName(f) is null);
        var result = CompileExample(example.Text, "example.cnn", Imports(fences));
        Assert.NotEmpty(result.Diagnostics);
        Assert.Equal(code, code == DiagnosticCodes.TooManyDiagnostics.Code ? result.Diagnostics[^1].Code : result.Diagnostics[0].Code);

        // The text block after it is what `cnn check` prints for it (without colour); a line
        // `...` stands for any number of lines left out of the documentation.
        var printed = fences.SkipWhile(f => f != example).Skip(1).First();
        Assert.Equal("text", printed.Language);
        AssertPrinted(printed.Text, DiagnosticRenderer.Render(result.Diagnostics).TrimEnd('\n'));

        // The last cnn block is the corrected file: no diagnostic at all.
        var fix = fences.Last(f => f.Language == "cnn" && FileName(f) is null);
        Assert.NotSame(example, fix);
        var fixedResult = CompileExample(fix.Text, "fixed.cnn", Imports(fences));
        Assert.True(fixedResult.Diagnostics.Count == 0, Render(fixedResult.Diagnostics));
        Assert.NotEmpty(fixedResult.Models);
    }

    /// <summary>Compiles an example as `cnn check` reads a file: as bytes. In an example, <c>&lt;0xE9&gt;</c>
    /// stands for that single byte, and a line ending in <c># (repeated N times)</c> for N copies
    /// of itself.</summary>
    public static CompilationResult CompileExample(string text, string path, Imports.IImportResolver? imports = null)
    {
        var lines = text.Split('\n').SelectMany(line =>
        {
            var repeated = Regex.Match(line, @"#\s*\(repeated (?<n>[0-9][0-9,]*) times\)\s*$");
            return repeated.Success
                ? Enumerable.Repeat(line, int.Parse(repeated.Groups["n"].Value.Replace(",", ""), CultureInfo.InvariantCulture))
                : new[] { line };
        });
        var bytes = new List<byte>();
        foreach (var part in Regex.Split(string.Join("\n", lines), "(<0x[0-9A-F]{2}>)"))
        {
            if (Regex.IsMatch(part, "^<0x[0-9A-F]{2}>$")) bytes.Add(byte.Parse(part.Substring(3, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
            else bytes.AddRange(System.Text.Encoding.UTF8.GetBytes(part));
        }

        return CnnCompiler.Compile(path, bytes.ToArray(), imports);
    }

    [Fact]
    public void Warnings_are_documented_as_warnings()
    {
        var text = Read("diagnostics.md");
        foreach (var warning in DiagnosticCodes.All.Where(d => d.Severity == Severity.Warning))
        {
            Assert.Contains($"| [{warning.Code}](#{warning.Code.ToLowerInvariant()}-", text);
            var (fences, _) = DiagnosticSections()[warning.Code];
            var example = fences.First(f => f.Language == "cnn" && FileName(f) is null);
            var result = CompileExample(example.Text, "example.cnn", Imports(fences));
            Assert.False(result.HasErrors, Render(result.Diagnostics));
            Assert.All(result.Diagnostics, d => Assert.Equal(Severity.Warning, d.Severity));
        }
    }

    /// <summary>Equal line by line, where an expected line <c>...</c> matches any run of lines.</summary>
    private static void AssertPrinted(string expected, string actual)
    {
        var want = expected.Split('\n');
        var got = actual.Split('\n');
        if (!Matches(want, 0, got, 0)) Assert.Equal(expected, actual);
    }

    private static bool Matches(string[] want, int i, string[] got, int j)
    {
        if (i == want.Length) return j == got.Length;
        if (want[i] == "...")
        {
            for (var k = j; k <= got.Length; k++)
            {
                if (Matches(want, i + 1, got, k)) return true;
            }

            return false;
        }

        return j < got.Length && want[i] == got[j] && Matches(want, i + 1, got, j + 1);
    }
}
