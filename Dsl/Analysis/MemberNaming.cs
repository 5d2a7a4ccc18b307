using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using CnnDsl.Dsl.Diagnostics;
using CnnDsl.Dsl.Semantics;

namespace CnnDsl.Dsl.Analysis;

/// <summary>Names the members of one namespace (a group, or a labeled branch point or merge) the
/// way PyTorch would: by label; where nothing at this level has a label, by position like a
/// Sequential (0, 1, 2, ...); otherwise unlabeled members take their layer kind. Unlabeled
/// branch points and merges, and unlabeled branches whose layers carry labels, add no level of
/// their own: their insides are members here.</summary>
internal sealed class MemberNaming
{
    /// <summary>Stands for the projection shortcut the analysis may insert, named `downsample`.</summary>
    private static readonly NetworkNode ProjectionSlot = new GroupNode(Array.Empty<NetworkNode>(), ResidualNode.ShortcutName, null, default);

    private readonly DiagnosticBag _diagnostics;

    public MemberNaming(DiagnosticBag diagnostics) => _diagnostics = diagnostics;

    /// <summary>The same nodes with every member's label set to its name, or null (reported) when
    /// two members would share a name.</summary>
    public IReadOnlyList<NetworkNode>? Name(IReadOnlyList<NetworkNode> nodes)
    {
        var members = new List<NetworkNode>();
        Collect(nodes, members);
        var names = Assign(members);
        if (names is null) return null;
        var queue = new Queue<string>(names);
        return Rewrite(nodes, queue);
    }

    private static void Collect(IEnumerable<NetworkNode> nodes, List<NetworkNode> members)
    {
        foreach (var node in nodes)
        {
            switch (node)
            {
                case ConcatNode { Label: null } concat:
                    Collect(concat.Branches, members);
                    break;
                case ResidualNode { Label: null } residual:
                    Collect(residual.Body, members);
                    // The slot carries the residual's place, so a clash of two `downsample`s is
                    // reported at the residual that causes it.
                    if (residual.Shortcut == ShortcutKind.Projection) members.Add(ProjectionSlot with { Range = residual.Range });
                    if (residual.CustomShortcut is not null) members.Add(residual.CustomShortcut);
                    break;
                case BodyMergeNode { Label: null } merge:
                    Collect(merge.Body, members);
                    break;
                case AuxNode { Label: null } aux:
                    Collect(aux.Head, members);
                    break;
                case GroupNode flat when IsFlat(flat):
                    Collect(flat.Children, members);
                    break;
                default:
                    members.Add(node);
                    break;
            }
        }
    }

    private string[]? Assign(IReadOnlyList<NetworkNode> members)
    {
        var anyLabel = members.Any(m => m.Label is not null);
        var names = new string[members.Count];
        var taken = new HashSet<string>(members.Where(m => m.Label is not null).Select(m => m.Label!), StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var firstAt = new Dictionary<string, Text.TextRange>(StringComparer.Ordinal);
        var ok = true;
        for (var i = 0; i < members.Count; i++)
        {
            var member = members[i];
            string name;
            if (member.Label is not null)
            {
                name = member.Label;
                if (!seen.Add(name))
                {
                    _diagnostics.Report(DiagnosticCodes.DuplicateLayerName, member.Range,
                        $"two layers in the same group are named `{name}`",
                        name == ResidualNode.ShortcutName
                            ? "two residuals at one level both name their shortcut `downsample`; give each residual a label of its own"
                            : "give each layer in a group its own name",
                        firstAt.TryGetValue(name, out var first) ? new[] { (first, $"the first `{name}`") } : null);
                    ok = false;
                }
                else
                {
                    firstAt[name] = member.Range;
                }
            }
            else if (!anyLabel)
            {
                name = i.ToString(CultureInfo.InvariantCulture);
                seen.Add(name);
            }
            else
            {
                var kind = KindName(member);
                name = kind;
                for (var n = 1; taken.Contains(name) || seen.Contains(name); n++) name = kind + "_" + n.ToString(CultureInfo.InvariantCulture);
                seen.Add(name);
            }

            names[i] = name;
        }

        return ok ? names : null;
    }

    private static IReadOnlyList<NetworkNode> Rewrite(IReadOnlyList<NetworkNode> nodes, Queue<string> names)
    {
        var result = new List<NetworkNode>(nodes.Count);
        foreach (var node in nodes)
        {
            switch (node)
            {
                case ConcatNode { Label: null } concat:
                    result.Add(concat with { Branches = Rewrite(concat.Branches, names) });
                    break;
                case ResidualNode { Label: null } residual:
                    var body = Rewrite(residual.Body, names);
                    if (residual.Shortcut == ShortcutKind.Projection) names.Dequeue();
                    var custom = residual.CustomShortcut is null ? null : Rewrite(new[] { residual.CustomShortcut }, names)[0];
                    result.Add(residual with { Body = body, CustomShortcut = custom });
                    break;
                case BodyMergeNode { Label: null } merge:
                    result.Add(merge with { Body = Rewrite(merge.Body, names) });
                    break;
                case AuxNode { Label: null } aux:
                    result.Add(aux with { Head = Rewrite(aux.Head, names) });
                    break;
                case GroupNode flat when IsFlat(flat):
                    result.Add(flat with { Children = Rewrite(flat.Children, names) });
                    break;
                default:
                    result.Add(node with { Label = names.Dequeue() });
                    break;
            }
        }

        return result;
    }

    /// <summary>An unlabeled run of layers that is not a block's module (a branch of several
    /// layers in a concat) and whose layers carry labels: like an unlabeled merge, it adds no
    /// name segment, so Inception v3's `branch3x3dbl_1` and `branch3x3dbl_2` sit directly under
    /// the block. Without labels inside, it stays a numbered group (GoogLeNet's paper form).</summary>
    internal static bool IsFlat(GroupNode group) =>
        group.Label is null && group.BlockName is null && Evaluator.HasNamedMembers(group.Children);

    private static string KindName(NetworkNode node) => node switch
    {
        LayerNode l => l.Spec.Kind,
        GroupNode g => g.BlockName ?? "group",
        _ => node.Describe(),
    };
}
