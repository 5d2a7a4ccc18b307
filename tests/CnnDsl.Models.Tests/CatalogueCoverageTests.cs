using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using CnnDsl.Cli.Verification;
using CnnDsl.Dsl;
using CnnDsl.Dsl.Analysis;
using CnnDsl.Dsl.Diagnostics;
using CnnDsl.Dsl.Layers;
using CnnDsl.Dsl.Semantics;
using CnnDsl.Dsl.Syntax;
using CnnDsl.Dsl.Text;
using CnnDsl.Runtime.Interpreter;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace CnnDsl.Models.Tests;

/// <summary>Every layer of the catalogue, across its options, and every branch-and-merge
/// structure of the language, built from Cases/catalogue.cnn three ways: the class the generator
/// made of it at build time (so its C# compiles), the runtime interpreter, and <c>cnn verify</c>'s
/// check of real shapes and counts against the static analysis. The first test fails when the
/// catalogue (or the language's structures) has an entry the file does not use with each of its
/// parameters, each flag both ways and each mode: a new layer must come with its coverage.</summary>
public sealed class CatalogueCoverageTests : IClassFixture<TorchFixture>
{
    private static readonly string CasesFile = Path.Combine(AppContext.BaseDirectory, "Cases", "catalogue.cnn");

    private static CompilationResult Compiled { get; } = CnnCompiler.Compile(CasesFile, File.ReadAllText(CasesFile));

    public static TheoryData<string> Models()
    {
        var data = new TheoryData<string>();
        foreach (var model in Compiled.Models) data.Add(model.Name);
        return data;
    }

    [Fact]
    public void The_coverage_file_compiles_and_uses_every_layer_with_every_parameter_and_every_structure()
    {
        Assert.Empty(Compiled.Diagnostics);
        var uses = SyntaxUses();
        var missing = new List<string>();
        foreach (var (name, layer) in LayerCatalog.Layers)
        {
            if (!uses.Layers.Contains(name))
            {
                missing.Add($"layer `{name}` is not used");
                continue;
            }

            foreach (var parameter in layer.Parameters)
            {
                if (!uses.Arguments.TryGetValue((name, parameter), out var values)) missing.Add($"`{parameter}` of {name} is never given");
                else if (values.Any(v => v is bool) && !(values.Contains(true) && values.Contains(false))) missing.Add($"`{parameter}` of {name} is not given both true and false");
            }
        }

        foreach (var structure in Evaluator.StructureNames.Concat(new[] { "concat", "split", "add" }))
        {
            if (!uses.Layers.Contains(structure)) missing.Add($"structure `{structure}` is not used");
        }

        if (!uses.Shortcuts.Contains("identity")) missing.Add("no residual with an identity shortcut");
        if (!uses.Shortcuts.Contains("projection")) missing.Add("no residual with a projection shortcut");
        if (!uses.Shortcuts.Contains("custom")) missing.Add("no residual with a shortcut of its own");

        Assert.True(missing.Count == 0, "Cases/catalogue.cnn does not cover:\n" + string.Join("\n", missing));
    }

