using System.Collections.Generic;
using System.Linq;
using CnnDsl.Cli.Analysis;
using CnnDsl.Dsl.Analysis;
using Spectre.Console;

namespace CnnDsl.Cli.Rendering;

/// <summary>One cell: its text, and the same text as Spectre markup (colour, bold).</summary>
public readonly record struct Cell(string Text, string Markup)
{
    public static Cell Empty { get; } = new("", "");

    public static Cell Plain(string text) => new(text, Spectre.Console.Markup.Escape(text));

    public static Cell Styled(string text, string style) =>
        text.Length == 0 ? Empty : new(text, $"[{style}]{Spectre.Console.Markup.Escape(text)}[/]");
}

/// <summary>One column of a summary: headers (full and short), alignment, a cell per row
/// (the first row is the input), and the totals row's cell.</summary>
public sealed record GridColumn(
    SummaryColumn? Key, string[] Header, string[] ShortHeader, bool Right, List<Cell> Cells, Cell Footer)
{
    /// <summary>Cells of the compact form, where they differ (receptive fields without spaces).</summary>
    public List<Cell>? ShortCells { get; init; }

    public IReadOnlyList<Cell> CellsFor(bool compact) => compact && ShortCells is not null ? ShortCells : Cells;

    public IReadOnlyList<string> HeaderFor(bool compact) => compact ? ShortHeader : Header;
}

/// <summary>The cells of a summary's layer table, shared by the text and markdown forms: one
/// row per layer, group, branch point or merge (indented by depth), after an <c>input</c> row,
/// and a totals row. An expanded container leaves its sums to the rows beneath it, so nothing
/// is counted twice; a merge shows its own work (the addition or concatenation) when it is counted.</summary>
public static class SummaryGrid
{
    private const string Indent = "  ";

    public static IReadOnlyList<GridColumn> Build(ModelReport report, int? maxDepth, IReadOnlyList<SummaryColumn> keys)
    {
        var model = report.Model;
        var rows = VisibleLayers.Of(model, maxDepth);
        var columns = new List<GridColumn>
        {
            new(null, new[] { "Layer" }, new[] { "Layer" }, false, new() { Cell.Styled("input", "grey") }, Cell.Styled("Total", "bold")),
        };

        foreach (var key in keys) columns.Add(Column(key, report));

        foreach (var row in rows)
        {
            columns[0].Cells.Add(Name(row));
            for (var i = 0; i < keys.Count; i++)
            {
                var column = columns[i + 1];
                var (cell, shortCell) = Value(keys[i], row, report);
                column.Cells.Add(cell);
                column.ShortCells?.Add(shortCell);
            }
        }

        return columns;
    }

    private static GridColumn Column(SummaryColumn key, ModelReport report)
    {
        var model = report.Model;
        var none = Cell.Empty;
        return key switch
        {
            SummaryColumn.Type => new(key, new[] { "Type" }, new[] { "Type" }, false, new() { none }, none),
            SummaryColumn.Input => new(key, new[] { "Input shape" }, new[] { "Input", "shape" }, false, new() { none }, none),
            SummaryColumn.Output => new(key, new[] { "Output shape" }, new[] { "Output", "shape" }, false,
                new() { Cell.Plain(model.Input.ToString()) }, none),
            SummaryColumn.Params => new(key, new[] { "Parameters" }, new[] { "Params" }, true, new() { none },
                Cell.Styled(Numbers.Grouped(model.Parameters), "bold")),
            SummaryColumn.Buffers => new(key, new[] { "Buffers" }, new[] { "Buffers" }, true, new() { none },
                Cell.Styled(Numbers.Grouped(model.Buffers), "bold")),
            SummaryColumn.Macs => new(key, new[] { "Multiply-adds" }, new[] { "MACs" }, true, new() { none },
                Cell.Styled(Numbers.Grouped(report.MultiplyAdds), "bold")),
            SummaryColumn.Flops => new(key, new[] { "FLOPs" }, new[] { "FLOPs" }, true, new() { none },
                Cell.Styled(Numbers.Grouped(report.Flops), "bold")),
            SummaryColumn.ReceptiveField => new(key, new[] { "Receptive field", "size / stride" }, new[] { "RF", "size/", "stride" }, true,
                new() { none }, none)
            { ShortCells = new() { none } },
            _ => new(key, new[] { "Trainable" }, new[] { "Train" }, false, new() { none }, none),
        };
    }

