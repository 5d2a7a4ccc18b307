using System.Collections.Generic;
using CnnDsl.Dsl.Diagnostics;
using CnnDsl.Dsl.Layers;
using CnnDsl.Dsl.Semantics;

namespace CnnDsl.Dsl.Analysis;

/// <summary>Puts the layers of a model's deferred calls (blocks that read <c>input</c>) in their
/// places, so the model can be analysed as if each block had known its input when it was called.
/// </summary>
/// <remarks>
/// Names are given per level before a level is analysed, and the layers a block gives change the
/// names after it (a block whose layers have no names of their own splices them in), so the
/// expansions have to be in place first. A first analysis, whose diagnostics and names are thrown
/// away, carries the shapes forward and has the evaluator expand each deferred call where it meets
/// it, noting the input it received; the expansions then replace the calls, visited in the same
/// order, and the analysis that counts runs on the result. The evaluator keeps each expansion by
/// call and input, so a call is evaluated (and its layers charged) once. A model without deferred
/// calls costs one walk of its tree; one with them, one more analysis.
/// </remarks>
internal static class DeferredResolution
{
    public static EvaluatedModel? Resolve(EvaluatedModel model, IDeferredExpander expander, DiagnosticBag diagnostics)
    {
        if (!HasDeferred(model.Root)) return model;
        var recorder = new Recorder(expander);
        new ShapeAnalyzer(new DiagnosticBag(diagnostics.Source), recorder).Analyze(model);
        var substitution = new Substitution(recorder.Inputs, expander, diagnostics);
        var children = substitution.Sequence(model.Root.Children);
        if (substitution.Failed) return null;
        if (children.Count == 0)
        {
            diagnostics.Report(DiagnosticCodes.EmptyModel, model.NameRange, $"model `{model.Name}` has no layers");
            return null;
        }

        return model with { Root = model.Root with { Children = children } };
    }

    private static bool HasDeferred(NetworkNode root)
    {
        var work = new Stack<NetworkNode>();
        work.Push(root);
        while (work.Count > 0)
        {
            var node = work.Pop();
            if (node is DeferredNode) return true;
            foreach (var child in Evaluator.ChildrenOf(node)) work.Push(child);
        }

        return false;
    }

    /// <summary>Expands as asked, noting each call's inputs in the order they are met.</summary>
    private sealed class Recorder : IDeferredExpander
    {
        private readonly IDeferredExpander _inner;

        public Recorder(IDeferredExpander inner) => _inner = inner;

        public Dictionary<DeferredCall, Queue<Shape>> Inputs { get; } = new();

        public IReadOnlyList<NetworkNode>? Place(DeferredNode node, Shape input)
        {
            if (!Inputs.TryGetValue(node.Call, out var inputs)) Inputs[node.Call] = inputs = new Queue<Shape>();
            inputs.Enqueue(input);
            return _inner.Place(node, input);
        }
    }

    /// <summary>Rebuilds the tree with each deferred call replaced by its layers at the input the
    /// first analysis met it with. A call that analysis never reached (it stopped at an error
    /// before) stays: the analysis that counts stops at the same error.</summary>
    private sealed class Substitution
    {
        private readonly Dictionary<DeferredCall, Queue<Shape>> _inputs;
        private readonly IDeferredExpander _expander;
        private readonly DiagnosticBag _diagnostics;

        public Substitution(Dictionary<DeferredCall, Queue<Shape>> inputs, IDeferredExpander expander, DiagnosticBag diagnostics)
        {
            _inputs = inputs;
            _expander = expander;
            _diagnostics = diagnostics;
        }

        public bool Failed { get; private set; }

        public IReadOnlyList<NetworkNode> Sequence(IReadOnlyList<NetworkNode> nodes)
        {
            var result = new List<NetworkNode>(nodes.Count);
            foreach (var node in nodes)
            {
                if (node is DeferredNode deferred) result.AddRange(Expanded(deferred));
                else result.Add(Rebuilt(node));
            }

            return result;
        }

        /// <summary>A part that is one node (a concat branch): several layers become an unnamed
        /// group, as a branch of several layers written out does.</summary>
        private NetworkNode Single(NetworkNode node)
        {
            if (node is not DeferredNode deferred) return Rebuilt(node);
            var nodes = Expanded(deferred);
            if (nodes.Count == 1) return nodes[0];
            if (nodes.Count > 1) return new GroupNode(nodes, null, null, deferred.Range);
            _diagnostics.Report(DiagnosticCodes.InvalidValue, deferred.Range, $"`{deferred.BlockName}` gives no layers here, where it is a branch",
                "use `identity` for a branch that passes its input through");
            Failed = true;
            return deferred;
        }

        private NetworkNode Rebuilt(NetworkNode node) => node switch
        {
            GroupNode group => group with { Children = Sequence(group.Children) },
            StructureNode structure => structure.MapParts(Sequence, Single),
            _ => node,
        };

        private IReadOnlyList<NetworkNode> Expanded(DeferredNode deferred)
        {
            if (!_inputs.TryGetValue(deferred.Call, out var inputs) || inputs.Count == 0) return new NetworkNode[] { deferred };
            var placed = _expander.Place(deferred, inputs.Dequeue());
            if (placed is not null) return Sequence(placed);
            Failed = true;
            return new NetworkNode[] { deferred };
        }
    }
}
