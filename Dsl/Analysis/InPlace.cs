using System.Linq;
using CnnDsl.Dsl.Layers;

namespace CnnDsl.Dsl.Analysis;

/// <summary>When a forward pass may overwrite a tensor instead of allocating a new one, as
/// torchvision's <c>ReLU(inplace=True)</c> and <c>out += identity</c> do. Autograd allows it only
/// where no backward pass reads the overwritten values: the tensor's producer must not need its
/// own output, and the in-place operation must be the tensor's only reader (an earlier reader,
/// such as a convolution in a sibling branch, may have saved it for its backward). The generator
/// and the interpreter both ask here.</summary>
public static class InPlace
{
    /// <summary>A ReLU, which has an in-place form (<c>relu_()</c>).</summary>
    public static bool IsRelu(LayerInfo node) => node.Spec is ActivationSpec { Function: ActivationKind.ReLU };

    /// <summary>Whether a node's backward pass leaves its own output unread, so the output may be
    /// changed in place afterwards (convolution, batch norm, linear, additions, joins).</summary>
    public static bool MayOverwriteOutputOf(LayerInfo producer) =>
        producer.Kind is NodeKind.Residual or NodeKind.Concat or NodeKind.Dense
        || producer.Spec is Conv2dSpec { Connections: null } or BatchNormSpec or LinearSpec;

    /// <summary>Whether a residual's sum may be accumulated into its body's output: the node that
    /// makes that output does not need it for its backward, and nothing else reads it (an
    /// auxiliary head at the end of the body reads it first).</summary>
    public static bool MayAddIntoBodyOf(LayerInfo residual)
    {
        var last = residual.Children.LastOrDefault();
        while (last is { Kind: NodeKind.Group }) last = last.Children.LastOrDefault();
        return last is not null && MayOverwriteOutputOf(last);
    }
}