    private static (Cell Cell, Cell Short) Value(SummaryColumn key, VisibleRow row, ModelReport report)
    {
        var info = row.Layer;
        Cell cell;
        switch (key)
        {
            case SummaryColumn.Type:
                cell = Type(row);
                break;
            case SummaryColumn.Input:
                cell = Cell.Plain(info.Input.ToString());
                break;
            case SummaryColumn.Output:
                cell = Cell.Plain(info.Output.ToString());
                break;
            case SummaryColumn.Params:
                // An expanded container's sums would repeat its children's: leave them to the totals row.
                cell = row.Expanded ? Cell.Empty : Count(info.Parameters, row.TrainingOnly);
                break;
            case SummaryColumn.Buffers:
                cell = row.Expanded ? Cell.Empty : Count(info.Buffers, row.TrainingOnly);
                break;
            case SummaryColumn.Macs:
                cell = Work(row, report, 1);
                break;
            case SummaryColumn.Flops:
                cell = Work(row, report, 2);
                break;
            case SummaryColumn.ReceptiveField:
                var text = ReceptiveFieldText.Format(info.ReceptiveField);
                return (Cell.Plain(text), Cell.Plain(text.Replace(" / ", "/")));
            default:
                cell = row.Expanded ? Cell.Empty : Trainable(info);
                break;
        }

        return (cell, cell);
    }

    /// <summary>Multiply-adds (or FLOPs) of a row: its sums when nothing beneath it is listed;
    /// when its contents are listed, only its own work (a merge's addition or concatenation).</summary>
    private static Cell Work(VisibleRow row, ModelReport report, long factor)
    {
        if (!row.Expanded) return Count(factor * report.Macs(row.Layer), row.TrainingOnly);
        var own = report.SelfMacs(row.Layer);
        return own == 0 ? Cell.Empty : Count(factor * own, row.TrainingOnly);
    }

    private static Cell Trainable(LayerInfo layer)
    {
        var text = ModelReport.Trainable(layer);
        return text == "-" ? Cell.Styled(text, "grey") : text == "frozen" ? Cell.Styled(text, "cyan") : Cell.Plain(text);
    }

    /// <summary>The path, its enclosing part grey and its own segment plain (bold for containers).
    /// An unlabeled branch point or merge adds no segment of its own: it shows its enclosing
    /// path and its kind, <c>inception3a (concat)</c>. An auxiliary head says it only trains.</summary>
    private static Cell Name(VisibleRow row)
    {
        var layer = row.Layer;
        var indent = new string(' ', layer.Depth * Indent.Length);
        string text, markup;
        if (layer.Transparent)
        {
            text = layer.Path.Length == 0 ? layer.Name : $"{layer.Path} {layer.Name}";
            var own = $"[bold]{Markup.Escape(layer.Name)}[/]";
            markup = layer.Path.Length == 0 ? own : $"[grey]{Markup.Escape(layer.Path)}[/] {own}";
        }
        else
        {
            var cut = layer.Name.Length > 0 && layer.Path.EndsWith(layer.Name, System.StringComparison.Ordinal)
                ? layer.Path.Length - layer.Name.Length
                : 0;
            var parent = layer.Path.Substring(0, cut);
            var own = layer.Path.Substring(cut);
            text = layer.Path;
            markup = layer.IsGroup
                ? $"[grey]{Markup.Escape(parent)}[/][bold]{Markup.Escape(own)}[/]"
                : $"[grey]{Markup.Escape(parent)}[/]{Markup.Escape(own)}";
        }

        if (layer.Kind == NodeKind.Auxiliary)
        {
            text += " (training only)";
            markup += " [yellow](training only)[/]";
        }

        return new Cell(indent + text, indent + markup);
    }

    /// <summary>The module type: groups blue, merges magenta, auxiliary heads yellow. A residual's
    /// shortcut says so here (its name sits deep in the first column).</summary>
    private static Cell Type(VisibleRow row)
    {
        var layer = row.Layer;
        var name = layer.TypeName;
        var cell = layer.Kind switch
        {
            NodeKind.Layer => Cell.Plain(name),
            NodeKind.Group => Cell.Styled(name, "blue"),
            NodeKind.Auxiliary => Cell.Styled(name, "yellow"),
            _ => Cell.Styled(name, "magenta"),
        };
        return row.Shortcut ? new Cell(cell.Text + " (shortcut)", cell.Markup + " [grey](shortcut)[/]") : cell;
    }

    /// <summary>A count with thousands separators, <c>-</c> for zero; in parentheses when it
    /// belongs to an auxiliary head, which the totals leave out.</summary>
    private static Cell Count(long value, bool trainingOnly)
    {
        if (value == 0) return Cell.Styled("-", "grey");
        var text = Numbers.Grouped(value);
        return trainingOnly ? Cell.Styled($"({text})", "grey") : Cell.Plain(text);
    }

    /// <summary>The widest line of a column: its header lines, cells and footer.</summary>
    public static int Width(GridColumn column, bool compact) =>
        column.HeaderFor(compact).Select(h => h.Length)
            .Concat(column.CellsFor(compact).Select(c => c.Text.Length))
            .Append(column.Footer.Text.Length)
            .Max();
}
