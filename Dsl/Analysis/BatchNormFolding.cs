using System.Collections.Generic;
using System.Linq;
using CnnDsl.Dsl.Layers;

namespace CnnDsl.Dsl.Analysis;

/// <summary>Where inference can fold batch norm into the convolution before it: a convolution
/// directly followed by batch norm in the same run of layers (the analysis's order), so the
/// convolution's output feeds nothing else.</summary>
public static class BatchNormFolding
{
    public static IReadOnlyList<(LayerInfo Conv, LayerInfo Norm)> Pairs(LayerInfo root)
    {
        var pairs = new List<(LayerInfo, LayerInfo)>();
        // Runs of layers: a group's children, and each branch of a merge.
        var runs = root.DescendantsAndSelf()
            .SelectMany(n => n.Kind == NodeKind.Merge ? n.Branches : n.Kind == NodeKind.Layer ? Enumerable.Empty<IReadOnlyList<LayerInfo>>() : new[] { n.Children });
        foreach (var run in runs)
        {
            for (var i = 0; i + 1 < run.Count; i++)
            {
                var (conv, norm) = (run[i], run[i + 1]);
                if (conv.Spec is Conv2dSpec { Connections: null } && norm.Spec is BatchNormSpec && norm.Input.IsImage)
                {
                    pairs.Add((conv, norm));
                }
            }
        }

        return pairs;
    }
}
