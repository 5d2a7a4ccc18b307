using System.Collections.Generic;
using CnnDsl.Dsl.Layers;
using CnnDsl.Dsl.Merges;
using CnnDsl.Dsl.Text;

namespace CnnDsl.Dsl.Analysis;

public enum NodeKind
{
    /// <summary>One layer: a module with a forward of its own.</summary>
    Layer,

    /// <summary>Layers applied in order under one name.</summary>
    Group,

    /// <summary>Branches that split from one input and merge again: its
    /// <see cref="LayerInfo.Structure"/> says which structure and which merge.</summary>
    Merge,

    /// <summary>A training-only head reading the passing tensor.</summary>
    Auxiliary,
}

/// <summary>One analysed layer, group or merge of a model: where it sits (its <c>state_dict</c>
/// path), what it receives and produces, what it owns and what it costs. A container's figures
/// are the sums over its children, auxiliary heads excepted.</summary>
public sealed record LayerInfo(
    string Path,
    string Name,
    int Depth,
    LayerSpec? Spec,
    string? BlockName,
    Shape Input,
    Shape Output,
    IReadOnlyList<TensorSpec> Tensors,
    long Parameters,
    long Buffers,
    long MultiplyAdds,
    ReceptiveField ReceptiveField,
    TextRange Range,
    IReadOnlyList<LayerInfo> Children,
    NodeKind Kind = NodeKind.Layer,
    LayerInfo? Shortcut = null,
    bool Transparent = false)
{
    /// <summary>Anything but a single layer: a group, a branch point or a merge.</summary>
    public bool IsGroup => Spec is null;

    /// <summary><c>Conv2d</c>, <c>BatchNorm2d</c>, ... for layers; the block's name for groups;
    /// the operation for merges.</summary>
    public string TypeName => Spec?.ModuleType(Input) ?? Structure?.TypeName ?? (Kind == NodeKind.Auxiliary ? "AuxiliaryHead" : BlockName ?? "Sequential");

    /// <summary>The kind of node, as JSON and CSV summaries name it: <c>layer</c>, <c>group</c>,
    /// <c>auxiliary</c>, or the structure's name (<c>concat</c>, <c>residual</c>, ...).</summary>
    public string KindName => Structure?.Name ?? Kind switch
    {
        NodeKind.Layer => "layer",
        NodeKind.Group => "group",
        NodeKind.Auxiliary => "auxiliary",
        _ => throw new System.InvalidOperationException($"a merge node at `{Path}` has no structure"),
    };

    /// <summary>For a merge: the structure it was written as, and so how its branches join.</summary>
    public Structure? Structure { get; init; }

    /// <summary>For a merge: what each branch applies to the merge's input, in the order the merge
    /// takes them; an empty branch is the input itself (a residual's identity shortcut, the input a
    /// dense layer keeps, the tensor a gate scales).</summary>
    public IReadOnlyList<IReadOnlyList<LayerInfo>> Branches { get; init; } = System.Array.Empty<IReadOnlyList<LayerInfo>>();

    /// <summary>The work of this layer or merge alone (not its children), under each counting convention.</summary>
    public LayerCost Cost { get; init; } = LayerCost.None;

    /// <summary>Parameters of auxiliary heads at or below this node (not in <see cref="Parameters"/>).</summary>
    public long AuxiliaryParameters { get; init; }

    /// <summary>This node and every node below it, depth first in forward order; a residual's
    /// shortcut follows its body.</summary>
    public IEnumerable<LayerInfo> DescendantsAndSelf()
    {
        yield return this;
        foreach (var child in Children)
        {
            foreach (var descendant in child.DescendantsAndSelf()) yield return descendant;
        }

        if (Shortcut is null) yield break;
        foreach (var descendant in Shortcut.DescendantsAndSelf()) yield return descendant;
    }
}
