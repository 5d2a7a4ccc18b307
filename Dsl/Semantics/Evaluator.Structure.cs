using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using CnnDsl.Dsl.Diagnostics;
using CnnDsl.Dsl.Layers;
using CnnDsl.Dsl.Merges;
using CnnDsl.Dsl.Syntax;

namespace CnnDsl.Dsl.Semantics;

// Branches and merges: concat, split, residual, dense, gate, aux; blocks as values; names through them;
// strings with {...} parts.
public sealed partial class Evaluator
{
    /// <summary>The builtins that shape the path rather than transform the tensor.</summary>
    public static IReadOnlyList<string> StructureNames { get; } = new[] { "residual", "dense", "gate", "aux" };

    private readonly Dictionary<StringLiteral, IReadOnlyList<object>> _interpolations = new(ReferenceComparer<StringLiteral>.Instance);

    /// <summary>Stands for a {...} part that did not parse (already reported).</summary>
    private static readonly object InvalidPart = new();

    private static bool IsStructure(string name) => StructureNames.Contains(name);

    private static bool HasRequiredParameters(Declaration declaration) => declaration switch
    {
        BlockDeclaration b => b.Parameters.Any(p => p.Default is null),
        NetworkDeclaration n => n.Parameters.Any(p => p.Default is null),
        _ => false,
    };

    internal static IReadOnlyList<NetworkNode> ChildrenOf(NetworkNode node) => node switch
    {
        GroupNode g => g.Children,
        ConcatNode c => c.Branches,
        ResidualNode r => r.CustomShortcut is null ? r.Body : r.Body.Concat(new[] { r.CustomShortcut }).ToList(),
        BodyMergeNode b => b.Body,
        AuxNode a => a.Head,
        LayerNode => Array.Empty<NetworkNode>(),
        DeferredNode => Array.Empty<NetworkNode>(), // its layers exist once its input is known
        _ => throw new InvalidOperationException($"no children known for a {node.Describe()} node"),
    };

    /// <summary>True when some layer would be named at this level: labeled itself, or inside an
    /// unlabeled branch or merge, or an unlabeled branch of several layers (which add no name
    /// segment of their own when something inside is labeled).</summary>
    internal static bool HasNamedMembers(IEnumerable<NetworkNode> nodes) =>
        nodes.Any(n => n.Label is not null
            || n is ResidualNode { Shortcut: not ShortcutKind.Identity }
            || (n is StructureNode or GroupNode { BlockName: null } && HasNamedMembers(ChildrenOf(n))));

    /// <summary><c>concat [...]</c>, <c>split [...]</c> or <c>add [...]</c>: a list of branches.</summary>
    private Value? EvaluateConcat(ConcatExpression concat, Scope scope)
    {
        var structure = concat.Keyword switch
        {
            "concat" => Structure.Concat,
            "split" => Structure.Split,
            "add" => Structure.Sum,
            _ => throw new InvalidOperationException($"`{concat.Keyword}` is not a list of branches"),
        };
        var branches = new List<NetworkNode>(concat.Branches.Count);
        foreach (var branch in concat.Branches)
        {
            var layers = ExpectLayers(Evaluate(branch, scope), branch.Range);
            if (layers is null) return null;
            if (layers.Nodes.Count == 0)
            {
                return ReportNull(DiagnosticCodes.InvalidValue, branch.Range, $"a {structure.Name} branch has no layers",
                    $"use `identity` for a branch that passes its {(structure.Inputs.IsShared ? "input" : "chunk")} through");
            }

            branches.Add(layers.Nodes.Count == 1 ? layers.Nodes[0] : new GroupNode(layers.Nodes, null, null, branch.Range));
        }

        if (branches.Count < 2)
        {
            return ReportNull(DiagnosticCodes.InvalidValue, concat.Range, $"{structure.Name} needs at least two branches, but has {branches.Count}");
        }

        return new LayersValue(new NetworkNode[]
        {
            new ConcatNode(branches, null, concat.Range) { Structure = structure, BranchRanges = concat.Branches.Select(b => b.Range).ToArray() },
        });
    }

