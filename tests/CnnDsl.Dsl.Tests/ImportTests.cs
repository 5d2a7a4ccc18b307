using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using CnnDsl.Dsl.Diagnostics;
using CnnDsl.Dsl.Imports;
using Xunit;
using static CnnDsl.Dsl.Tests.TestSupport;

namespace CnnDsl.Dsl.Tests;

/// <summary><c>import "other.cnn"</c>: the other file's blocks, networks and constants become
/// names of the importing file; cycles, missing files and broken imported files are located
/// diagnostics at the import line.</summary>
public class ImportTests
{
    /// <summary>Compiles <paramref name="files"/>' first file with the others importable, as the
    /// generator does (an <see cref="ImportTable"/>, never the disk).</summary>
    private static CompilationResult CompileFiles(params (string Path, string Text)[] files) =>
        CnnCompiler.Compile(files[0].Path, files[0].Text, new ImportTable(files));

    private static CompilationResult CompileFilesClean(params (string Path, string Text)[] files)
    {
        var result = CompileFiles(files);
        Assert.True(result.Diagnostics.Count == 0, "unexpected diagnostics:\n" + Render(result.Diagnostics));
        return result;
    }

    private const string Library = """
        # Blocks for other files: no models, so no unused-declaration warnings.
        let width = 8
        block unit(c) = conv: conv(c, 3, pad: 1) -> bn: batchnorm -> relu
        network tiny(classes = 10) input 3x16x16 = stem: unit(width) -> avgpool: global_avgpool -> flatten -> fc: linear(classes)
        """;

    [Fact]
    public void Blocks_networks_and_constants_of_an_imported_file_are_names_of_the_importer()
    {
        var result = CompileFilesClean(
            ("models/main.cnn", """
                import "lib.cnn"
                model A input 3x16x16 = first: unit(width) -> second: unit(width * 2)
                model B = tiny(classes: 4)
                """),
            ("models/lib.cnn", Library));

        var a = result.Models.Single(m => m.Name == "A");
        Assert.Equal("16x16x16", a.Output.ToString());
        Assert.Equal("first.conv.weight", a.Keys()[0]);
        var b = result.Models.Single(m => m.Name == "B");
        Assert.Equal(new[] { "stem.conv.weight", "stem.conv.bias" }, b.Keys().Take(2));
        Assert.Equal(8 * 4 + 4, b.Layer("fc").Parameters);
        // The importer's models only: a file's models are classes of that file.
        Assert.Equal(new[] { "A", "B" }, result.Models.Select(m => m.Name));
    }

    [Fact]
    public void A_shipped_family_imported_gives_the_same_model_as_in_its_own_file()
    {
        var resnet = File.ReadAllText(Path.Combine(System.AppContext.BaseDirectory, "architectures", "resnet.cnn"));
        var result = CompileFilesClean(
            ("mine.cnn", "import \"architectures/resnet.cnn\"\nmodel Mine = resnet(basic, [2, 2, 2, 2])"),
            ("architectures/resnet.cnn", resnet));
        var mine = Assert.Single(result.Models);
        var resnet18 = ArchitectureModel("resnet.cnn", "ResNet18");
        Assert.Equal(resnet18.Parameters, mine.Parameters);
        Assert.Equal(resnet18.MultiplyAdds, mine.MultiplyAdds);
        Assert.Equal(resnet18.Keys(), mine.Keys());
    }

    [Fact]
    public void Paths_are_relative_to_the_importing_file_and_imports_do_not_pass_on()
    {
        // a imports b; b imports c and uses c's block; a sees b's names but not c's.
        var result = CompileFiles(
            ("project/nets/a.cnn", "import \"../shared/b.cnn\"\nmodel M input 1x4x4 = outer(2) -> inner(2)"),
            ("project/shared/b.cnn", "import \"deeper/c.cnn\"\nblock outer(c) = inner(c) -> relu"),
            ("project/shared/deeper/c.cnn", "block inner(c) = conv(c, 1)"));
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal(("CNN0010", "project/nets/a.cnn", 1, 34), (diagnostic.Code, diagnostic.Location.Path, diagnostic.Location.StartLine, diagnostic.Location.StartColumn));
        Assert.Equal("unknown name `inner`", diagnostic.Message);
    }

