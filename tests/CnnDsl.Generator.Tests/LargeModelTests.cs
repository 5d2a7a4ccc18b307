using System;
using System.Linq;
using System.Text.RegularExpressions;
using CnnDsl.Dsl;
using CnnDsl.Dsl.Analysis;
using CnnDsl.Generator.Emit;
using Microsoft.CodeAnalysis;
using Xunit;

namespace CnnDsl.Generator.Tests;

/// <summary>Models far larger than any published CNN: the generator handles the language's limit
/// of 20,000 layers, and a large model's constructor is built in parts so that compiling it
/// costs time and memory in proportion to its size (timings: benchmarks/scripts/generator-scaling.sh).</summary>
public sealed class LargeModelTests
{
    [Fact]
    public void A_model_at_the_layer_limit_generates_every_layer_with_its_constructor_in_parts()
    {
        var run = GeneratorHarness.Run(("/p/limit.cnn", "model Limit input 4x8x8 = repeat 10000 { conv(4, 3, pad: 1) -> relu }"));

        Assert.Null(run.Results.Single().Exception);
        Assert.Empty(run.Diagnostics);
        var source = run.Results.Single().GeneratedSources.Single(s => s.HintName == "limit.Limit.g.cs").SourceText.ToString();
        Assert.Equal(20_000, Regex.Matches(source, @"^        private readonly global::", RegexOptions.Multiline).Count);
        // 20,000 layers in parts of 256: 79 creating methods, each called once by the constructor.
        var parts = Regex.Matches(source, @"private static void CreateLayers(\d+)\(([^)]*)\)").Cast<Match>().ToList();
        Assert.Equal(Enumerable.Range(0, 79).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), parts.Select(p => p.Groups[1].Value));
        Assert.All(parts, p => Assert.InRange(Regex.Matches(p.Groups[2].Value, "out ").Count, 1, ConstructorParts.MaxLayersPerPart));
        Assert.Equal(20_000, parts.Sum(p => Regex.Matches(p.Groups[2].Value, "out ").Count));
        Assert.All(parts, p => Assert.Single(Regex.Matches(source, $@"^            CreateLayers{p.Groups[1].Value}\(out ", RegexOptions.Multiline)));
        Assert.Equal(20_000, Regex.Matches(source, @"^            register_module\(""\d+"", _\d+\);", RegexOptions.Multiline).Count);
    }

    [Fact]
    public void A_model_built_in_parts_registers_its_members_in_state_dict_order_and_compiles_without_a_warning()
    {
        // Groups of every size around the part size (a group of 300 layers is a part of its own),
        // labels, and a name a part's method would take.
        const string text = """
            block unit = c: conv(8, 3, pad: 1) -> b: batchnorm -> relu
            model Parts input 8x8x8 =
              stem: conv(8, 3, pad: 1)
              -> CreateLayers0: relu
              -> repeat 200 { unit }
              -> features: (repeat 150 { conv(8, 3, pad: 1) -> relu })
              -> tail: (conv(8, 3, pad: 1) -> relu)
              -> flatten -> linear(10)
            """;
        var driver = GeneratorHarness.Driver(new[] { new GeneratorHarness.InMemoryText("/p/parts.cnn", text) });
        driver.RunGeneratorsAndUpdateCompilation(GeneratorHarness.Compilation("class Placeholder {}"), out var output, out var generatorDiagnostics);

        Assert.Empty(generatorDiagnostics);
        var problems = output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems.Take(20)));

        var source = output.SyntaxTrees.Single(t => t.FilePath.EndsWith("parts.Parts.g.cs", StringComparison.Ordinal)).ToString();
        Assert.Contains("private static void CreateLayers3(", source);
        Assert.Contains("public global::TorchSharp.Modules.ReLU CreateLayers0_2 => _CreateLayers0;", source);
        var model = CnnCompiler.Compile("/p/parts.cnn", text).Models.Single();
        var registered = Regex.Matches(source, @"^ {12}register_module\(""([^""]+)""", RegexOptions.Multiline).Cast<Match>().Select(m => m.Groups[1].Value);
        Assert.Equal(model.Root.Members().Select(m => m.Name), registered);
    }

    [Fact]
    public void Modules_nested_as_deep_as_the_language_allows_compile_without_a_warning()
    {
        // 50 modules inside one another (paths 0.inner.inner...); as one nested expression the C#
        // compiler's time doubled with each level and this never finished.
        const string text = """
            block nest(n) =
              if n > 1 { c: conv(8, 3, pad: 1) -> r: relu -> inner: nest(n - 1) }
              else { c: conv(8, 3, pad: 1) -> r: relu }
            model Deep input 8x8x8 = nest(50) -> nest(3)
            """;
        var driver = GeneratorHarness.Driver(new[] { new GeneratorHarness.InMemoryText("/p/deep.cnn", text) });
        driver.RunGeneratorsAndUpdateCompilation(GeneratorHarness.Compilation("class Placeholder {}"), out var output, out var generatorDiagnostics);

        Assert.Empty(generatorDiagnostics);
        var problems = output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems.Take(20)));
        var source = output.SyntaxTrees.Single(t => t.FilePath.EndsWith("deep.Deep.g.cs", StringComparison.Ordinal)).ToString();
        // Every group is registered once: built ahead into a local, or inside its parent's expression.
        Assert.Equal(53, Regex.Matches(source, @"new global::CnnDsl\.Runtime\.ModuleGroup\(").Count);
        Assert.Contains("global::CnnDsl.Runtime.ModuleGroup group0 = new global::CnnDsl.Runtime.ModuleGroup(\"inner\",", source);
        Assert.Contains("register_module(\"1\", new global::CnnDsl.Runtime.ModuleGroup(\"1\",", source);
    }
}
