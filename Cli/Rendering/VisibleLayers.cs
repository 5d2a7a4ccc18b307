using System.Collections.Generic;
using System.Linq;
using CnnDsl.Dsl.Analysis;

namespace CnnDsl.Cli.Rendering;

/// <summary>The layers and groups a summary lists: every one below the model, depth first in
/// forward order, cut at <c>--depth</c> levels (1 = the model's top-level layers only).</summary>
public static class VisibleLayers
{
    public static IReadOnlyList<LayerInfo> Of(ModelInfo model, int? maxDepth) =>
        model.Root.DescendantsAndSelf()
            .Where(l => !ReferenceEquals(l, model.Root))
            .Where(l => maxDepth is null || l.Depth < maxDepth.Value)
            .ToList();

    /// <summary>Whether a group's children are listed too (so its totals are not repeated).</summary>
    public static bool IsExpanded(LayerInfo layer, int? maxDepth) =>
        layer.IsGroup && layer.Children.Count > 0 && (maxDepth is null || layer.Depth + 1 < maxDepth.Value);
}
