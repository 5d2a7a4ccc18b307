using System.Linq;

namespace CnnDsl.Dsl.Analysis;

/// <summary>When a forward pass may overwrite a tensor instead of allocating a new one, as
/// torchvision's <c>ReLU(inplace=True)</c> and <c>out += identity</c> do. Autograd allows it only
/// where no backward pass reads the overwritten values: the tensor's producer must not need its
/// own output, and the in-place operation must be the tensor's only reader (an earlier reader,
/// such as a convolution in a sibling branch, may have saved it for its backward). The facts come
/// from each layer's <see cref="Layers.LayerSpec.InPlace"/> and each merge's
/// <see cref="Merges.Merge.AccumulateMethod"/>; the generator and the interpreter both ask here.</summary>
public static class InPlace
{
    /// <summary>The TorchSharp method that applies a layer in place (<c>relu_</c>), or null.</summary>
    public static string? MethodOf(LayerInfo node) => node.Spec?.InPlace.Method;

    /// <summary>Whether a node's backward pass leaves its own output unread, so the output may be
    /// changed in place afterwards. A merge's never reads it: concatenation, addition and
    /// multiplication differentiate through their inputs.</summary>
    public static bool MayOverwriteOutputOf(LayerInfo producer) =>
        producer.Kind == NodeKind.Merge || producer.Spec is { InPlace.OutputNeededByBackward: false };

    /// <summary>Whether a merge may accumulate into its first branch's output (<c>add_</c>): the
    /// merge has such a form, the node that makes that output does not need it for its backward,
    /// and nothing else reads it (an auxiliary head at the end of the branch reads it first).</summary>
    public static bool MayAccumulateInto(LayerInfo merge)
    {
        if (merge.Structure?.Merge.AccumulateMethod is null || merge.Branches.Count == 0) return false;
        var last = merge.Branches[0].LastOrDefault();
        while (last is { Kind: NodeKind.Group }) last = last.Children.LastOrDefault();
        return last is not null && MayOverwriteOutputOf(last);
    }
}
