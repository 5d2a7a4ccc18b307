using System.Collections.Generic;
using CnnDsl.Dsl.Layers;
using CnnDsl.Dsl.Text;

namespace CnnDsl.Dsl.Analysis;

/// <summary>One analysed layer or group of a model: where it sits (its <c>state_dict</c> path),
/// what it receives and produces, what it owns and what it costs. A group's figures are the
/// sums over its children.</summary>
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
    IReadOnlyList<LayerInfo> Children)
{
    public bool IsGroup => Spec is null;

    /// <summary><c>Conv2d</c>, <c>BatchNorm2d</c>, ... for layers; the block's name for groups.</summary>
    public string TypeName => Spec?.ModuleType(Input) ?? BlockName ?? "Sequential";

    /// <summary>This layer and every layer and group below it, depth first, in forward order.</summary>
    public IEnumerable<LayerInfo> DescendantsAndSelf()
    {
        yield return this;
        foreach (var child in Children)
        {
            foreach (var descendant in child.DescendantsAndSelf()) yield return descendant;
        }
    }
}
