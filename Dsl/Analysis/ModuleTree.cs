using System.Collections.Generic;
using System.Linq;

namespace CnnDsl.Dsl.Analysis;

/// <summary>How an analysed model maps onto nested modules, the way PyTorch registers them.</summary>
public static class ModuleTree
{
    /// <summary>The modules registered directly under a node, in registration (state_dict)
    /// order: its children and then its shortcut, looking through unlabeled branch points and
    /// merges, which have no module of their own.</summary>
    public static IEnumerable<LayerInfo> Members(this LayerInfo node)
    {
        var parts = node.Shortcut is null ? node.Children : node.Children.Concat(new[] { node.Shortcut });
        foreach (var part in parts)
        {
            if (part.Transparent)
            {
                foreach (var inner in part.Members()) yield return inner;
            }
            else
            {
                yield return part;
            }
        }
    }
}
