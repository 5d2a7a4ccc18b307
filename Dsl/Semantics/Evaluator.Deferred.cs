using System;
using System.Collections.Generic;
using System.Linq;
using CnnDsl.Dsl.Diagnostics;
using CnnDsl.Dsl.Layers;
using CnnDsl.Dsl.Syntax;
using CnnDsl.Dsl.Text;

namespace CnnDsl.Dsl.Semantics;

// Blocks that read `input`: their calls are deferred until the shape analysis knows what they
// receive, then expanded there (see DeferredNode and Analysis/DeferredResolution).
public sealed partial class Evaluator : IDeferredExpander
{
    private static readonly string[] InputMembers = { "channels", "height", "width" };

    private readonly InputReads _inputReads = new();

    /// <summary>Expansions of the current model's deferred calls, by call and input shape: each is
    /// evaluated (and its layers charged to the model) once.</summary>
    private readonly Dictionary<(DeferredCall Call, Shape Input), LayersValue?> _expansions = new();

    private bool ReadsInput(Declaration declaration) => _inputReads.Of(declaration);

    private Value Defer(Declaration declaration, string name, IReadOnlyDictionary<string, (Value, TextRange)> bound, TextRange range)
    {
        var call = new DeferredCall(declaration, name, bound, _callStack.ToArray(), _budget.Depth);
        return new LayersValue(new NetworkNode[] { new DeferredNode(call, null, range) });
    }

    /// <summary>Where a deferred call is all of a structure's body, the rule of
    /// <see cref="Unwrapped"/> applies once it is expanded.</summary>
    private static IReadOnlyList<NetworkNode>? AsSoleBody(IReadOnlyList<NetworkNode> nodes) =>
        nodes.Count == 1 && nodes[0] is DeferredNode { Label: null } deferred
            ? new NetworkNode[] { deferred with { Placement = DeferredPlacement.SoleBody } }
            : null;

    IReadOnlyList<NetworkNode>? IDeferredExpander.Place(DeferredNode node, Shape input)
    {
        var expansion = Expansion(node, input);
        if (expansion is null) return null;
        var nodes = expansion.Nodes;
        if (node.Label is not null)
        {
            // As EvaluateLabeled does for a block called at once.
            if (nodes.Count == 0) return nodes;
            return node.LabelNamesResult && nodes.Count == 1 && nodes[0] is GroupNode { Label: null } module && module.BlockName == node.BlockName
                ? new NetworkNode[] { module with { Label = node.Label } }
                : new NetworkNode[] { new GroupNode(nodes, node.Label, null, node.LabelRange) };
        }

        switch (node.Placement)
        {
            case DeferredPlacement.SoleBody:
                if (nodes.Count != 0) return Unwrapped(nodes);
                Report(DiagnosticCodes.InvalidValue, node.Range, $"`{node.BlockName}` gives no layers here, where it is all of a body");
                return null;
            case DeferredPlacement.ModelNetwork:
                // As EvaluateModel does for a network called at once: its layers sit at the top.
                return nodes.Count == 1 && nodes[0] is GroupNode { Label: null } network && network.BlockName == node.BlockName
                    ? network.Children
                    : nodes;
            default:
                return nodes;
        }
    }

    /// <summary>The call evaluated with <c>input</c> bound to the shape it receives, in the call
    /// stack and at the evaluation depth it was made at.</summary>
    private LayersValue? Expansion(DeferredNode node, Shape input)
    {
        var call = node.Call;
        if (_expansions.TryGetValue((call, input), out var known)) return known;
        var (callers, depth) = (_callStack.ToArray(), _budget.Depth);
        _callStack.Clear();
        for (var i = call.Callers.Length - 1; i >= 0; i--) _callStack.Push(call.Callers[i]);
        _budget.Depth = call.Depth;
        Value? result;
        try
        {
            result = EvaluateBody(call.Declaration, call.Name, call.Arguments, node.Range, new BlockInput(input, call.Name, node.Range));
        }
        finally
        {
            _callStack.Clear();
            for (var i = callers.Length - 1; i >= 0; i--) _callStack.Push(callers[i]);
            _budget.Depth = depth;
        }

        var layers = result switch
        {
            null => null,
            LayersValue value => value,
            _ => (LayersValue?)ReportNull(DiagnosticCodes.TypeMismatch, node.Range,
                $"`{call.Name}` reads `input`, so it is used as layers, but it gives the {result.TypeName} {result.Display()}",
                "a block that reads `input` describes layers; compute sizes inside it"),
        };
        _expansions[(call, input)] = layers;
        return layers;
    }

    private Value? EvaluateInput(InputExpression expression, Scope scope)
    {
        if (expression.Member is null)
        {
            return ReportNull(DiagnosticCodes.InputNotAvailable, expression.Range,
                "`input` is read through one of its sizes", "write input.channels, input.height or input.width");
        }

        var member = expression.Member.Name;
        if (!InputMembers.Contains(member))
        {
            return ReportNull(DiagnosticCodes.UnknownName, expression.Member.Range, $"`input` has no size `{member}`",
                Suggestions.DidYouMean(member, InputMembers) ?? "its sizes are input.channels, input.height and input.width");
        }

        if (scope.Input is not { } use)
        {
            return ReportNull(DiagnosticCodes.InputNotAvailable, expression.Range,
                $"`input.{member}` is only known inside a block or network, where it is the size of what the block receives",
                "move this into a block; a model's input is the shape it declares");
        }

        if (!use.Shape.IsImage)
        {
            _diagnostics.Report(DiagnosticCodes.InputNotAvailable, expression.Range,
                $"`input.{member}` needs an image (C x H x W), but `{use.BlockName}` receives {Described(use.Shape)} here",
                "use the block where its input is an image, or pass the size as an argument",
                new[] { (use.UsedAt, $"`{use.BlockName}` is used here, on {Described(use.Shape)}") });
            return null;
        }

        return new IntValue(member switch
        {
            "channels" => use.Shape.Channels,
            "height" => use.Shape.Height,
            _ => use.Shape.Width,
        });
    }

    private static string Described(Shape shape) => shape.Rank == 1 ? $"{shape} features" : $"a tensor of shape {shape}";
}
