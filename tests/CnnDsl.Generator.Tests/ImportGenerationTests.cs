using System.Linq;
using CnnDsl.Generator.Pipeline;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using Xunit;

namespace CnnDsl.Generator.Tests;

/// <summary>`import` in the generator: found among the additional files (never the disk), errors
/// located in the file they are in, and the incremental pipeline regenerating a file when a file it
/// imports changes, and only then.</summary>
public sealed class ImportGenerationTests
{
    private const string LibPath = "/project/shared/lib.cnn";
    private const string UserPath = "/project/models/user.cnn";
    private const string OtherPath = "/project/models/other.cnn";

    private static readonly GeneratorHarness.InMemoryText Lib =
        new(LibPath, "let width = 8\nblock unit(c) = conv: conv(c, 3, pad: 1) -> relu\n");

    private static readonly GeneratorHarness.InMemoryText User =
        new(UserPath, "namespace Imports.Test\nimport \"../shared/lib.cnn\"\nmodel User input 3x8x8 = a: unit(width) -> flatten -> fc: linear(2)\n");

    private static readonly GeneratorHarness.InMemoryText Other =
        new(OtherPath, "namespace Imports.Test\nmodel Other input 3x8x8 = conv(4, 3) -> flatten -> linear(2)\n");

    [Fact]
    public void A_model_using_an_imported_block_is_generated_and_compiles()
    {
        var driver = GeneratorHarness.Driver(new[] { Lib, User });
        driver.RunGeneratorsAndUpdateCompilation(GeneratorHarness.Compilation("class Placeholder {}"), out var output, out var diagnostics);

        Assert.Empty(diagnostics);
        var problems = output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        var user = output.SyntaxTrees.Single(t => t.FilePath.EndsWith("user.User.g.cs", System.StringComparison.Ordinal)).ToString();
        Assert.Contains("namespace Imports.Test", user);
        Assert.Contains("register_module(\"a\", ", user);
        Assert.Contains("public const long ParameterCount = " + (8 * 3 * 9 + 8 + 8 * 8 * 8 * 2 + 2) + "L;", user);
    }

    [Fact]
    public void An_import_not_among_the_additional_files_is_an_error_at_the_import_even_if_the_disk_has_it()
    {
        // The architecture files exist on the disk beside the tests; the generator must not read them.
        var path = GeneratorHarness.ArchitecturePath("user.cnn");
        var run = GeneratorHarness.Run((path, "import \"resnet.cnn\"\nmodel R = resnet(basic, [1, 1, 1, 1])\n"));
        var diagnostic = Assert.Single(run.Diagnostics);
        Assert.Equal("CNN0043", diagnostic.Id);
        Assert.Equal(path, diagnostic.Location.GetLineSpan().Path);
        Assert.Equal(new LinePosition(0, 7), diagnostic.Location.GetLineSpan().StartLinePosition);
        Assert.Empty(run.Results.Single().GeneratedSources);

        var withFile = GeneratorHarness.Run((path, "import \"resnet.cnn\"\nmodel R = resnet(basic, [1, 1, 1, 1])\n"), GeneratorHarness.Architecture("resnet.cnn"));
        Assert.Empty(withFile.Diagnostics);
        Assert.Contains(withFile.Results.Single().GeneratedSources, s => s.HintName == "user.R.g.cs");
    }

    [Fact]
    public void An_error_inside_an_imported_block_is_located_in_the_imported_file()
    {
        var lib = new GeneratorHarness.InMemoryText(LibPath, "block big(k) = conv(4, k)\n");
        var user = new GeneratorHarness.InMemoryText(UserPath, "import \"../shared/lib.cnn\"\nmodel User input 3x2x2 = big(7)\n");
        var run = GeneratorHarness.Driver(new[] { lib, user }).RunGenerators(GeneratorHarness.Compilation("class Placeholder {}")).GetRunResult();

        var diagnostic = Assert.Single(run.Diagnostics);
        Assert.Equal("CNN0031", diagnostic.Id);
        Assert.Equal(LibPath, diagnostic.Location.GetLineSpan().Path);
        Assert.Equal(new LinePosition(0, 15), diagnostic.Location.GetLineSpan().StartLinePosition);
    }

