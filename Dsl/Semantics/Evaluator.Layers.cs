using System;
using System.Collections.Generic;
using System.Linq;
using CnnDsl.Dsl.Diagnostics;
using CnnDsl.Dsl.Layers;
using CnnDsl.Dsl.Syntax;
using CnnDsl.Dsl.Text;

namespace CnnDsl.Dsl.Semantics;

// Layers composed: sequences, labels, loops and repetition.
public sealed partial class Evaluator
{
    private Value? EvaluateSequence(SequenceExpression sequence, Scope scope)
    {
        var nodes = new List<NetworkNode>();
        var failed = false;
        foreach (var item in sequence.Items)
        {
            var layers = ExpectLayers(Evaluate(item, scope), item.Range);
            if (layers is null) failed = true;
            else nodes.AddRange(layers.Nodes);
        }

        return failed ? null : new LayersValue(nodes);
    }

    private Value? EvaluateLabeled(LabeledExpression labeled, Scope scope)
    {
        var label = LabelText(labeled.Label, scope);
        var layers = ExpectLayers(Evaluate(labeled.Body, scope), labeled.Body.Range);
        if (label is null || layers is null) return null;
        if (layers.Nodes.Count == 0) return layers;

        // `conv1: conv(...)` names that layer and `layer1: basic(64)` names the module the block
        // made; anything else (several layers, a block that splices its layers) becomes a group.
        NetworkNode node = layers.Nodes.Count == 1 && layers.Nodes[0] is DeferredNode { Label: null } deferred
            // Whether the label names the block's module or a group around it is known once it is expanded.
            ? deferred with { Label = label, LabelNamesResult = NamesItsResult(labeled.Body, deferred), LabelRange = labeled.Range }
            : layers.Nodes.Count == 1 && NamesItsResult(labeled.Body, layers.Nodes[0])
                ? layers.Nodes[0] with { Label = label }
                : new GroupNode(layers.Nodes, label, null, labeled.Range);
        return new LayersValue(new[] { node });
    }

    private bool NamesItsResult(Expression body, NetworkNode result)
    {
        if (body is GuardedExpression guarded) body = guarded.Body;
        var callee = body switch
        {
            CallExpression call => call.Callee.Name,
            NameExpression n => n.Name.Name,
            _ => null,
        };
        if (callee is null || result.Label is not null) return false;
        if (Globals.ContainsKey(callee))
        {
            return (result is GroupNode group && group.BlockName == callee) || (result is DeferredNode deferred && deferred.BlockName == callee);
        }

        return LayerCatalog.Layers.ContainsKey(callee) || (IsStructure(callee) && result is StructureNode);
    }

    private string? LabelText(Expression label, Scope scope)
    {
        if (label is NameExpression name) return name.Name.Name;
        var value = Evaluate(label, scope);
        if (value is null) return null;
        var text = value is StringValue s ? s.Value : value.Display();
        if (!IsLayerName(text))
        {
            Report(DiagnosticCodes.InvalidValue, label.Range, $"a layer name is letters, digits, '_' and '-', but this one is \"{text}\"",
                "PyTorch joins names with '.', so a name cannot hold one; write \"block1-0\" or \"layer{i + 1}\"");
            return null;
        }

        return text;
    }

    /// <summary>A label as PyTorch registers it: one path segment, so no '.'; ASCII letters,
    /// digits, '_' and '-' (torchvision's RegNet names its blocks `block1-0`).</summary>
    private static bool IsLayerName(string text) =>
        text.Length > 0 && text.All(c => c is '_' or '-' || char.IsLetterOrDigit(c) && c < 128);

    private Value? EvaluateFor(ForExpression loop, Scope scope)
    {
        var source = Evaluate(loop.Source, scope);
        if (source is null) return null;
        if (source is not ListValue list)
        {
            return ReportNull(DiagnosticCodes.TypeMismatch, loop.Source.Range,
                $"`for` loops over a list, but this is the {source.TypeName} {source.Display()}");
        }

        var nodes = new List<NetworkNode>();
        foreach (var item in list.Items)
        {
            var layers = ExpectLayers(Evaluate(loop.Body, scope.With(loop.Variable.Name, item)), loop.Body.Range);
            if (layers is null) return null;
            nodes.AddRange(layers.Nodes);
        }

        return new LayersValue(nodes);
    }

    private Value? EvaluateRepeat(RepeatExpression repeat, Scope scope)
    {
        var count = Evaluate(repeat.Count, scope);
        if (count is null) return null;
        if (count is not IntValue { Value: >= 0 } times)
        {
            return ReportNull(DiagnosticCodes.TypeMismatch, repeat.Count.Range,
                $"`repeat` needs a count of zero or more, but this is the {count.TypeName} {count.Display()}");
        }

        var nodes = new List<NetworkNode>();
        for (long i = 0; i < times.Value; i++)
        {
            var layers = ExpectLayers(Evaluate(repeat.Body, scope), repeat.Body.Range);
            if (layers is null) return null;
            nodes.AddRange(layers.Nodes);
            if (_budget.LayersSpent) return null;
        }

        return new LayersValue(nodes);
    }

    private LayersValue? ExpectLayers(Value? value, TextRange range)
    {
        if (value is null) return null;
        if (value is LayersValue layers) return layers;
        Report(DiagnosticCodes.TypeMismatch, range,
            $"expected layers here, but this is the {value.TypeName} {value.Display()}",
            value is IntValue ? "a number alone is not a layer; did you mean conv(...) or linear(...)?" : null);
        return null;
    }
}
