using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using CnnDsl.Generator.Emit;
using Microsoft.CodeAnalysis;
using Xunit;

namespace CnnDsl.Generator.Tests;

/// <summary>Every name the generator writes is valid C# and unique where it must be: members of
/// a class, tuple elements, namespaces, classes of a compilation and the file names they are
/// added under. Adversarial names from the language's rules are generated and compiled; the
/// compilation has no error and no warning, and the generator reports nothing it should not.</summary>
public sealed class GeneratedNameTests
{
    /// <summary>Generates the files and compiles the result with every warning on: the errors and
    /// warnings of the C# (generated code included) and the generator's own diagnostics.</summary>
    private static (IReadOnlyList<Diagnostic> Compiler, IReadOnlyList<Diagnostic> Generator, IReadOnlyList<string> HintNames) Compile(
        IReadOnlyDictionary<string, string>? properties, params (string Path, string Text)[] files)
    {
        var driver = GeneratorHarness.Driver(files.Select(f => (AdditionalText)new GeneratorHarness.InMemoryText(f.Path, f.Text)), properties);
        driver = driver.RunGeneratorsAndUpdateCompilation(GeneratorHarness.Compilation("class Placeholder {}"), out var output, out var generatorDiagnostics);
        var hints = driver.GetRunResult().Results.Single().GeneratedSources.Select(s => s.HintName).ToList();
        var problems = output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
        return (problems, generatorDiagnostics, hints);
    }

    private static void AssertCompilesCleanly(params (string Path, string Text)[] files)
    {
        var (compiler, generator, _) = Compile(null, files);
        Assert.True(generator.Count == 0, string.Join("\n", generator));
        Assert.True(compiler.Count == 0, string.Join("\n", compiler.Take(20)));
    }

    public static TheoryData<string, string> Adversarial() => new()
    {
        { "labels that differ in case", "model M input 3x8x8 = conv1: conv(4, 3) -> Conv1: conv(4, 3) -> CONV1: relu" },
        { "a group and a label that flatten alike", "model M input 3x8x8 = a: (b: conv(4, 3)) -> a_b: relu -> A_b: relu" },
        { "labels named like the class's members", "model M input 3x8x8 = ParameterCount: conv(4, 3) -> Summary: relu -> forward: relu -> Forward: relu -> Input: relu -> Advance: relu -> InputShape: relu" },
        { "labels named like the weight and export members", "model M input 3x8x8 = weightLayout: conv(4, 3) -> modelsInFile: relu -> loadWeights: relu -> saveWeights: relu -> exportOnnx: relu -> exportPyTorch: relu -> exportAnalysis: relu -> cnnDslEmbeddedSource: relu" },
        { "labels named like Module's members", "model M input 3x8x8 = dispose: conv(4, 3) -> Dispose: relu -> training: relu -> call: relu -> name: relu -> eval: relu -> state_dict: relu" },
        { "labels named like the model", "model Net input 3x8x8 = Net: conv(4, 3) -> net: relu -> nET: relu" },
        { "a label beside a numbered group", "model M input 3x8x8 = g: (conv(4, 3) -> relu) -> G_0: relu -> g_0: relu -> Layer0: relu" },
        { "numeric and keyword labels", "block b(i) = \"{i}\": relu\nmodel M input 3x8x8 = conv(4, 3) -> (b(0) -> b(1)) -> Layer1: relu -> class: relu -> __arglist: relu -> _: relu" },
        { "a namespace segment that is a keyword", "namespace Foo.class.Bar\nmodel M input 3x8x8 = conv(4, 3)" },
        { "a model named like a keyword", "model class input 3x8x8 = conv(4, 3)\nmodel __arglist input 3x8x8 = relu\nmodel var input 3x8x8 = relu -> relu" },
        { "models named like contextual keywords", "model record input 3x8x8 = relu\nmodel file input 3x8x8 = relu\nmodel required input 3x8x8 = relu\nmodel scoped input 3x8x8 = relu\nmodel dynamic input 3x8x8 = relu\nmodel nint input 3x8x8 = relu\nmodel value input 3x8x8 = relu\nmodel Tensor input 3x8x8 = relu" },
        { "a lower-case model name", "model net input 3x8x8 = conv(4, 3)" },
        { "models that differ in case", "model Net input 3x8x8 = conv(4, 3)\nmodel net input 3x8x8 = relu\nmodel NET input 3x8x8 = relu" },
        { "auxiliary heads with one label, or named like tuple members",
            "model M input 3x8x8 = a: (conv(4, 3) -> h: aux(flatten -> linear(2))) -> b: (relu -> h: aux(flatten -> linear(2)))"
            + " -> output: aux(flatten -> linear(2)) -> item1: aux(flatten -> linear(2)) -> Rest: aux(flatten -> linear(2)) -> relu" },
    };