    [Fact]
    public void The_importers_own_declaration_wins_over_an_imported_one()
    {
        var result = CompileFilesClean(
            ("a.cnn", "import \"lib.cnn\"\nlet width = 2\nmodel M input 3x16x16 = unit(width)"),
            ("lib.cnn", Library));
        Assert.Equal("2x16x16", Assert.Single(result.Models).Output.ToString());
    }

    [Fact]
    public void A_name_two_imported_files_declare_is_an_error_only_where_it_is_used()
    {
        var files = new[]
        {
            ("a.cnn", "import \"x.cnn\"\nimport \"y.cnn\"\nmodel M input 1x4x4 = only_x -> shared"),
            ("x.cnn", "block shared = relu\nblock only_x = tanh"),
            ("y.cnn", "block shared = sigmoid"),
        };
        var diagnostic = Assert.Single(CompileFiles(files).Diagnostics);
        Assert.Equal(("CNN0011", 2, 32), (diagnostic.Code, diagnostic.Location.StartLine, diagnostic.Location.StartColumn));
        Assert.Equal("`shared` is declared by x.cnn and y.cnn, which this file both imports", diagnostic.Message);
        Assert.Equal(new[] { ("x.cnn", "`shared` in x.cnn"), ("y.cnn", "`shared` in y.cnn") },
            diagnostic.Related.Select(r => (r.Location.Path, r.Label)));

        var unused = new[] { ("a.cnn", "import \"x.cnn\"\nimport \"y.cnn\"\nmodel M input 1x4x4 = only_x"), files[1], files[2] };
        Assert.Empty(CompileFiles(unused).Diagnostics);
    }

    [Fact]
    public void An_error_inside_an_imported_block_is_located_in_the_imported_file()
    {
        var result = CompileFiles(
            ("a.cnn", "import \"lib.cnn\"\nmodel M input 3x2x2 = big(7)"),
            ("lib.cnn", "# a kernel from the argument\nblock big(k) = conv(4, k)"));
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal(("CNN0031", "lib.cnn", 1, 15), (diagnostic.Code, diagnostic.Location.Path, diagnostic.Location.StartLine, diagnostic.Location.StartColumn));
        Assert.Equal("block big(k) = conv(4, k)", diagnostic.Source!.LineText(1));
        // The rendered diagnostic shows the imported file's line.
        Assert.Contains("lib.cnn:2:16: error[CNN0031]", DiagnosticRenderer.Render(diagnostic));
        Assert.Contains("2 | block big(k) = conv(4, k)", DiagnosticRenderer.Render(diagnostic));
    }

    [Fact]
    public void A_missing_file_is_reported_at_its_path()
    {
        var diagnostic = Assert.Single(CompileFiles(("dir/a.cnn", "import \"../lib/nothing.cnn\"\nmodel M input 1x4x4 = relu")).Diagnostics);
        Assert.Equal(("CNN0043", Severity.Error, 0, 7, 27), (diagnostic.Code, diagnostic.Severity, diagnostic.Location.StartLine, diagnostic.Location.StartColumn, diagnostic.Location.EndColumn));
        Assert.Equal("cannot import `../lib/nothing.cnn`: no .cnn file of this project is at lib/nothing.cnn", diagnostic.Message);
        Assert.Contains("never the disk", diagnostic.Help);
    }

    [Fact]
    public void On_the_disk_a_missing_file_names_the_path_it_looked_at()
    {
        var files = new Dictionary<string, byte[]>();
        var resolver = new FileImportResolver(path => files.TryGetValue(path, out var bytes) ? bytes : null);
        var diagnostic = Assert.Single(CnnCompiler.Compile("nets/a.cnn", "import \"b.cnn\"\nmodel M input 1x4x4 = relu", resolver).Diagnostics);
        Assert.Equal("CNN0043", diagnostic.Code);
        Assert.Equal("cannot import `b.cnn`: there is no file nets/b.cnn", diagnostic.Message);

        files["nets/b.cnn"] = Encoding.UTF8.GetBytes("block b = relu");
        Assert.Empty(CnnCompiler.Compile("nets/a.cnn", "import \"b.cnn\"\nmodel M input 1x4x4 = b", resolver).Diagnostics);
    }

