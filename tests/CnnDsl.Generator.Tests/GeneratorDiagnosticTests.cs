using System;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace CnnDsl.Generator.Tests;

public sealed class GeneratorDiagnosticTests
{
    [Fact]
    public void A_cnn_error_is_a_build_error_located_in_the_cnn_file()
    {
        const string path = "/project/nets/broken.cnn";
        // The misspelled name sits on line 3 (0-based 2) after "  conv(8, 3) -> relu -> ": 0-based columns 24 to 30.
        const string text = "# a small net\nmodel Broken input 1x28x28 =\n  conv(8, 3) -> relu -> maxpol(2) -> flatten -> linear(10)\n";

        var result = GeneratorHarness.Run((path, text));
        var diagnostic = Assert.Single(result.Diagnostics);

        Assert.Equal("CNN0010", diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        var span = diagnostic.Location.GetLineSpan();
        Assert.Equal(path, span.Path);
        Assert.Equal(2, span.StartLinePosition.Line);
        Assert.Equal(24, span.StartLinePosition.Character);
        Assert.Equal(30, span.EndLinePosition.Character);
        Assert.Contains("maxpol", diagnostic.GetMessage());
        Assert.Contains("maxpool", diagnostic.GetMessage());
        Assert.Empty(result.GeneratedTrees);
    }

    [Fact]
    public void A_shape_error_points_at_the_layer_that_cannot_take_its_input()
    {
        const string text = "model Flat input 3x32x32 =\n  conv(8, 3)\n  -> linear(10)\n";
        var diagnostic = Assert.Single(GeneratorHarness.Run(("/p/flat.cnn", text)).Diagnostics);

        Assert.Equal("CNN0033", diagnostic.Id);
        var span = diagnostic.Location.GetLineSpan();
        Assert.Equal(2, span.StartLinePosition.Line);
        Assert.Equal(5, span.StartLinePosition.Character);
        Assert.Contains("8x30x30", diagnostic.GetMessage());
    }

    [Fact]
    public void A_good_file_beside_a_broken_one_still_generates()
    {
        var result = GeneratorHarness.Run(("/p/bad.cnn", "model Bad input 1x8x8 = nonsense"), GeneratorHarness.Architecture("lenet5.cnn"));

        Assert.Equal("CNN0010", Assert.Single(result.Diagnostics).Id);
        Assert.Contains(result.GeneratedTrees, t => t.FilePath.EndsWith("lenet5.LeNet5.g.cs"));
    }

    [Fact]
    public void Without_the_runtime_referenced_the_build_gets_one_located_error_and_no_classes()
    {
        // What a project that added only CnnDsl.Generator compiles against: the test host's
        // assemblies (the platform, TorchSharp) without CnnDsl's own.
        var host = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        var references = host.Where(p => !Path.GetFileName(p).StartsWith("CnnDsl.", StringComparison.Ordinal))
            .Select(p => MetadataReference.CreateFromFile(p));
        var compilation = CSharpCompilation.Create("Consumer", new[] { CSharpSyntaxTree.ParseText("class Placeholder {}") }, references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        var lenet = GeneratorHarness.Architecture("lenet5.cnn");
        const string second = "model Tiny input 1x8x8 = conv(4, 3)\n";
        var driver = GeneratorHarness.Driver(new AdditionalText[]
        {
            new GeneratorHarness.InMemoryText(lenet.Path, lenet.Text), new GeneratorHarness.InMemoryText("/p/tiny.cnn", second),
        });

        var result = driver.RunGenerators(compilation).GetRunResult();

        var error = Assert.Single(result.Diagnostics);
        Assert.Equal("CNN9003", error.Id);
        Assert.Equal(DiagnosticSeverity.Error, error.Severity);
        Assert.Contains("dotnet add package CnnDsl.Runtime", error.GetMessage());
        Assert.EndsWith(".cnn", error.Location.GetLineSpan().Path);
        Assert.Empty(result.GeneratedTrees);
    }
}
