using System;
using System.Collections.Generic;
using System.Linq;
using CnnDsl.Dsl.Diagnostics;
using CnnDsl.Dsl.Layers;
using CnnDsl.Dsl.Merges;
using CnnDsl.Dsl.Semantics;
using CnnDsl.Dsl.Text;

namespace CnnDsl.Dsl.Analysis;

/// <summary>Runs a model's shape through every layer, branch and merge without allocating a
/// tensor: output shapes, tensors, parameter counts, multiply-adds and receptive fields, and
/// names every layer. The first node that cannot take its input stops the model with a located
/// diagnostic.</summary>
public sealed class ShapeAnalyzer
{
    private readonly DiagnosticBag _diagnostics;
    private readonly MemberNaming _naming;
    private readonly IDeferredExpander? _expander;
    private ConstantUses _sharing = new("");

    public ShapeAnalyzer(DiagnosticBag diagnostics)
        : this(diagnostics, null)
    {
    }

    /// <summary>An analysis that expands the deferred calls it meets (blocks that read
    /// <c>input</c>) through <paramref name="expander"/>.</summary>
    internal ShapeAnalyzer(DiagnosticBag diagnostics, IDeferredExpander? expander)
    {
        _diagnostics = diagnostics;
        _naming = new MemberNaming(diagnostics);
        _expander = expander;
    }

    public ModelInfo? Analyze(EvaluatedModel model)
    {
        try
        {
            var origin = model.InputRange is { } declared ? new Origin(declared, true) : (Origin?)null;
            _sharing = new ConstantUses(model.Name);
            var root = AnalyzeGroup(model.Root, "", "", -1, model.Input, ReceptiveField.Pixel, origin);
            if (root is null) return null;
            _sharing.ReportRepeated(_diagnostics);
            return new ModelInfo(model.Name, model.Input, root, model.NameRange);
        }
        catch (OverflowException)
        {
            _diagnostics.Report(DiagnosticCodes.CountOverflow, model.NameRange,
                $"a size, parameter count or multiply-add count of model `{model.Name}` does not fit in 64 bits",
                "check the input shape and the channel counts");
            return null;
        }
    }

    private LayerInfo? Analyze(NetworkNode node, string scope, int depth, Shape input, ReceptiveField field, Origin? origin)
    {
        var info = AnalyzeNode(node, scope, depth, input, field, origin);
        if (info is not null) _sharing.Record(node, info);
        return info;
    }

    private LayerInfo? AnalyzeNode(NetworkNode node, string scope, int depth, Shape input, ReceptiveField field, Origin? origin)
    {
        var path = Join(scope, node.Label);
        switch (node)
        {
            case LayerNode layer:
                return AnalyzeLayer(layer, path, depth, input, field, origin);
            case GroupNode { Label: null } flat:
                // A branch named flat by MemberNaming: its layers are named in the group around it.
                return AnalyzeGroup(flat, path, "(branch)", depth, input, field, origin, transparent: true);
            case GroupNode group:
                return AnalyzeGroup(group, path, node.Label ?? "", depth, input, field, origin);
            case StructureNode { Label: { } label } structure:
                // A labeled branch point or merge is a namespace of its own.
                var inside = _naming.Name(new NetworkNode[] { structure with { Label = null } });
                return inside is null ? null : AnalyzeStructure((StructureNode)inside[0], path, path, label, false, depth, input, field, origin);
            case StructureNode structure:
                return AnalyzeStructure(structure, scope, scope, "(" + structure.Describe() + ")", true, depth, input, field, origin);
            case DeferredNode deferred:
                return AnalyzeDeferred(deferred, path, depth, input, field, origin);
            default:
                throw new InvalidOperationException($"no shape rule for a {node.Describe()} node at `{path}`");
        }
    }

    /// <summary>A block that reads <c>input</c>, expanded now that its input is known and analysed
    /// as a group of what it gives. <see cref="DeferredResolution"/> runs this once to learn each
    /// input and then puts the expansions in place, so the analysis that counts names them as the
    /// block's layers; the group stands for them only here.</summary>
    private LayerInfo? AnalyzeDeferred(DeferredNode deferred, string path, int depth, Shape input, ReceptiveField field, Origin? origin)
    {
        if (_expander is null) throw new InvalidOperationException("a deferred call needs an expander: analyse through CnnCompiler");
        var placed = _expander.Place(deferred, input);
        return placed is null
            ? null
            : AnalyzeGroup(new GroupNode(placed, deferred.Label, deferred.BlockName, deferred.Range), path, deferred.Label ?? "", depth, input, field, origin);
    }

