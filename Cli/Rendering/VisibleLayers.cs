using System.Collections.Generic;
using CnnDsl.Dsl.Analysis;

namespace CnnDsl.Cli.Rendering;

/// <summary>One row of a summary: a layer, group, branch point or merge, and how to show it.</summary>
/// <param name="Layer">What the row is.</param>
/// <param name="Expanded">Whether its children (and a residual's shortcut) are listed below it,
/// so its own cells must not repeat their sums.</param>
/// <param name="TrainingOnly">Whether it is an auxiliary head or lies inside one: its figures
/// are not part of the model's totals.</param>
/// <param name="Shortcut">Whether it is a residual's shortcut (a projection or a custom one).</param>
public sealed record VisibleRow(LayerInfo Layer, bool Expanded, bool TrainingOnly, bool Shortcut);

/// <summary>The rows a summary lists: every node below the model, depth first in forward order
/// (a container before its children, a residual's shortcut after its body), cut at
/// <c>--depth</c> levels (1 = the model's top-level nodes only). A branch point or merge is a
/// level of its own, like a group.</summary>
public static class VisibleLayers
{
    public static IReadOnlyList<VisibleRow> Of(ModelInfo model, int? maxDepth)
    {
        var rows = new List<VisibleRow>();
        foreach (var child in model.Root.Children) Visit(child, maxDepth, false, false, rows);
        if (model.Root.Shortcut is { } shortcut) Visit(shortcut, maxDepth, false, true, rows);
        return rows;
    }

    private static void Visit(LayerInfo layer, int? maxDepth, bool insideAuxiliary, bool isShortcut, List<VisibleRow> rows)
    {
        if (maxDepth is not null && layer.Depth >= maxDepth.Value) return;
        var trainingOnly = insideAuxiliary || layer.Kind == NodeKind.Auxiliary;
        rows.Add(new VisibleRow(layer, IsExpanded(layer, maxDepth), trainingOnly, isShortcut));
        foreach (var child in layer.Children) Visit(child, maxDepth, trainingOnly, false, rows);
        if (layer.Shortcut is { } shortcut) Visit(shortcut, maxDepth, trainingOnly, true, rows);
    }

    /// <summary>Whether anything below a container is listed too (so its totals are not repeated).</summary>
    public static bool IsExpanded(LayerInfo layer, int? maxDepth) =>
        layer.IsGroup
        && (layer.Children.Count > 0 || layer.Shortcut is not null)
        && (maxDepth is null || layer.Depth + 1 < maxDepth.Value);
}
