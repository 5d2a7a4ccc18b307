using System.Linq;
using Microsoft.CodeAnalysis;
using Xunit;

namespace CnnDsl.Generator.Tests;

/// <summary>Labels that are not C# names (`block1-0`) or are keywords of either language still
/// give generated code that compiles, with the label itself as the registered module name.</summary>
public sealed class LabelGenerationTests
{
    private const string Source = """
        block unit(c) = block: (conv(c, 1) -> relu) -> "for": conv(c, 1)
        model Labels input 2x4x4 =
          for i in [1] { "block{i}": (for j in range(2) { "block{i}-{j}": unit(2) }) }
          -> concat [(class: conv(2, 1) -> in: relu), identity]
        """;

    [Fact]
    public void Labels_that_are_not_csharp_names_compile_without_a_warning()
    {
        var driver = GeneratorHarness.Driver(new[] { new GeneratorHarness.InMemoryText("labels.cnn", Source) });
        driver.RunGeneratorsAndUpdateCompilation(GeneratorHarness.Compilation("class Placeholder {}"), out var output, out var generatorDiagnostics);

        Assert.Empty(generatorDiagnostics);
        var problems = output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems));

        var text = output.SyntaxTrees.Single(t => t.FilePath.EndsWith("Labels.g.cs", System.StringComparison.Ordinal)).ToString();
        // The module is registered under the label as written; the C# member is a valid name.
        Assert.Contains("register_module(\"block1\", ", text);
        Assert.Contains("(\"block1-0\", ", text);
        Assert.Contains("_block1_block1_0_block_0 = ", text);
        Assert.Contains("public global::TorchSharp.Modules.Conv2d Block1_Block1_0_For => _block1_block1_0_for;", text);
        Assert.Contains("Class => _class;", text);
    }
}