    private LayerInfo? AnalyzeGroup(
        GroupNode group, string path, string name, int depth, Shape input, ReceptiveField field, Origin? origin, bool transparent = false)
    {
        var children = _naming.Name(group.Children);
        if (children is null) return null;
        var sequence = AnalyzeSequence(children, path, depth + 1, input, field, origin);
        if (sequence is null) return null;
        var (infos, output, outField) = sequence.Value;
        return Container(path, name, depth, group.BlockName, input, output, outField, group.Range, infos, NodeKind.Group, transparent: transparent);
    }

    /// <summary>Nodes applied one after another; an auxiliary head reads the passing tensor and
    /// leaves it as it was.</summary>
    private (List<LayerInfo> Infos, Shape Output, ReceptiveField Field)? AnalyzeSequence(
        IReadOnlyList<NetworkNode> nodes, string scope, int depth, Shape input, ReceptiveField field, Origin? origin)
    {
        var infos = new List<LayerInfo>(nodes.Count);
        var shape = input;
        foreach (var node in nodes)
        {
            var info = Analyze(node, scope, depth, shape, field, origin);
            if (info is null) return null;
            infos.Add(info);
            if (info.Kind == NodeKind.Auxiliary) continue;
            shape = info.Output;
            field = info.ReceptiveField;
            origin = new Origin(node.Range, false);
        }

        return (infos, shape, field);
    }

    private LayerInfo? AnalyzeStructure(
        StructureNode structure, string scope, string path, string name, bool transparent, int depth, Shape input, ReceptiveField field,
        Origin? origin)
    {
        switch (structure)
        {
            case ConcatNode concat:
                return AnalyzeConcat(concat, scope, path, name, transparent, depth, input, field, origin);
            case ResidualNode residual:
                return AnalyzeResidual(residual, scope, path, name, transparent, depth, input, field, origin);
            case BodyMergeNode merge:
            {
                var body = AnalyzeSequence(merge.Body, scope, depth + 1, input, field, origin);
                if (body is null) return null;
                var (infos, output, outField) = body.Value;
                var parts = new[] { input, output };
                var joined = merge.Structure.Merge.Join(parts);
                if (joined.Output is null)
                {
                    var rule = merge.Structure.BodyRule;
                    return Fail(DiagnosticCodes.BranchShapeMismatch, merge.Range,
                        $"in `{Display(path)}`: {(rule is { } r ? $"{r.Rule}, but it turns {input} into {output}" : joined.Error)}",
                        rule?.Help ?? joined.Help,
                        (merge.BodyRange, $"the body gives {output}"),
                        (origin?.Range, origin?.Label(input, $"{merge.Structure.Name} joins the body's output to")));
                }

                return Merged(merge.Structure, new IReadOnlyList<LayerInfo>[] { Array.Empty<LayerInfo>(), infos }, parts,
                    Container(path, name, depth, null, input, input, outField, merge.Range, infos, NodeKind.Merge, transparent: transparent));
            }

            case AuxNode aux:
            {
                var head = AnalyzeSequence(aux.Head, scope, depth + 1, input, field, origin);
                if (head is null) return null;
                var (infos, output, outField) = head.Value;
                var container = Container(path, name, depth, null, input, output, outField, aux.Range, infos, NodeKind.Auxiliary, transparent: transparent);
                // The head's own figures are its auxiliary parameters, not the model's.
                return container with { AuxiliaryParameters = checked(container.Parameters + container.AuxiliaryParameters) };
            }

            default:
                throw new InvalidOperationException($"no shape rule for a {structure.Describe()} node at `{path}`");
        }
    }

    private LayerInfo? AnalyzeConcat(
        ConcatNode concat, string scope, string path, string name, bool transparent, int depth, Shape input, ReceptiveField field,
        Origin? origin)
    {
        var inputs = concat.Structure.Inputs.Shapes(input, concat.Branches.Count);
        if (inputs.Inputs is null)
        {
            return Fail(inputs.Code!, concat.Range, $"in `{Display(path)}`: {inputs.Error}", inputs.Help,
                (origin?.Range, origin?.Label(input)));
        }

        var branches = new List<LayerInfo>(concat.Branches.Count);
        for (var i = 0; i < concat.Branches.Count; i++)
        {
            var info = Analyze(concat.Branches[i], scope, depth + 1, inputs.Inputs[i], field, origin);
            if (info is null) return null;
            branches.Add(info);
        }

        var outputs = branches.Select(b => b.Output).ToList();
        var joined = concat.Structure.Merge.Join(outputs);
        if (joined.Output is null)
        {
            var ranges = concat.BranchRanges.Count == outputs.Count ? concat.BranchRanges : concat.Branches.Select(b => b.Range).ToList();
            return Fail(DiagnosticCodes.BranchShapeMismatch, concat.Range, $"in `{Display(path)}`: {joined.Error}", joined.Help,
                outputs.Select((o, i) => ((TextRange?)ranges[i], (string?)$"this branch gives {o}")).ToArray());
        }

        var widest = branches.Select(b => b.ReceptiveField).OrderByDescending(r => r.Global).ThenByDescending(r => r.Size.H * r.Size.W).First();
        return Merged(concat.Structure, branches.Select(b => (IReadOnlyList<LayerInfo>)new[] { b }).ToList(), outputs,
            Container(path, name, depth, null, input, input, widest, concat.Range, branches, NodeKind.Merge, transparent: transparent));
    }

