using System.Collections.Generic;
using System.Linq;
using CnnDsl.Dsl.Analysis;
using CnnDsl.Dsl.Layers;

namespace CnnDsl.Generator.Emit;

/// <summary>Where inference can fold batch norm into the convolution before it: a convolution
/// directly followed by batch norm in the same run of layers (the analysis's order), so the
/// convolution's output feeds nothing else.</summary>
internal static class BatchNormFolding
{
    public static IReadOnlyList<(LayerInfo Conv, LayerInfo Norm)> Pairs(LayerInfo root)
    {
        var pairs = new List<(LayerInfo, LayerInfo)>();
        foreach (var node in root.DescendantsAndSelf().Where(n => n.Kind != NodeKind.Layer && n.Kind != NodeKind.Concat))
        {
            for (var i = 0; i + 1 < node.Children.Count; i++)
            {
                var (conv, norm) = (node.Children[i], node.Children[i + 1]);
                if (conv.Spec is Conv2dSpec { Connections: null } && norm.Spec is BatchNormSpec && norm.Input.IsImage)
                {
                    pairs.Add((conv, norm));
                }
            }
        }

        return pairs;
    }
}
