using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.InteropServices;
using CnnDsl.Dsl.Analysis;
using CnnDsl.Dsl.Layers;
using CnnDsl.Runtime.Interpreter;
using CnnDsl.Runtime.Merges;
using TorchSharp;
using Tensor = TorchSharp.torch.Tensor;

namespace CnnDsl.Cli.Verification;

/// <summary>What <c>cnn verify</c> found for one model: the differences between the module
/// built at run time and the static analysis (none when it passes), and what was checked.</summary>
public sealed record VerificationResult(
    string Model, IReadOnlyList<string> Differences, int NodesChecked, long Parameters, Shape Output, TimeSpan Elapsed)
{
    public bool Passed => Differences.Count == 0;
}

/// <summary>Builds a model with the runtime interpreter and checks it against the Dsl's
/// analysis with real tensors: a random input goes through every layer, branch and merge in
/// forward order, each node's real output shape is compared with the analysed one and each
/// layer's real parameter and buffer counts with the analysed ones; then the interpreter's own
/// forward pass (and its auxiliary heads) must give the analysed output shape, and its
/// <c>state_dict</c> must hold exactly the analysed names and shapes. Every difference names
/// the layer.</summary>
public static class ModelVerifier
{
    public static VerificationResult Verify(ModelInfo model, long seed = 0)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var differences = new List<string>();
        var checkedNodes = 0;
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(seed);
        using var module = new InterpretedModel(model);
        module.eval();
        using (torch.no_grad())
        {
            var input = torch.randn(new long[] { 1 }.Concat(model.Input.Dimensions).ToArray());

            // Walk the analysis with real tensors: every node's shape, every layer's counts.
            Tensor? walked = null;
            try
            {
                walked = Run(model.Root, input, module, differences, ref checkedNodes);
            }
            catch (Exception e) when (e is ExternalException or ArgumentException or InvalidOperationException)
            {
                differences.Add($"the forward pass failed at run time: {FirstLine(e.Message)}");
            }

            // The interpreter's own forward pass, main output and training-only heads.
            if (walked is not null)
            {
                try
                {
                    var (output, heads) = module.ForwardWithAuxiliary(input);
                    Compare("(model output)", output, model.Output, differences);
                    var auxiliary = model.Root.DescendantsAndSelf().Where(n => n.Kind == NodeKind.Auxiliary).ToList();
                    if (heads.Count != auxiliary.Count)
                    {
                        differences.Add($"(model): {heads.Count} auxiliary outputs at run time, {auxiliary.Count} auxiliary heads in the analysis");
                    }

                    for (var i = 0; i < Math.Min(heads.Count, auxiliary.Count); i++)
                    {
                        Compare(Name(auxiliary[i]) + " (auxiliary output)", heads[i], auxiliary[i].Output, differences);
                    }
                }
                catch (Exception e) when (e is ExternalException or ArgumentException or InvalidOperationException)
                {
                    differences.Add($"(model): the interpreter's forward pass failed: {FirstLine(e.Message)}");
                }
            }
        }

        // Every tensor under the name and shape the analysis gives it, and nothing else.
        var expected = model.StateDict().ToDictionary(e => e.Key, e => e.Tensor.Shape, StringComparer.Ordinal);
        var actual = module.state_dict();
        foreach (var (key, shape) in expected)
        {
            if (!actual.TryGetValue(key, out var tensor)) differences.Add($"{key}: in the analysis, missing from the built module's state_dict");
            else if (!tensor.shape.SequenceEqual(shape)) differences.Add($"{key}: {Text(tensor.shape)} at run time, {Text(shape)} in the analysis");
        }

        foreach (var key in actual.Keys.Where(k => !expected.ContainsKey(k)).OrderBy(k => k, StringComparer.Ordinal))
        {
            differences.Add($"{key}: in the built module's state_dict but not in the analysis");
        }

