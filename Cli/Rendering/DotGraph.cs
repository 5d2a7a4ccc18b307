using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using CnnDsl.Dsl.Analysis;
using CnnDsl.Dsl.Layers;

namespace CnnDsl.Cli.Rendering;

/// <summary>A model as a Graphviz DOT digraph, top to bottom: one node per layer, a box (cluster)
/// around each named group, branches side by side between their fork and their <c>concat</c>,
/// a residual's shortcut as a dashed blue edge into its <c>+</c> node, a dense layer's input as a
/// dashed green edge into its <c>concat</c>, an auxiliary head as dotted orange edges to an output
/// of its own, and the shape of the tensor on every edge. <c>--depth</c> folds containers as
/// the summary does: a group, branch point or merge at the last level shown is one node with
/// its sums. The text is deterministic: the same model gives the same bytes.</summary>
public sealed class DotGraph
{
    private const string ResidualStyle = "style=dashed, color=\"#2563eb\", fontcolor=\"#2563eb\"";
    private const string DenseStyle = "style=dashed, color=\"#16a34a\", fontcolor=\"#16a34a\"";
    private const string GateStyle = "style=dashed, color=\"#ea580c\", fontcolor=\"#ea580c\"";
    private const string AuxiliaryStyle = "style=dotted, color=\"#d97706\", fontcolor=\"#d97706\"";

    private readonly StringBuilder _text = new();

    /// <summary>Edges are written after every node and cluster: an edge written inside a cluster
    /// would pull both its ends into that cluster.</summary>
    private readonly List<string> _edges = new();

    /// <summary>Keeps a concat's branches in their written order, left to right: their first
    /// nodes share a rank and are chained by invisible edges.</summary>
    private readonly List<string> _orderings = new();
    private readonly int? _maxDepth;
    private int _nodes;
    private int _clusters;
    private int _indent = 1;

    private DotGraph(int? maxDepth) => _maxDepth = maxDepth;

    /// <summary>Where a tensor comes from: a node, and the shape it carries.</summary>
    private readonly record struct Port(string Node, Shape Shape);

    public static string Write(ModelInfo model, string path, int? maxDepth)
    {
        var graph = new DotGraph(maxDepth);
        return graph.Render(model, path);
    }

    private string Render(ModelInfo model, string path)
    {
        _text.Append("digraph ").Append(Quote(model.Name)).Append(" {\n");
        Line("graph [rankdir=TB, newrank=true, fontname=\"Helvetica\", fontsize=12, nodesep=0.3, ranksep=0.35, labelloc=t, "
            + $"label={Html($"<b>{Escape(model.Name)}</b> ({Escape(path)})<br/>{Numbers.Grouped(model.Parameters)} parameters, {Numbers.Scaled(model.MultiplyAdds)} multiply-adds per sample")}];");
        Line("node [shape=box, style=\"rounded,filled\", fillcolor=\"#ffffff\", color=\"#6b7280\", fontname=\"Helvetica\", fontsize=10];");
        Line("edge [fontname=\"Helvetica\", fontsize=8, color=\"#4b5563\", fontcolor=\"#374151\", arrowsize=0.6];");

        var input = NewNode();
        Line($"{input} [label={Html($"<b>input</b><br/>{Escape(model.Input.ToString())}")}, shape=oval, fillcolor=\"#f3f4f6\"];");
        var port = Sequence(model.Root.Children, new Port(input, model.Input), "");
        var output = NewNode();
        Line($"{output} [label={Html($"<b>output</b><br/>{Escape(model.Output.ToString())}")}, shape=oval, fillcolor=\"#f3f4f6\"];");
        Edge(port, output, "");
        foreach (var edge in _edges) Line(edge);
        foreach (var ordering in _orderings) Line(ordering);
        _text.Append("}\n");
        return _text.ToString();
    }

    /// <summary>Nodes one after another; an auxiliary head branches off and the path goes on unchanged.</summary>
    private Port Sequence(IEnumerable<LayerInfo> nodes, Port input, string firstEdgeStyle)
    {
        var port = input;
        var style = firstEdgeStyle;
        foreach (var node in nodes)
        {
            if (!Visible(node)) continue;
            if (node.Kind == NodeKind.Auxiliary)
            {
                Auxiliary(node, port);
                continue;
            }

            port = Build(node, port, style);
            style = "";
        }

        return port;
    }