    private LayerInfo? AnalyzeResidual(
        ResidualNode residual, string scope, string path, string name, bool transparent, int depth, Shape input, ReceptiveField field,
        Origin? origin)
    {
        var body = AnalyzeSequence(residual.Body, scope, depth + 1, input, field, origin);
        if (body is null) return null;
        var (infos, output, outField) = body.Value;

        LayerInfo? shortcut = null;
        if (residual.Shortcut == ShortcutKind.Projection && !output.Equals(input))
        {
            var projection = Projection(residual, input, output, path);
            if (projection is null) return null;
            shortcut = Analyze(projection, scope, depth + 1, input, field, origin);
            if (shortcut is null) return null;
        }
        else if (residual.Shortcut == ShortcutKind.Custom)
        {
            shortcut = Analyze(residual.CustomShortcut!, scope, depth + 1, input, field, origin);
            if (shortcut is null) return null;
        }

        var carried = shortcut?.Output ?? input;
        if (!carried.Equals(output))
        {
            return Fail(DiagnosticCodes.ResidualShapeMismatch, residual.Range,
                $"in `{Display(path)}`: the residual body produces {output} but the shortcut carries {carried}",
                residual.Shortcut == ShortcutKind.Identity
                    ? "add `shortcut: projection` (a 1x1 convolution and batch norm where the shape changes), or make the body keep its shape"
                    : "make the shortcut produce the body's shape",
                (residual.BodyRange, $"the body produces {output}"),
                residual.Shortcut == ShortcutKind.Custom || origin is null
                    ? (residual.ShortcutRange, $"the shortcut {(residual.Shortcut == ShortcutKind.Custom ? "produces" : "carries")} {carried}")
                    : (origin.Value.Range, origin.Value.Label(carried, "the shortcut carries")));
        }

        var shortcutBranch = shortcut is null ? Array.Empty<LayerInfo>() : new[] { shortcut };
        return Merged(Structure.Residual, new IReadOnlyList<LayerInfo>[] { infos, shortcutBranch }, new[] { output, carried },
            Container(path, name, depth, null, input, output, outField, residual.Range, infos, NodeKind.Merge, shortcut, transparent));
    }

    /// <summary>A merge node: its output and cost from the structure's merge, given the shapes its
    /// branches deliver. Callers check the shapes first, with diagnostics that name the
    /// structure's parts; what the merge still refuses is reported here.</summary>
    private LayerInfo? Merged(Structure structure, IReadOnlyList<IReadOnlyList<LayerInfo>> branches, IReadOnlyList<Shape> parts, LayerInfo container)
    {
        var joined = structure.Merge.Join(parts);
        if (joined.Output is not { } output)
        {
            return Fail(DiagnosticCodes.BranchShapeMismatch, container.Range, $"in `{Display(container.Path)}`: {joined.Error}", joined.Help);
        }

        return container with
        {
            Output = output,
            Structure = structure,
            Branches = branches,
            Cost = structure.Merge.Cost(parts, output),
        };
    }

    /// <summary>torchvision's downsample: a bias-free 1x1 convolution with the stride that maps
    /// the input's size onto the body's, then batch norm.</summary>
    private GroupNode? Projection(ResidualNode residual, Shape input, Shape output, string path)
    {
        var along = input.IsImage && output.IsImage
            ? ProjectionStride(input.Height, output.Height) is { } h && ProjectionStride(input.Width, output.Width) is { } w
                ? Math.Max(h, w)
                : 0
            : 0;
        if (along == 0 || (input.Height - 1) / along + 1 != output.Height || (input.Width - 1) / along + 1 != output.Width)
        {
            Fail(DiagnosticCodes.ResidualShapeMismatch, residual.Range,
                $"in `{Display(path)}`: no 1x1 projection maps the input {input} onto the body's output {output}",
                "a projection shortcut is a 1x1 convolution with one stride s for height and width, so the body must turn each size n into (n - 1) / s + 1, rounded down",
                (residual.BodyRange, $"the body turns {input} into {output}"),
                (residual.ShortcutRange, "the projection asked for here"));
            return null;
        }

        var stride = Pair.Square(along);
        var conv = new Conv2dSpec(output.Channels, Pair.Square(1), stride, Pair.Square(0), Pair.Square(1), 1, false);
        var norm = new BatchNormSpec(1e-5, 0.1);
        return new GroupNode(
            new NetworkNode[] { new LayerNode(conv, "0", residual.Range), new LayerNode(norm, "1", residual.Range) },
            ResidualNode.ShortcutName, null, residual.Range);
    }

