using System.Collections.Generic;
using System.Linq;
using CnnDsl.Dsl.Analysis;
using Spectre.Console;

namespace CnnDsl.Cli.Rendering;

/// <summary>The per-layer table of <c>cnn summary</c>: one row per layer, group, branch point or
/// merge, indented by depth, with type, output shape, parameters, multiply-adds and receptive
/// field. Cells never wrap: when the whole table is wider than the output (a terminal's width, or
/// 120 columns when redirected) the headers shorten (<c>Params</c>, <c>MACs</c>, <c>RF</c>) and
/// receptive fields lose their spaces; if that is not enough the receptive-field column, then
/// the multiply-adds column, is left out, never cut.</summary>
public static class SummaryTable
{
    private const string Indent = "  ";

    /// <summary>One column: its header lines (Spectre markup), its alignment, its cells and footer,
    /// and the headers and cells of the compact form.</summary>
    private sealed record Column(string[] Header, string[] ShortHeader, bool Right, List<string> Cells, string Footer)
    {
        public List<string>? ShortCells { get; init; }

        public IReadOnlyList<string> CellsFor(bool compact) => compact && ShortCells is not null ? ShortCells : Cells;

        public IReadOnlyList<string> HeaderFor(bool compact) => compact ? ShortHeader : Header;
    }

    /// <summary>The table, and the columns (<c>receptive field</c>, then <c>multiply-adds</c>) left
    /// out because even the compact form was wider than <paramref name="width"/>.</summary>
    public static Table Build(ModelInfo model, int? maxDepth, int width, out IReadOnlyList<string> leftOut)
    {
        var rows = VisibleLayers.Of(model, maxDepth);
        var layer = new Column(new[] { "[bold]Layer[/]" }, new[] { "[bold]Layer[/]" }, false, new() { "[grey]input[/]" }, "[bold]Total[/]");
        var type = new Column(new[] { "[bold]Type[/]" }, new[] { "[bold]Type[/]" }, false, new() { "" }, "");
        var shape = new Column(new[] { "[bold]Output shape[/]" }, new[] { "[bold]Output[/]", "[bold]shape[/]" }, false,
            new() { Markup.Escape(model.Input.ToString()) }, "");
        var parameters = new Column(new[] { "[bold]Parameters[/]" }, new[] { "[bold]Params[/]" }, true, new() { "" },
            $"[bold]{Numbers.Grouped(model.Parameters)}[/]");
        var macs = new Column(new[] { "[bold]Multiply-adds[/]" }, new[] { "[bold]MACs[/]" }, true, new() { "" },
            $"[bold]{Numbers.Grouped(model.MultiplyAdds)}[/]");
        var field = new Column(new[] { "[bold]Receptive field[/]", "[grey]size / stride[/]" },
            new[] { "[bold]RF[/]", "[grey]size/[/]", "[grey]stride[/]" }, true, new() { "" }, "")
        {
            ShortCells = new() { "" },
        };

        foreach (var row in rows)
        {
            var info = row.Layer;
            layer.Cells.Add(Name(row));
            type.Cells.Add(Type(row));
            shape.Cells.Add(Markup.Escape(info.Output.ToString()));
            // An expanded container's sums would repeat its children's: leave them to the totals row.
            parameters.Cells.Add(row.Expanded ? "" : Count(info.Parameters, row.TrainingOnly));
            macs.Cells.Add(row.Expanded ? "" : Count(info.MultiplyAdds, row.TrainingOnly));
            var receptiveField = Markup.Escape(ReceptiveFieldText.Format(info.ReceptiveField));
            field.Cells.Add(receptiveField);
            field.ShortCells!.Add(receptiveField.Replace(" / ", "/"));
        }

        var columns = new List<Column> { layer, type, shape, parameters, macs, field };
        var compact = Width(columns, compact: false) > width;
        var left = new List<string>();
        // What goes first when even the compact form is too wide; the totals below keep the compute.
        foreach (var (optional, name) in new[] { (field, "receptive field"), (macs, "multiply-adds") })
        {
            if (!compact || Width(columns, compact: true) <= width) break;
            columns.Remove(optional);
            left.Add(name);
        }

        leftOut = left;

        var table = new Table()
            .Border(TableBorder.Rounded)
            .BorderColor(Color.Grey)
            .ShowFooters();
        foreach (var column in columns)
        {
            var header = string.Join("\n", column.HeaderFor(compact));
            var tableColumn = new TableColumn(new Markup(header)).NoWrap();
            if (column.Right) tableColumn.RightAligned();
            if (column.Footer.Length > 0) tableColumn.Footer(new Markup(column.Footer));
            table.AddColumn(tableColumn);
        }

        for (var i = 0; i < layer.Cells.Count; i++)
        {
            table.AddRow(columns.Select(c => new Markup(c.CellsFor(compact)[i])).ToArray());
        }

        return table;
    }

    /// <summary>Columns the table needs with nothing wrapped: each column's widest line plus a
    /// space either side and a border.</summary>
    private static int Width(IEnumerable<Column> columns, bool compact) =>
        1 + columns.Sum(c => 3 + c.HeaderFor(compact).Concat(c.CellsFor(compact)).Append(c.Footer)
            .Max(markup => Markup.Remove(markup).Length));

    /// <summary>The path, its enclosing part grey and its own segment plain (bold for containers).
    /// An unlabeled branch point or merge adds no segment of its own: it shows its enclosing
    /// path and its kind, <c>inception3a (concat)</c>. An auxiliary head says it only trains.</summary>
    private static string Name(VisibleRow row)
    {
        var layer = row.Layer;
        var indent = new string(' ', layer.Depth * Indent.Length);
        string text;
        if (layer.Transparent)
        {
            var own = $"[bold]{Markup.Escape(layer.Name)}[/]";
            text = layer.Path.Length == 0 ? own : $"[grey]{Markup.Escape(layer.Path)}[/] {own}";
        }
        else
        {
            var cut = layer.Name.Length > 0 && layer.Path.EndsWith(layer.Name, System.StringComparison.Ordinal)
                ? layer.Path.Length - layer.Name.Length
                : 0;
            var parent = Markup.Escape(layer.Path.Substring(0, cut));
            var own = Markup.Escape(layer.Path.Substring(cut));
            text = layer.IsGroup ? $"[grey]{parent}[/][bold]{own}[/]" : $"[grey]{parent}[/]{own}";
        }

        if (layer.Kind == NodeKind.Auxiliary) text += " [yellow](training only)[/]";
        return indent + text;
    }

    /// <summary>The module type: groups blue, merges magenta, auxiliary heads yellow. A residual's
    /// shortcut says so here (its name sits deep in the first column).</summary>
    private static string Type(VisibleRow row)
    {
        var layer = row.Layer;
        var name = Markup.Escape(layer.TypeName);
        var type = layer.Kind switch
        {
            NodeKind.Layer => name,
            NodeKind.Group => $"[blue]{name}[/]",
            NodeKind.Auxiliary => $"[yellow]{name}[/]",
            _ => $"[magenta]{name}[/]",
        };
        return row.Shortcut ? type + " [grey](shortcut)[/]" : type;
    }

    /// <summary>A count with thousands separators, <c>-</c> for zero; in parentheses when it
    /// belongs to an auxiliary head, which the totals leave out.</summary>
    private static string Count(long value, bool trainingOnly)
    {
        if (value == 0) return "[grey]-[/]";
        var text = Numbers.Grouped(value);
        return trainingOnly ? $"[grey]({text})[/]" : text;
    }
}
