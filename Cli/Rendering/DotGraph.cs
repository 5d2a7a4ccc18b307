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
        switch (node.Kind)
        {
            case NodeKind.Concat:
            {
                var branches = new List<Port>();
                var firsts = new List<string>();
                foreach (var branch in node.Children)
                {
                    if (!Visible(branch)) continue;
                    var first = _nodes;
                    branches.Add(Build(branch, input, edgeStyle));
                    if (_nodes > first) firsts.Add("n" + first.ToString(CultureInfo.InvariantCulture));
                }

                if (firsts.Count > 1)
                {
                    _orderings.Add("{ rank=same; " + string.Join("; ", firsts) + "; }");
                    _orderings.Add(string.Join(" -> ", firsts) + " [style=invis];");
                }

                var join = NewNode();
                Line($"{join} [label=\"concat\", shape=box, style=\"filled\", fillcolor=\"#f3f4f6\", fontsize=9, height=0.25];");
                foreach (var branch in branches) Edge(branch, join, "");
                result = new Port(join, node.Output);
                break;
            }

            case NodeKind.Residual:
            {
                var body = Sequence(node.Children, input, edgeStyle);
                var shortcut = node.Shortcut is { } projection && Visible(projection)
                    ? Build(projection, input, ResidualStyle)
                    : input;
                var add = NewNode();
                Line($"{add} [label=\"+\", shape=circle, style=\"filled\", fillcolor=\"#dbeafe\", color=\"#2563eb\", width=0.3, height=0.3, fixedsize=true, fontsize=12];");
                Edge(body, add, "");
                Edge(shortcut, add, ResidualStyle);
                result = new Port(add, node.Output);
                break;
            }

            case NodeKind.Dense:
            {
                var body = Sequence(node.Children, input, edgeStyle);
                var join = NewNode();
                Line($"{join} [label=\"concat\", shape=box, style=\"filled\", fillcolor=\"#dcfce7\", color=\"#16a34a\", fontsize=9, height=0.25];");
                Edge(body, join, "");
                Edge(input, join, DenseStyle);
                result = new Port(join, node.Output);
                break;
            }

            default:
                result = Sequence(node.Children, input, edgeStyle);
                break;
        }

        if (cluster) CloseCluster();
        return result;
    }

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
    /// activations green, pooling pink, linear layers violet, the rest white.</summary>
    private static string Fill(LayerSpec spec) => spec switch
    {
        Conv2dSpec or ConvTranspose2dSpec or SubsamplingSpec => "#dbeafe",
        BatchNormSpec or LocalResponseNormSpec => "#fef9c3",
        ActivationSpec or ScaledTanhSpec => "#dcfce7",
        Pool2dSpec or AdaptiveAvgPool2dSpec or UpsampleSpec => "#fce7f3",
        LinearSpec or RbfSpec => "#ede9fe",
        _ => "#ffffff",
    };

    private static string Html(string label) => "<" + label + ">";

    private static string Escape(string text) =>
        text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;").Replace("\"", "&quot;");

    private static string Quote(string text) => "\"" + text.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
}