    /// <summary>The smallest stride s for which a 1x1 convolution turns <paramref name="input"/>
    /// into <paramref name="output"/> (PyTorch: floor((input - 1) / s) + 1), or null.</summary>
    private static long? ProjectionStride(long input, long output)
    {
        if (output < 1 || output > input) return null;
        var stride = (input - 1) / output + 1;
        return (input - 1) / stride + 1 == output ? stride : null;
    }

    private LayerInfo? AnalyzeLayer(LayerNode layer, string path, int depth, Shape input, ReceptiveField field, Origin? origin)
    {
        var outcome = layer.Spec.Infer(input);
        if (!outcome.Succeeded)
        {
            // The layer cannot take its input: show where that input comes from, too.
            Fail(outcome.Error!, layer.Range, $"in `{path}`: {outcome.ErrorMessage}", outcome.Help,
                (origin?.Range, origin?.Label(input)));
            return null;
        }

        var parameters = outcome.Tensors.Where(t => t.Role == TensorRole.Parameter).Sum(t => t.Elements);
        var buffers = outcome.Tensors.Where(t => t.Role == TensorRole.Buffer).Sum(t => t.Elements);
        return new LayerInfo(path, layer.Label ?? "", depth, layer.Spec, null, input, outcome.Output!, outcome.Tensors,
            parameters, buffers, outcome.MultiplyAdds, field.Through(outcome.Window), layer.Range, Array.Empty<LayerInfo>())
        {
            Cost = layer.Spec.Cost(input, outcome.Output!, outcome.MultiplyAdds, parameters),
        };
    }

    private static LayerInfo Container(
        string path, string name, int depth, string? blockName, Shape input, Shape output, ReceptiveField field, TextRange range,
        IReadOnlyList<LayerInfo> children, NodeKind kind, LayerInfo? shortcut = null, bool transparent = false)
    {
        var parts = shortcut is null ? children : children.Concat(new[] { shortcut }).ToList();
        var counted = parts.Where(c => c.Kind != NodeKind.Auxiliary).ToList();
        return new LayerInfo(path, name, depth, null, blockName, input, output, Array.Empty<TensorSpec>(),
            counted.Aggregate(0L, (s, c) => checked(s + c.Parameters)),
            parts.Aggregate(0L, (s, c) => checked(s + c.Buffers)),
            counted.Aggregate(0L, (s, c) => checked(s + c.MultiplyAdds)),
            field, range, children, kind, shortcut, transparent)
        {
            AuxiliaryParameters = parts.Aggregate(0L, (s, c) => checked(s + c.AuxiliaryParameters)),
        };
    }

    private LayerInfo? Fail(DiagnosticDescriptor descriptor, TextRange range, string message, string? help,
        params (TextRange? Range, string? Label)[] related)
    {
        _diagnostics.Report(descriptor, range, message, help,
            related.Where(r => r.Range is not null && r.Label is not null).Select(r => (r.Range!.Value, r.Label!)));
        return null;
    }

    /// <summary>Where the tensor a node receives was made: the layer, block or merge before it,
    /// or the declared input of the model.</summary>
    private readonly record struct Origin(TextRange Range, bool IsModelInput)
    {
        /// <summary>"this gives 6x24x24", "the model's input is 3x4x4", or with a carrier: "the
        /// shortcut carries this, 64x56x56", "... the model's input, 64x56x56".</summary>
        public string Label(Shape shape, string? carrier = null)
        {
            var text = shape.Rank == 1 ? $"{shape} features" : shape.ToString();
            return carrier is null
                ? IsModelInput ? $"the model's input is {text}" : $"this gives {text}"
                : IsModelInput ? $"{carrier} the model's input, {text}" : $"{carrier} this, {text}";
        }
    }

    private static string Join(string scope, string? name) =>
        name is null ? scope : scope.Length == 0 ? name : scope + "." + name;

    private static string Display(string path) => path.Length == 0 ? "(model)" : path;
}