    private Port Build(LayerInfo node, Port input, string edgeStyle)
    {
        if (!Expanded(node)) return Single(node, input, edgeStyle);

        var cluster = NeedsCluster(node);
        if (cluster) OpenCluster(node);
        Port result;
        result = node.Kind == NodeKind.Merge ? Merge(node, input, edgeStyle) : Sequence(node.Children, input, edgeStyle);
        if (cluster) CloseCluster();
        return result;
    }

    /// <summary>Branches side by side from one input (or each from its chunk of it) to the merge's
    /// join node. A branch that is the input itself (a residual's identity shortcut, the input a dense layer keeps, the tensor a
    /// gate scales) is one edge straight into the join, drawn in the merge's colour, as is every
    /// branch but the first of an addition (a projection shortcut).</summary>
    private Port Merge(LayerInfo node, Port input, string edgeStyle)
    {
        var merge = node.Structure!.Merge;
        var joinStyle = JoinStyle(merge.Family);
        var parts = new List<(Port Port, string Style)>();
        var firsts = new List<string>();
        // A branch's edges out of the input carry what it reads: the whole input, or its chunk.
        var inputs = node.Structure.Inputs.Shapes(node.Input, node.Branches.Count).Inputs!;
        for (var i = 0; i < node.Branches.Count; i++)
        {
            var branchInput = input with { Shape = inputs[i] };
            var branch = node.Branches[i].Where(Visible).ToList();
            if (branch.Count == 0)
            {
                parts.Add((branchInput, joinStyle.Edge));
                continue;
            }

            var style = i > 0 && merge.Family == GraphFamily.Addition ? joinStyle.Edge : edgeStyle;
            var first = _nodes;
            var port = branch.Count == 1 ? Build(branch[0], branchInput, style) : Sequence(branch, branchInput, style);
            if (_nodes > first) firsts.Add("n" + first.ToString(CultureInfo.InvariantCulture));
            parts.Add((port, i > 0 && merge.Family == GraphFamily.Addition ? joinStyle.Edge : ""));
        }

        if (firsts.Count > 1)
        {
            _orderings.Add("{ rank=same; " + string.Join("; ", firsts) + "; }");
            _orderings.Add(string.Join(" -> ", firsts) + " [style=invis];");
        }

        var join = NewNode();
        Line($"{join} [label=\"{Escape(merge.Symbol)}\", {joinStyle.Node}];");
        foreach (var (port, style) in parts) Edge(port, join, style);
        return new Port(join, node.Output);
    }

    /// <summary>How a merge's join node and its identity edges look, by the merge's family.</summary>
    private static (string Node, string Edge) JoinStyle(GraphFamily family) => family switch
    {
        GraphFamily.Addition => ("shape=circle, style=\"filled\", fillcolor=\"#dbeafe\", color=\"#2563eb\", width=0.3, height=0.3, fixedsize=true, fontsize=12", ResidualStyle),
        GraphFamily.Concatenation => ("shape=box, style=\"filled\", fillcolor=\"#f3f4f6\", fontsize=9, height=0.25", DenseStyle),
        GraphFamily.Multiplication => ("shape=circle, style=\"filled\", fillcolor=\"#ffedd5\", color=\"#ea580c\", width=0.3, height=0.3, fixedsize=true, fontsize=12", GateStyle),
        _ => throw new System.ArgumentOutOfRangeException(nameof(family), family, "not the family of a merge"),
    };

    /// <summary>A training-only head: dotted edges from the passing tensor to its own output.</summary>
    private void Auxiliary(LayerInfo node, Port input)
    {
        Port last;
        if (!Expanded(node))
        {
            last = Single(node, input, AuxiliaryStyle);
        }
        else
        {
            var cluster = NeedsCluster(node);
            if (cluster) OpenCluster(node);
            last = Sequence(node.Children, input, AuxiliaryStyle);
            if (cluster) CloseCluster();
        }

        var output = NewNode();
        var name = node.Transparent ? "auxiliary output" : node.Path + " output";
        Line($"{output} [label={Html($"<b>{Escape(name)}</b><br/>training only")}, shape=oval, style=\"dashed\", color=\"#d97706\"];");
        Edge(last, output, AuxiliaryStyle);
    }