    [Fact]
    public void Text_compiled_on_its_own_cannot_import()
    {
        var diagnostic = Assert.Single(Compile("import \"lib.cnn\"\nmodel M input 1x4x4 = relu").Diagnostics);
        Assert.Equal(("CNN0043", 0, 7), (diagnostic.Code, diagnostic.Location.StartLine, diagnostic.Location.StartColumn));
        Assert.Equal("cannot import `lib.cnn`: this text was checked on its own, with no files around it", diagnostic.Message);
    }

    [Fact]
    public void A_file_importing_itself_is_a_cycle()
    {
        var diagnostic = Assert.Single(CompileFiles(("a.cnn", "import \"./a.cnn\"\nmodel M input 1x4x4 = relu")).Diagnostics);
        Assert.Equal(("CNN0044", 0, 7), (diagnostic.Code, diagnostic.Location.StartLine, diagnostic.Location.StartColumn));
        Assert.Equal("importing `./a.cnn` leads back to this file: a.cnn imports \"./a.cnn\"", diagnostic.Message);
    }

    [Fact]
    public void A_cycle_through_the_checked_file_is_reported_at_its_import_that_starts_it()
    {
        var result = CompileFiles(
            ("a.cnn", "import \"lib.cnn\"\nimport \"b.cnn\"\nmodel M input 3x16x16 = unit(4) -> from_b"),
            ("b.cnn", "import \"c.cnn\"\nblock from_b = relu"),
            ("c.cnn", "import \"a.cnn\"\nblock from_c = relu"),
            ("lib.cnn", Library));
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal(("CNN0044", "a.cnn", 1, 7), (diagnostic.Code, diagnostic.Location.Path, diagnostic.Location.StartLine, diagnostic.Location.StartColumn));
        Assert.Equal("importing `b.cnn` leads back to this file: a.cnn imports \"b.cnn\", which imports \"c.cnn\", which imports \"a.cnn\"", diagnostic.Message);
        var closing = Assert.Single(diagnostic.Related);
        Assert.Equal(("c.cnn", 0, 7, "the import that closes the circle"), (closing.Location.Path, closing.Location.StartLine, closing.Location.StartColumn, closing.Label));
    }

    [Fact]
    public void A_cycle_among_imported_files_makes_the_import_that_reaches_it_fail()
    {
        var result = CompileFiles(
            ("a.cnn", "import \"b.cnn\"\nmodel M input 1x4x4 = from_b"),
            ("b.cnn", "import \"c.cnn\"\nblock from_b = relu"),
            ("c.cnn", "import \"b.cnn\"\nblock from_c = relu"));
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal(("CNN0045", 0, 7), (diagnostic.Code, diagnostic.Location.StartLine, diagnostic.Location.StartColumn));
        Assert.Equal("`b.cnn` has an error (in it or in the files it imports), so it cannot be used whole; the first: its imports go round in a circle: b.cnn imports \"c.cnn\", which imports \"b.cnn\" (c.cnn:1:8)", diagnostic.Message);
    }

    [Fact]
    public void An_imported_file_with_syntax_errors_is_reported_at_the_import_with_its_first_error()
    {
        var result = CompileFiles(
            ("a.cnn", "import \"lib.cnn\"\nmodel M input 1x4x4 = good"),
            ("lib.cnn", "block good = relu\nblock bad = conv(4 3)\nlet also = ]"));
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal(("CNN0045", 0, 7), (diagnostic.Code, diagnostic.Location.StartLine, diagnostic.Location.StartColumn));
        Assert.StartsWith("`lib.cnn` has 2 errors (in it or in the files it imports), so it cannot be used whole; the first: unexpected number `3`", diagnostic.Message);
        Assert.EndsWith("(lib.cnn:2:20)", diagnostic.Message);
        var first = Assert.Single(diagnostic.Related);
        Assert.Equal(("lib.cnn", 1, 19), (first.Location.Path, first.Location.StartLine, first.Location.StartColumn));
        // What did parse can still be used; what did not stays quiet where used.
        Assert.Single(CompileFiles(("a.cnn", "import \"lib.cnn\"\nmodel M input 1x4x4 = good -> bad"), ("lib.cnn", "block good = relu\nblock bad = conv(4 3)")).Diagnostics);
    }