    private Value? EvaluateStructure(CallExpression call, Scope scope)
    {
        var name = call.Callee.Name;
        var parameters = name == "residual" ? new[] { "body", "shortcut" } : new[] { name == "aux" ? "head" : "body" };
        var signature = name == "residual" ? "residual(body, shortcut = identity)" : $"{name}({parameters[0]})";
        var values = EvaluateArguments(call.Arguments, scope);
        if (values is null) return null;
        var bound = BindArguments(name, parameters, p => p != "shortcut", values, call.Range, () => signature);
        if (bound is null) return null;

        var (bodyValue, bodyRange) = bound[parameters[0]];
        var body = ExpectLayers(bodyValue, bodyRange);
        if (body is null) return null;
        if (body.Nodes.Count == 0) return ReportNull(DiagnosticCodes.InvalidValue, bodyRange, $"the {parameters[0]} of {name} has no layers");

        (Value Value, Text.TextRange Range)? shortcut = bound.TryGetValue("shortcut", out var given) ? given : null;
        NetworkNode? node = name switch
        {
            "dense" => new BodyMergeNode(Structure.Dense, Unwrapped(body.Nodes), null, call.Range) { BodyRange = bodyRange },
            "gate" => new BodyMergeNode(Structure.Gate, Unwrapped(body.Nodes), null, call.Range) { BodyRange = bodyRange },
            "aux" => new AuxNode(Unwrapped(body.Nodes), null, call.Range),
            "residual" => Residual(Unwrapped(body.Nodes), shortcut, call.Range) is { } residual
                ? residual with { BodyRange = bodyRange, ShortcutRange = shortcut?.Range }
                : null,
            _ => throw new InvalidOperationException($"`{name}` is not a structure"),
        };
        return node is null ? null : new LayersValue(new[] { node });
    }

    /// <summary>A body made by one module-like block call is that module: its layers are named
    /// directly under the label (`aux1.fc1`, `denselayer1.norm1`, not `aux1.0.fc1`).</summary>
    private static IReadOnlyList<NetworkNode> Unwrapped(IReadOnlyList<NetworkNode> nodes) =>
        nodes.Count == 1 && nodes[0] is GroupNode { Label: null } group ? group.Children : AsSoleBody(nodes) ?? nodes;

    private ResidualNode? Residual(IReadOnlyList<NetworkNode> body, (Value Value, Text.TextRange Range)? shortcut, Text.TextRange range)
    {
        switch (shortcut?.Value)
        {
            case null:
                return new ResidualNode(body, ShortcutKind.Identity, null, null, range);
            case StringValue { Value: "projection" }:
                return new ResidualNode(body, ShortcutKind.Projection, null, null, range);
            case LayersValue layers when layers.Nodes.All(n => n is LayerNode { Spec: IdentitySpec }):
                return new ResidualNode(body, ShortcutKind.Identity, null, null, range);
            case LayersValue layers:
                var custom = layers.Nodes.Count == 1 && layers.Nodes[0].Label is not null
                    ? layers.Nodes[0]
                    : new GroupNode(layers.Nodes, ResidualNode.ShortcutName, null, shortcut.Value.Range);
                return new ResidualNode(body, ShortcutKind.Custom, custom, null, range);
            default:
                Report(DiagnosticCodes.ArgumentType, shortcut.Value.Range,
                    $"`shortcut` of residual must be `identity`, `projection` or layers, but is the {shortcut.Value.Value.TypeName} {shortcut.Value.Value.Display()}");
                return null;
        }
    }

    /// <summary>Fills in the <c>{expression}</c> parts of a string.</summary>
    private Value? Interpolate(StringLiteral literal, Scope scope)
    {
        if (literal.Value.IndexOf('{') < 0) return new StringValue(literal.Value);
        if (!_interpolations.TryGetValue(literal, out var parts))
        {
            parts = ParseInterpolation(literal);
            _interpolations[literal] = parts;
        }

        var text = new StringBuilder();
        foreach (var part in parts)
        {
            if (ReferenceEquals(part, InvalidPart)) return null;
            if (part is string fixedText)
            {
                text.Append(fixedText);
                continue;
            }

            var value = Evaluate((Expression)part, scope);
            if (value is null) return null;
            text.Append(value is StringValue s ? s.Value : value.Display());
        }

        return new StringValue(text.ToString());
    }

    private IReadOnlyList<object> ParseInterpolation(StringLiteral literal)
    {
        var parts = new List<object>();
        var text = literal.Value;
        var contentStart = literal.Range.Start + 1;
        var position = 0;
        while (position < text.Length)
        {
            var open = text.IndexOf('{', position);
            if (open < 0)
            {
                parts.Add(text.Substring(position));
                break;
            }

            var close = text.IndexOf('}', open + 1);
            if (close < 0)
            {
                Report(DiagnosticCodes.SyntaxError, new Text.TextRange(contentStart + open, contentStart + text.Length),
                    "`{` in a string is not closed", "a string's {...} part is an expression: \"denselayer{i + 1}\"");
                return new[] { InvalidPart }; // reported once, here: the string has no value
            }

            parts.Add(text.Substring(position, open - position));
            var expression = CnnParser.ParseEmbeddedExpression(text.Substring(open + 1, close - open - 1), contentStart + open + 1, _diagnostics);
            parts.Add(expression is null ? InvalidPart : expression);
            position = close + 1;
        }

        return parts;
    }

    private sealed class ReferenceComparer<T> : IEqualityComparer<T> where T : class
    {
        public static readonly ReferenceComparer<T> Instance = new();
        public bool Equals(T? x, T? y) => ReferenceEquals(x, y);
        public int GetHashCode(T obj) => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(obj);
    }
}