    /// <summary>A layer, or a container folded by <c>--depth</c> into one node with its sums.</summary>
    private Port Single(LayerInfo node, Port input, string edgeStyle)
    {
        var id = NewNode();
        var name = Escape(node.Transparent ? (node.Path.Length == 0 ? node.Name : node.Path + " " + node.Name) : node.Name.Length > 0 ? node.Name : node.Path);
        string label;
        string attributes;
        if (node.IsGroup)
        {
            var counts = new List<string>();
            if (node.Parameters > 0) counts.Add($"{Numbers.Grouped(node.Parameters)} params");
            if (node.MultiplyAdds > 0) counts.Add($"{Numbers.Scaled(node.MultiplyAdds)} MACs");
            label = $"<b>{name}</b><br/>{Escape(node.TypeName)}" + (counts.Count > 0 ? $"<br/><font point-size=\"8\">{string.Join(", ", counts)}</font>" : "");
            attributes = "style=\"rounded,filled,bold\", fillcolor=\"#f9fafb\", peripheries=2";
        }
        else
        {
            var description = node.Spec!.Describe();
            label = $"<b>{name}</b><br/>{Escape(node.TypeName)}"
                + (description.Length > 0 ? $"<br/><font point-size=\"8\">{Escape(description)}</font>" : "");
            attributes = $"fillcolor=\"{Fill(node.Spec)}\"";
        }

        Line($"{id} [label={Html(label)}, {attributes}, tooltip={Quote(node.Path)}];");
        Edge(input, id, edgeStyle);
        return new Port(id, node.Output);
    }

    private void OpenCluster(LayerInfo node)
    {
        var id = "cluster_" + (_clusters++).ToString(CultureInfo.InvariantCulture);
        Line($"subgraph {id} {{");
        _indent++;
        var title = node.Path.Length == 0 ? node.Name : node.Path;
        var color = node.Kind == NodeKind.Auxiliary ? "#d97706" : "#9ca3af";
        Line($"graph [label={Html($"<b>{Escape(title)}</b> {Escape(node.TypeName)}")}, labeljust=l, style=\"rounded,dashed\", color=\"{color}\", fontsize=10];");
    }

    private void CloseCluster()
    {
        _indent--;
        Line("}");
    }

    private void Edge(Port from, string to, string style)
    {
        var attributes = $"label=\" {Escape(from.Shape.ToString())}\"";
        if (style.Length > 0) attributes += ", " + style;
        _edges.Add($"{from.Node} -> {to} [{attributes}];");
    }

    /// <summary>A named container gets a box, unless all it would hold is one folded node
    /// (<c>inception3a</c> around <c>inception3a (concat)</c> at <c>--depth 2</c>).</summary>
    private bool NeedsCluster(LayerInfo node)
    {
        if (node.Transparent) return false;
        var parts = (node.Shortcut is null ? node.Children : node.Children.Append(node.Shortcut)).Where(Visible).ToList();
        return !(parts.Count == 1 && !Expanded(parts[0]));
    }

    private string NewNode() => "n" + (_nodes++).ToString(CultureInfo.InvariantCulture);

    private bool Visible(LayerInfo node) => _maxDepth is null || node.Depth < _maxDepth.Value;

    private bool Expanded(LayerInfo node) => VisibleLayers.IsExpanded(node, _maxDepth);

    private void Line(string text) => _text.Append(' ', _indent * 2).Append(text).Append('\n');

    /// <summary>Pastel fills by the kind of work: convolutions blue, normalisation yellow,
    /// activations green, resampling pink, linear layers violet, the rest white.</summary>
    private static string Fill(LayerSpec spec) => spec.Family switch
    {
        GraphFamily.Convolution => "#dbeafe",
        GraphFamily.Normalization => "#fef9c3",
        GraphFamily.Activation => "#dcfce7",
        GraphFamily.Resampling => "#fce7f3",
        GraphFamily.Linear => "#ede9fe",
        GraphFamily.Plain => "#ffffff",
        _ => throw new System.ArgumentOutOfRangeException(nameof(spec), spec.Family, $"no fill for the graph family of {spec.Kind}"),
    };

    private static string Html(string label) => "<" + label + ">";

    private static string Escape(string text) =>
        text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;").Replace("\"", "&quot;");

    private static string Quote(string text) => "\"" + text.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
}