        var parameters = module.parameters().Sum(p => p.numel());
        var analysed = model.Parameters + model.AuxiliaryParameters;
        if (parameters != analysed)
        {
            differences.Add($"(model): {parameters:N0} parameters at run time, {analysed:N0} in the analysis (auxiliary heads included)");
        }

        return new VerificationResult(model.Name, differences, checkedNodes, parameters, model.Output, clock.Elapsed);
    }

    private static Tensor Run(LayerInfo node, Tensor x, InterpretedModel module, List<string> differences, ref int checkedNodes)
    {
        Tensor y;
        switch (node.Kind)
        {
            case NodeKind.Layer:
            {
                y = module.Layer(node.Path).forward(x);
                // By key, not by the layer's module: a parameter-only layer's parameter is registered
                // on the module around it, under the layer's own path (ConvNeXt's layer_scale).
                var parameters = module.named_parameters().Where(p => OwnedBy(node, p.name)).Sum(p => p.parameter.numel());
                var buffers = module.named_buffers().Where(b => OwnedBy(node, b.name)).Sum(b => b.buffer.numel());
                if (parameters != node.Parameters)
                {
                    differences.Add($"{Name(node)}: {parameters:N0} parameters at run time, {node.Parameters:N0} in the analysis");
                }

                if (buffers != node.Buffers)
                {
                    differences.Add($"{Name(node)}: {buffers:N0} buffer elements at run time, {node.Buffers:N0} in the analysis");
                }

                break;
            }

            case NodeKind.Merge:
                var parts = new List<Tensor>();
                var inputs = node.Structure!.Inputs.Apply(TorchTensorAlgebra.Instance, x, node.Input, node.Branches.Count);
                for (var i = 0; i < node.Branches.Count; i++) parts.Add(Sequence(node.Branches[i], inputs[i], module, differences, ref checkedNodes));
                y = node.Structure.Merge.Apply(TorchTensorAlgebra.Instance, parts);
                break;
            case NodeKind.Auxiliary:
                // A head reads the passing tensor; what it gives is checked, the path goes on unchanged.
                y = Sequence(node.Children, x, module, differences, ref checkedNodes);
                break;
            case NodeKind.Group:
                y = Sequence(node.Children, x, module, differences, ref checkedNodes);
                break;
            default:
                throw new InvalidOperationException($"cannot verify a node of kind {node.Kind} at `{node.Path}`");
        }

        checkedNodes++;
        Compare(Name(node), y, node.Output, differences);
        return node.Kind == NodeKind.Auxiliary ? x : y;
    }

    /// <summary>Whether a <c>state_dict</c> key belongs to a layer: <c>path.name</c>, or the path itself.</summary>
    private static bool OwnedBy(LayerInfo layer, string key) =>
        key == layer.Path || (key.Length > layer.Path.Length && key[layer.Path.Length] == '.' && key.StartsWith(layer.Path, StringComparison.Ordinal));

    private static Tensor Sequence(IEnumerable<LayerInfo> nodes, Tensor x, InterpretedModel module, List<string> differences, ref int checkedNodes)
    {
        foreach (var node in nodes) x = Run(node, x, module, differences, ref checkedNodes);
        return x;
    }

    private static void Compare(string name, Tensor tensor, Shape expected, List<string> differences)
    {
        var actual = tensor.shape.Skip(1).ToArray();
        if (!actual.SequenceEqual(expected.Dimensions))
        {
            differences.Add($"{name}: output {Text(actual)} at run time, {expected} in the analysis");
        }
    }

    /// <summary>The layer's path, or for an unlabeled merge its enclosing path and kind.</summary>
    private static string Name(LayerInfo node) =>
        node.Depth < 0 ? "(model)"
        : node.Path.Length == 0 ? node.Name
        : node.Transparent ? node.Path + " " + node.Name
        : node.Path;

    private static string Text(IEnumerable<long> shape) => string.Join("x", shape);

    private static string FirstLine(string text) => text.Split('\n')[0].Trim();
}