    [Fact]
    public void Editing_an_imported_file_regenerates_its_importers_and_no_other_file()
    {
        var compilation = GeneratorHarness.Compilation("class A {}");
        var driver = GeneratorHarness.Driver(new[] { Lib, User, Other }).RunGenerators(compilation);

        var editedLib = new GeneratorHarness.InMemoryText(LibPath, Lib.GetText()!.ToString().Replace("let width = 8", "let width = 6"));
        var run = driver.ReplaceAdditionalText(Lib, editedLib).RunGenerators(compilation).GetRunResult().Results.Single();

        var outputs = Generations(run);
        Assert.Equal(3, outputs.Count);
        Assert.Equal(IncrementalStepRunReason.Modified, outputs.Single(o => Names(o.Generation, "user.User")).Reason);
        var other = outputs.Single(o => Names(o.Generation, "other.Other"));
        Assert.True(other.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, other.Reason.ToString());
        Assert.Contains("6x8x8", outputs.Single(o => Names(o.Generation, "user.User")).Generation.Sources.Single(s => !s.HintName.EndsWith(".export.g.cs", System.StringComparison.Ordinal)).Text);
    }

    [Fact]
    public void Editing_an_importer_leaves_the_imported_file_and_the_others_cached()
    {
        var compilation = GeneratorHarness.Compilation("class A {}");
        var driver = GeneratorHarness.Driver(new[] { Lib, User, Other }).RunGenerators(compilation);

        var editedUser = new GeneratorHarness.InMemoryText(UserPath, User.GetText()!.ToString().Replace("linear(2)", "linear(3)"));
        var run = driver.ReplaceAdditionalText(User, editedUser).RunGenerators(compilation).GetRunResult().Results.Single();

        var outputs = Generations(run);
        Assert.Equal(IncrementalStepRunReason.Modified, outputs.Single(o => Names(o.Generation, "user.User")).Reason);
        Assert.All(outputs.Where(o => !Names(o.Generation, "user.User")),
            o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, o.Reason.ToString()));
    }

    [Fact]
    public void Adding_the_missing_imported_file_regenerates_the_importer()
    {
        var compilation = GeneratorHarness.Compilation("class A {}");
        var driver = GeneratorHarness.Driver(new[] { User, Other }).RunGenerators(compilation);
        Assert.Contains(driver.GetRunResult().Diagnostics, d => d.Id == "CNN0043");

        var run = driver.AddAdditionalTexts(System.Collections.Immutable.ImmutableArray.Create<AdditionalText>(Lib)).RunGenerators(compilation).GetRunResult();
        Assert.Empty(run.Diagnostics);
        var outputs = Generations(run.Results.Single());
        Assert.Equal(IncrementalStepRunReason.Modified, outputs.Single(o => Names(o.Generation, "user.User")).Reason);
        var other = outputs.Single(o => Names(o.Generation, "other.Other"));
        Assert.True(other.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, other.Reason.ToString());
    }

    [Fact]
    public void A_unit_holds_what_its_file_imports_directly_or_not_and_compares_by_value()
    {
        var files = System.Collections.Immutable.ImmutableArray.Create(
            File("/p/a.cnn", "import \"b.cnn\""), File("/p/b.cnn", "import \"sub/c.cnn\""), File("/p/sub/c.cnn", "import \"../a.cnn\""), File("/p/d.cnn", ""));
        var unit = CnnUnit.Of(files[0], files);
        Assert.Equal(new[] { "/p/b.cnn", "/p/sub/c.cnn" }, unit.Imports.Select(f => f.Path));
        Assert.Equal(unit, CnnUnit.Of(File("/p/a.cnn", "import \"b.cnn\""), files));
        Assert.Empty(CnnUnit.Of(files[3], files).Imports);
    }

    private static CnnFile File(string path, string text) =>
        new(path, text) { Imports = new EquatableArray<string>(CnnDsl.Dsl.CnnCompiler.ImportsOf(path, text)) };

    private static bool Names(FileGeneration generation, string hint) =>
        generation.Sources.Any(s => s.HintName == hint + ".g.cs");

    private static System.Collections.Generic.List<(FileGeneration Generation, IncrementalStepRunReason Reason)> Generations(GeneratorRunResult run) =>
        run.TrackedSteps[CnnModelGenerator.GenerationStep]
            .SelectMany(step => step.Outputs)
            .Select(o => ((FileGeneration)o.Value, o.Reason))
            .ToList();
}
