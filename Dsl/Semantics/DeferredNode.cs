using System.Collections.Generic;
using CnnDsl.Dsl.Syntax;
using CnnDsl.Dsl.Text;

namespace CnnDsl.Dsl.Semantics;

/// <summary>A call of a block that reads <c>input</c>, kept until the shape it receives is known.
/// The shape analysis meets it where it is used and has the evaluator expand it there (see
/// <see cref="Analysis.DeferredResolution"/>); the layers it expands to stand in its place as the
/// block's layers would have, had the shape been known when it was called.</summary>
public sealed record DeferredNode : NetworkNode
{
    internal DeferredNode(DeferredCall call, string? label, TextRange range)
        : base(label, range) => Call = call;

    /// <summary>The call itself, shared by every copy of this node (a label given to it, the same
    /// value used at several places): each place it is used at is expanded on its own.</summary>
    internal DeferredCall Call { get; }

    /// <summary>The block's (or network's) name.</summary>
    public string BlockName => Call.Name;

    internal DeferredPlacement Placement { get; init; }

    /// <summary>True when the node's label names the module the block makes (<c>layer1: block(...)</c>,
    /// a direct call of a declared block), as it would for a block called at once; otherwise a
    /// label makes a group around what the block gives.</summary>
    internal bool LabelNamesResult { get; init; }

    /// <summary>Where the label is written: the range of the group it makes.</summary>
    internal TextRange LabelRange { get; init; }

    public override string Describe() => Call.Name;
}

/// <summary>Where a deferred call stands, for the rules a block called at once meets there.</summary>
internal enum DeferredPlacement
{
    /// <summary>Among other layers: its layers take its place.</summary>
    Sequence,

    /// <summary>All of a residual's, dense's or aux's body: a module it makes is unwrapped, so its
    /// layers are named directly under the structure's label.</summary>
    SoleBody,

    /// <summary>All of a model's body, a network: the network's layers sit at the model's top.</summary>
    ModelNetwork,
}

/// <summary>One evaluated call of a block that reads <c>input</c>: the block, its arguments as
/// bound where it was called, and how deep in calls and expressions that was (so recursion through
/// deferred calls still meets <see cref="EvaluationBudget.MaxCallDepth"/> and
/// <see cref="EvaluationBudget.MaxEvaluationDepth"/>).</summary>
internal sealed class DeferredCall
{
    public DeferredCall(Declaration declaration, string name, IReadOnlyDictionary<string, (Value, TextRange)> arguments,
        string[] callers, int depth)
    {
        Declaration = declaration;
        Name = name;
        Arguments = arguments;
        Callers = callers;
        Depth = depth;
    }

    public Declaration Declaration { get; }
    public string Name { get; }
    public IReadOnlyDictionary<string, (Value, TextRange)> Arguments { get; }

    /// <summary>The names of the blocks being called where it was called, innermost first.</summary>
    public string[] Callers { get; }

    /// <summary>The evaluation depth where it was called.</summary>
    public int Depth { get; }
}

/// <summary>Expands deferred calls once the shape they receive is known.</summary>
internal interface IDeferredExpander
{
    /// <summary>The nodes that stand where <paramref name="node"/> is used, when it receives
    /// <paramref name="input"/> (one sample's shape); null when that fails (reported).</summary>
    IReadOnlyList<NetworkNode>? Place(DeferredNode node, Layers.Shape input);
}