    [Theory]
    [MemberData(nameof(Adversarial))]
    public void Adversarial_names_generate_code_that_compiles_without_a_warning(string name, string text)
    {
        Assert.NotNull(name);
        AssertCompilesCleanly(("/p/names.cnn", text));
    }

    [Fact]
    public void Layer_properties_keep_their_natural_names_and_only_a_clashing_one_takes_a_suffix()
    {
        var result = GeneratorHarness.Run(("/p/names.cnn", "model M input 3x8x8 = conv1: conv(4, 3) -> Conv1: relu -> Summary: relu"));
        var text = result.Results.Single().GeneratedSources.Single(s => !s.HintName.EndsWith(".export.g.cs", StringComparison.Ordinal)).SourceText.ToString();

        Assert.Contains(" Conv1 => _conv1;", text);
        Assert.Contains(" Conv1_2 => _Conv1;", text);
        Assert.Contains(" Summary_2 => _Summary;", text);
    }

    [Fact]
    public void Two_files_of_the_same_name_in_different_folders_both_generate()
    {
        var (compiler, generator, hints) = Compile(null,
            ("/p/a/net.cnn", "namespace A\nmodel Net input 3x8x8 = conv(4, 3)"),
            ("/p/b/net.cnn", "namespace B\nmodel Net input 3x8x8 = conv(4, 3)"),
            ("/p/other.cnn", "model Other input 3x8x8 = conv(4, 3)"));

        Assert.Empty(generator);
        Assert.Empty(compiler);
        // Each class in two parts: the model and its export.
        Assert.Equal(new[] { "a.net.Net.export.g.cs", "a.net.Net.g.cs", "b.net.Net.export.g.cs", "b.net.Net.g.cs", "other.Other.export.g.cs", "other.Other.g.cs" },
            hints.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void File_names_that_escape_alike_both_generate()
    {
        var (compiler, generator, hints) = Compile(null,
            ("/p/my.net.cnn", "namespace A\nmodel Net input 3x8x8 = conv(4, 3)"),
            ("/p/my_net.cnn", "namespace B\nmodel Net input 3x8x8 = conv(4, 3)"),
            ("/p/My_Net.cnn", "namespace C\nmodel Net input 3x8x8 = conv(4, 3)"));

        Assert.Empty(generator);
        Assert.Empty(compiler);
        Assert.Equal(6, hints.Distinct(StringComparer.OrdinalIgnoreCase).Count()); // 3 classes, 2 parts each
    }

    [Fact]
    public void One_class_made_by_two_files_is_an_error_at_the_second_model_and_the_rest_still_generates()
    {
        var (compiler, generator, hints) = Compile(null,
            ("/p/a/net.cnn", "namespace Same\nmodel Net input 3x8x8 = conv(4, 3)"),
            ("/p/b/net.cnn", "namespace Same\nmodel Other input 3x8x8 = relu\nmodel Net input 3x8x8 = conv(4, 3)"));

        var error = Assert.Single(generator);
        Assert.Equal("CNN9002", error.Id);
        Assert.Equal(DiagnosticSeverity.Error, error.Severity);
        var span = error.Location.GetLineSpan();
        Assert.Equal("/p/b/net.cnn", span.Path);
        Assert.Equal((2, 6), (span.StartLinePosition.Line, span.StartLinePosition.Character));
        Assert.Contains("`Same.Net`, which `/p/a/net.cnn` also makes", error.GetMessage());
        Assert.Equal(new[] { "a.net.Net.export.g.cs", "a.net.Net.g.cs", "net.Other.export.g.cs", "net.Other.g.cs" }, hints.Order(StringComparer.Ordinal));
        Assert.Empty(compiler);
    }

    [Theory]
    [InlineData("A B")]
    [InlineData("A..B")]
    [InlineData("1A")]
    [InlineData("A-B")]
    public void A_namespace_property_that_is_no_namespace_is_an_error(string ns)
    {
        var (compiler, generator, hints) = Compile(new Dictionary<string, string> { ["build_property.CnnDslNamespace"] = ns },
            ("/p/net.cnn", "model Net input 3x8x8 = conv(4, 3)"));

        var error = Assert.Single(generator);
        Assert.Equal("CNN9001", error.Id);
        Assert.Equal(DiagnosticSeverity.Error, error.Severity);
        Assert.Contains($"`{ns}`", error.GetMessage());
        Assert.Empty(hints);
        Assert.Empty(compiler);
    }

    /// <summary>Random models whose labels come from a vocabulary of clashes (case variants, names
    /// that flatten alike, the class's and Module's members, keywords, numbers), nested in groups,
    /// branches and auxiliary heads: all of them in one file, compiled together.</summary>
    [Fact]
    public void Random_adversarial_labels_compile_without_a_warning()
    {
        var vocabulary = new[]
        {
            "a", "A", "a_b", "b", "A_b", "g", "G_0", "g_0", "Layer0", "x", "X", "Input", "forward", "Forward", "Summary",
            "summary", "ParameterCount", "Dispose", "dispose", "training", "call", "name", "class", "Class", "__arglist", "_", "__", "Output",
            "output", "Item1", "item2", "Rest", "M", "m", "Advance", "v0", "x1", "ToString", "Equals",
        };
        var random = new Random(13);
        var models = new List<string>();
        for (var i = 0; i < 40; i++)
        {
            var used = new HashSet<string>(StringComparer.Ordinal);
            string Label()
            {
                string label;
                do label = vocabulary[random.Next(vocabulary.Length)];
                while (!used.Add(label));
                return label;
            }

            var parts = new List<string> { $"{Label()}: conv(4, 3, pad: 1)" };
            for (var n = random.Next(2, 8); parts.Count < n;)
            {
                parts.Add(random.Next(5) switch
                {
                    0 => $"{Label()}: ({Label()}: relu -> {Label()}: relu)",
                    1 => $"{Label()}: aux(flatten -> {Label()}: linear(2))",
                    2 => $"concat [{Label()}: relu, {Label()}: sigmoid]",
                    3 => $"{Label()}: (relu -> relu)",
                    _ => $"{Label()}: relu",
                });
            }

            var model = i % 5 == 0 ? vocabulary[random.Next(vocabulary.Length)] + "_" + i : "M" + i;
            models.Add($"model {model} input 3x8x8 = {string.Join(" -> ", parts)}");
        }

        AssertCompilesCleanly(("/p/random.cnn", string.Join("\n", models)));
    }

    [Fact]
    public void The_reserved_names_cover_every_member_a_generated_class_inherits_from_TorchSharp()
    {
        const BindingFlags everything = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.FlattenHierarchy;
        var inherited = typeof(TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor>)
            .GetMembers(everything)
            .Where(m => m switch
            {
                MethodBase method => !method.IsSpecialName && (method.IsPublic || method.IsFamily || method.IsFamilyOrAssembly),
                FieldInfo field => field.IsPublic || field.IsFamily || field.IsFamilyOrAssembly,
                PropertyInfo property => property.GetMethod is { } getter && (getter.IsPublic || getter.IsFamily || getter.IsFamilyOrAssembly),
                EventInfo => true,
                Type nested => nested.IsNestedPublic || nested.IsNestedFamily,
                _ => false,
            })
            .Select(m => m.Name)
            .Where(n => !n.StartsWith(".", StringComparison.Ordinal))
            .Distinct();

        var missing = inherited.Where(n => !ClassMemberNames.Reserved.Contains(n)).ToList();
        Assert.True(missing.Count == 0, "not reserved: " + string.Join(", ", missing));
    }

    [Fact]
    public void The_reserved_names_cover_every_member_a_generated_class_declares()
    {
        var driver = GeneratorHarness.Driver(new AdditionalText[] { new GeneratorHarness.InMemoryText("/p/q.cnn", "model Q input 1x4x4 = zz: relu") });
        driver.RunGeneratorsAndUpdateCompilation(GeneratorHarness.Compilation("class Placeholder {}"), out var output, out _);
        var type = output.GetTypeByMetadataName("CnnDsl.Models.Q");
        Assert.NotNull(type);

        // Everything but the one layer's property and field, the constructor and compiler-made members.
        var declared = type!.GetMembers().Where(m => !m.IsImplicitlyDeclared && (m is not IMethodSymbol method || method.MethodKind == MethodKind.Ordinary))
            .Select(m => m.Name).Where(n => n is not "Zz" and not "_zz").Concat(type.GetTypeMembers().Select(t => t.Name)).Distinct().ToList();
        Assert.Contains("forward", declared);
        var missing = declared.Where(n => !ClassMemberNames.Reserved.Contains(n)).ToList();
        Assert.True(missing.Count == 0, "declared but not reserved: " + string.Join(", ", missing));
    }

    [Theory]
    [InlineData("forward")]
    [InlineData("Summary")]
    [InlineData("LoadWeights")]
    public void A_model_named_like_a_member_of_its_class_is_an_error_at_its_name(string name)
    {
        var (compiler, generator, hints) = Compile(null, ("/p/m.cnn", $"model Fine input 3x8x8 = relu\nmodel {name} input 3x8x8 = conv(4, 3)"));

        var error = Assert.Single(generator);
        Assert.Equal("CNN9004", error.Id);
        Assert.Equal(DiagnosticSeverity.Error, error.Severity);
        var span = error.Location.GetLineSpan();
        Assert.Equal((1, 6), (span.StartLinePosition.Line, span.StartLinePosition.Character));
        Assert.Contains($"cannot be named `{name}`", error.GetMessage());
        Assert.Empty(hints);
        Assert.Empty(compiler);
    }
}