    [Fact]
    public void A_file_imported_twice_is_read_once()
    {
        var reads = new List<string>();
        var files = new Dictionary<string, string>
        {
            ["b.cnn"] = "import \"d.cnn\"\nblock from_b = from_d",
            ["c.cnn"] = "import \"d.cnn\"\nblock from_c = from_d",
            ["d.cnn"] = "block from_d = conv(2, 1)",
        };
        var resolver = new FileImportResolver(path =>
        {
            reads.Add(path);
            return files.TryGetValue(path, out var text) ? Encoding.UTF8.GetBytes(text) : null;
        });
        var result = CnnCompiler.Compile("a.cnn", "import \"b.cnn\"\nimport \"c.cnn\"\nimport \"b.cnn\"\nmodel M input 1x4x4 = from_b -> from_c", resolver);
        Assert.Empty(result.Diagnostics);
        Assert.Equal(2 * 1 + 2 + (2 * 2 + 2), Assert.Single(result.Models).Parameters); // 1x1 convolutions 1 -> 2 and 2 -> 2
        Assert.Equal(new[] { "b.cnn", "d.cnn", "c.cnn" }, reads);
        Assert.Equal(new[] { "a.cnn", "b.cnn", "d.cnn", "c.cnn" }, result.Sources!.Files.Select(f => f.Path));
    }

    [Fact]
    public void Imports_reach_a_bounded_number_of_files()
    {
        var files = new List<(string, string)> { ("f0.cnn", "import \"f1.cnn\"\nmodel M input 1x4x4 = relu") };
        for (var i = 1; i < 100; i++) files.Add(($"f{i}.cnn", $"import \"f{i + 1}.cnn\"\nblock b{i} = relu"));
        var diagnostic = CompileFiles(files.ToArray()).Diagnostics.First();
        Assert.Equal(("CNN0043", 0, 7), (diagnostic.Code, diagnostic.Location.StartLine, diagnostic.Location.StartColumn));
        Assert.Equal($"the imports of this file reach more than {ImportLoader.MaxFiles} files, more than CnnDsl reads for one file", diagnostic.Message);
    }

    [Theory]
    [InlineData("import lib.cnn", "CNN0001", 7)]
    [InlineData("import", "CNN0001", 6)]
    [InlineData("import \"a.cnn\" \"b.cnn\"", "CNN0001", 15)]
    public void A_malformed_import_line_is_a_syntax_error(string line, string code, int column)
    {
        var diagnostic = CompileFiles(("a.cnn", line + "\nmodel M input 1x4x4 = relu")).Diagnostics.First();
        Assert.Equal((code, 0, column), (diagnostic.Code, diagnostic.Location.StartLine, diagnostic.Location.StartColumn));
    }

    [Fact]
    public void The_imported_files_unused_declarations_are_not_the_importers_concern()
    {
        Assert.Empty(CompileFiles(("a.cnn", "import \"lib.cnn\"\nmodel M input 1x4x4 = relu"), ("lib.cnn", Library)).Diagnostics);
    }

    [Fact]
    public void A_constant_of_an_imported_file_used_twice_names_its_definition_there()
    {
        var result = CompileFiles(("a.cnn", "import \"lib.cnn\"\nmodel M input 8x4x4 = c -> c"), ("lib.cnn", "let c = conv(8, 1)"));
        var warning = Assert.Single(result.Diagnostics);
        Assert.Equal(("CNN0042", "a.cnn", 1, 27), (warning.Code, warning.Location.Path, warning.Location.StartLine, warning.Location.StartColumn));
        Assert.Contains(warning.Related, r => r.Location.Path == "lib.cnn" && r.Label == "`c` is defined here");
    }

    [Theory]
    [InlineData("a/b.cnn", "c.cnn", "a/c.cnn")]
    [InlineData("a/b.cnn", "../c.cnn", "c.cnn")]
    [InlineData("a/b.cnn", "../../c.cnn", "../c.cnn")]
    [InlineData("b.cnn", "./x/./y/../c.cnn", "x/c.cnn")]
    [InlineData("/p/a/b.cnn", "../c.cnn", "/p/c.cnn")]
    [InlineData("/p/b.cnn", "../../c.cnn", "/c.cnn")]
    [InlineData(@"C:\p\a\b.cnn", @"..\c.cnn", "C:/p/c.cnn")]
    [InlineData("a/b.cnn", "/abs/c.cnn", "/abs/c.cnn")]
    [InlineData("a//b.cnn", "c.cnn", "a/c.cnn")]
    public void Import_paths_resolve_on_strings_alone(string importing, string import, string expected) =>
        Assert.Equal(expected, ImportPaths.Resolve(importing, import));
}
