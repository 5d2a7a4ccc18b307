using System.Collections.Generic;
using CnnDsl.Dsl.Layers;
using CnnDsl.Dsl.Text;

namespace CnnDsl.Dsl.Analysis;

public enum NodeKind
{
    /// <summary>One layer: a module with a forward of its own.</summary>
    Layer,

    /// <summary>Layers applied in order under one name.</summary>
    Group,

    /// <summary>Branches from one input, joined along channels.</summary>
    Concat,

    /// <summary>A body whose output is added to a shortcut's.</summary>
    Residual,

    /// <summary>A body whose output is joined to its own input along channels.</summary>
    Dense,

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
    public string TypeName => Spec?.ModuleType(Input) ?? Kind switch
    {
        NodeKind.Concat => "Concat",
        NodeKind.Residual => "Add",
        NodeKind.Dense => "DenseConcat",
        NodeKind.Auxiliary => "AuxiliaryHead",
        _ => BlockName ?? "Sequential",
    };

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
