using System;
using System.Collections.Generic;
using System.Linq;
using CnnDsl.Dsl.Diagnostics;
using CnnDsl.Dsl.Layers;
using CnnDsl.Dsl.Semantics;

namespace CnnDsl.Dsl.Analysis;

/// <summary>Runs a model's shape through every layer without allocating a tensor: output
/// shapes, tensors, parameter counts, multiply-adds and receptive fields, and names every layer.
/// The first layer that cannot take its input stops the model with a located diagnostic.</summary>
public sealed class ShapeAnalyzer
{
    private readonly DiagnosticBag _diagnostics;

    public ShapeAnalyzer(DiagnosticBag diagnostics) => _diagnostics = diagnostics;

    public ModelInfo? Analyze(EvaluatedModel model)
    {
        try
        {
            var root = AnalyzeGroup(model.Root, "", "", -1, model.Input, ReceptiveField.Pixel);
            return root is null ? null : new ModelInfo(model.Name, model.Input, root, model.NameRange);
        }
        catch (OverflowException)
        {
            _diagnostics.Report(DiagnosticCodes.CountOverflow, model.NameRange,
                $"a size, parameter count or multiply-add count of model `{model.Name}` does not fit in 64 bits",
                "check the input shape and the channel counts");
            return null;
        }
    }

    private LayerInfo? AnalyzeGroup(GroupNode group, string path, string name, int depth, Shape input, ReceptiveField field)
    {
        var names = ChildNames(group.Children);
        if (names is null) return null;

        var children = new List<LayerInfo>(group.Children.Count);
        var shape = input;
        for (var i = 0; i < group.Children.Count; i++)
        {
            var childPath = path.Length == 0 ? names[i] : path + "." + names[i];
            var child = group.Children[i] switch
            {
                GroupNode g => AnalyzeGroup(g, childPath, names[i], depth + 1, shape, field),
                LayerNode l => AnalyzeLayer(l, childPath, names[i], depth + 1, shape, field),
                _ => null,
            };
            if (child is null) return null;
            children.Add(child);
            shape = child.Output;
            field = child.ReceptiveField;
        }

        return new LayerInfo(path, name, depth, null, group.BlockName, input, shape, Array.Empty<TensorSpec>(),
            children.Sum(c => c.Parameters), children.Sum(c => c.Buffers), children.Sum(c => c.MultiplyAdds),
            field, group.Range, children);
    }

    private LayerInfo? AnalyzeLayer(LayerNode layer, string path, string name, int depth, Shape input, ReceptiveField field)
    {
        var outcome = layer.Spec.Infer(input);
        if (!outcome.Succeeded)
        {
            _diagnostics.Report(outcome.Error!, layer.Range, $"in `{path}`: {outcome.ErrorMessage}", outcome.Help);
            return null;
        }

        var parameters = outcome.Tensors.Where(t => t.Role == TensorRole.Parameter).Sum(t => t.Elements);
        var buffers = outcome.Tensors.Where(t => t.Role == TensorRole.Buffer).Sum(t => t.Elements);
        return new LayerInfo(path, name, depth, layer.Spec, null, input, outcome.Output!, outcome.Tensors,
            parameters, buffers, outcome.MultiplyAdds, field.Through(outcome.Window), layer.Range, Array.Empty<LayerInfo>());
    }

    /// <summary>Children are named by their label. Where no child has one, they are numbered like
    /// PyTorch's Sequential (0, 1, 2, ...); where some do, the others take their layer kind as name.</summary>
    private string[]? ChildNames(IReadOnlyList<NetworkNode> children)
    {
        var anyLabel = children.Any(c => c.Label is not null);
        var names = new string[children.Count];
        var seen = new Dictionary<string, NetworkNode>(StringComparer.Ordinal);
        var ok = true;
        for (var i = 0; i < children.Count; i++)
        {
            var child = children[i];
            var name = child.Label ?? (anyLabel ? KindName(child) : i.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (child.Label is null && anyLabel)
            {
                var unique = name;
                for (var n = 1; seen.ContainsKey(unique); n++) unique = name + "_" + n.ToString(System.Globalization.CultureInfo.InvariantCulture);
                name = unique;
            }
            else if (seen.ContainsKey(name))
            {
                _diagnostics.Report(DiagnosticCodes.DuplicateLayerName, child.Range,
                    $"two layers in the same group are named `{name}`", "give each layer in a group its own name");
                ok = false;
            }

            seen[name] = child;
            names[i] = name;
        }

        return ok ? names : null;
    }

    private static string KindName(NetworkNode node) => node switch
    {
        LayerNode l => l.Spec.Kind,
        GroupNode g => g.BlockName ?? "group",
        _ => "layer",
    };
}