    /// <summary>What the specs say, beyond the syntax: each flag of a layer's spec takes both values
    /// and each mode (enum) every value, whatever argument leads to it (gelu's approximation,
    /// upsample's mode, a permutation's direction).</summary>
    [Fact]
    public void Every_flag_and_mode_of_every_layer_spec_takes_each_of_its_values()
    {
        var specs = Compiled.Models.SelectMany(m => m.Layers).Select(l => l.Spec!).ToList();
        var missing = new List<string>();
        foreach (var group in specs.GroupBy(s => s.GetType()))
        {
            foreach (var property in group.Key.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                // The configuration of this kind of layer, not what LayerSpec asks of every kind.
                if (property.GetMethod!.GetBaseDefinition().DeclaringType != group.Key) continue;
                var type = property.PropertyType;
                var domain = type == typeof(bool) ? new object[] { false, true }
                    : type.IsEnum ? Enum.GetValues(type).Cast<object>().ToArray()
                    : null;
                if (domain is null) continue;
                var seen = group.Select(s => property.GetValue(s)).ToHashSet();
                missing.AddRange(domain.Where(v => !seen.Contains(v)).Select(v => $"{group.Key.Name}.{property.Name} is never {v}"));
            }
        }

        Assert.True(missing.Count == 0, "Cases/catalogue.cnn does not cover:\n" + string.Join("\n", missing));
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void Generated_class_and_interpreter_agree_in_eval_and_training_and_verify_passes(string name)
    {
        var model = Compiled.Models.Single(m => m.Name == name);
        using var scope = NewDisposeScope();
        using var generated = Generated(name);
        using var interpreted = CnnInterpreter.Build(CasesFile, File.ReadAllText(CasesFile), name);

        // The generated constants are the analysis's.
        var type = generated.GetType();
        Assert.Equal(model.Parameters, (long)type.GetField("ParameterCount")!.GetValue(null)!);
        Assert.Equal(model.MultiplyAdds, (long)type.GetField("MultiplyAdds")!.GetValue(null)!);
        Assert.Equal(model.Parameters + model.AuxiliaryParameters, generated.parameters().Sum(p => p.numel()));

        // Same keys, shapes and order; the same weights give the same outputs.
        var state = generated.state_dict();
        Assert.Equal(model.StateDict().Select(e => e.Key).OrderBy(k => k, StringComparer.Ordinal), state.Keys.OrderBy(k => k, StringComparer.Ordinal));
        Assert.Equal(generated.named_parameters().Select(p => p.name), interpreted.named_parameters().Select(p => p.name));
        interpreted.load_state_dict(state);

        var input = randn(new long[] { 2 }.Concat(model.Input.Dimensions).ToArray());
        generated.eval();
        interpreted.eval();
        using (no_grad())
        {
            var expected = generated.forward(input);
            Assert.False(expected.isnan().any().item<bool>(), "NaN in the eval output");
            Assert.Equal(0f, (expected - interpreted.forward(input)).abs().max().item<float>());
        }

        // Training mode: dropout and stochastic depth draw the same noise from the same seed, and
        // autograd accepts every in-place step (ReLU after an activation whose backward reads only
        // its input, for one), with the same gradients in both engines.
        generated.train();
        interpreted.train();
        manual_seed(11);
        var generatedOutput = generated.forward(input);
        manual_seed(11);
        var interpretedOutput = interpreted.forward(input);
        Assert.Equal(0f, (generatedOutput - interpretedOutput).abs().max().item<float>());
        if (model.Parameters > 0)
        {
            generatedOutput.square().sum().backward();
            interpretedOutput.square().sum().backward();
            var fromInterpreter = interpreted.named_parameters().ToDictionary(p => p.name, p => p.parameter);
            foreach (var (key, parameter) in generated.named_parameters())
            {
                if (key.StartsWith("head.", StringComparison.Ordinal)) continue; // an auxiliary head gets no gradient from forward
                Assert.True(parameter.grad is not null, $"{key} got no gradient");
                Assert.Equal(0f, (parameter.grad! - fromInterpreter[key].grad!).abs().max().item<float>());
            }
        }

        var verification = ModelVerifier.Verify(model);
        Assert.True(verification.Passed, string.Join("\n", verification.Differences));
    }

    private static nn.Module<Tensor, Tensor> Generated(string name)
    {
        var type = typeof(CatalogueCoverageTests).Assembly.GetType("CnnDsl.Models.Tests.Cases." + name)
            ?? throw new InvalidOperationException($"the generator made no class {name} of Cases/catalogue.cnn");
        return (nn.Module<Tensor, Tensor>)Activator.CreateInstance(type)!;
    }

    /// <summary>The builtin layers and structures the file calls or names, and each layer
    /// argument it gives, by parameter, with the literal values of flags.</summary>
    private static (HashSet<string> Layers, Dictionary<(string Layer, string Parameter), List<object>> Arguments, HashSet<string> Shortcuts) SyntaxUses()
    {
        var source = new SourceFile(CasesFile, File.ReadAllText(CasesFile));
        var syntax = CnnParser.Parse(source, new DiagnosticBag(source));
        var layers = new HashSet<string>(StringComparer.Ordinal);
        var arguments = new Dictionary<(string, string), List<object>>();
        var shortcuts = new HashSet<string>(StringComparer.Ordinal);
        foreach (var node in Walk(syntax))
        {
            switch (node)
            {
                case ConcatExpression concat:
                    layers.Add(concat.Keyword);
                    break;
                case NameExpression name:
                    layers.Add(name.Name.Name);
                    break;
                case CallExpression { Callee.Name: "residual" } residual:
                    layers.Add("residual");
                    var shortcut = residual.Arguments.FirstOrDefault(a => a.Name?.Name == "shortcut")?.Value;
                    shortcuts.Add(shortcut is null ? "identity" : shortcut is NameExpression { Name.Name: "projection" } ? "projection" : "custom");
                    break;
                case CallExpression call:
                    layers.Add(call.Callee.Name);
                    if (!LayerCatalog.Layers.TryGetValue(call.Callee.Name, out var layer)) break;
                    var position = 0;
                    foreach (var argument in call.Arguments)
                    {
                        var parameter = argument.Name?.Name ?? (position < layer.Parameters.Count ? layer.Parameters[position++] : "?");
                        if (!arguments.TryGetValue((layer.Name, parameter), out var values)) arguments[(layer.Name, parameter)] = values = new List<object>();
                        values.Add(argument.Value is BooleanLiteral b ? b.Value : argument.Value);
                    }

                    break;
            }
        }

        return (layers, arguments, shortcuts);
    }

    /// <summary>Every syntax node below a node, whatever its kind: a node kind added to the
    /// language later is walked too.</summary>
    private static IEnumerable<SyntaxNode> Walk(SyntaxNode node)
    {
        yield return node;
        foreach (var property in node.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length > 0) continue;
            var value = property.GetValue(node);
            var children = value switch
            {
                SyntaxNode child => new[] { child },
                IEnumerable list when value is not string => list.OfType<SyntaxNode>(),
                _ => Enumerable.Empty<SyntaxNode>(),
            };
            foreach (var child in children)
            {
                foreach (var descendant in Walk(child)) yield return descendant;
            }
        }
    }
}
