using System.Collections.Generic;
using System.Linq;
using CnnDsl.Cli.Analysis;
using Spectre.Console;

namespace CnnDsl.Cli.Rendering;

/// <summary>The per-layer table of <c>cnn summary</c> as a Spectre.Console table. Cells never
/// wrap: when the whole table is wider than the output (a terminal's width, or 120 columns when
/// redirected) the headers shorten (<c>Params</c>, <c>MACs</c>, <c>RF</c>) and receptive fields
/// lose their spaces; if that is not enough, columns are left out in a fixed order (trainable,
/// input shape, buffers, FLOPs, receptive field, multiply-adds), never cut.</summary>
public static class SummaryTable
{
    /// <summary>The table, and the columns left out because even the compact form was wider
    /// than <paramref name="width"/>.</summary>
    public static Table Build(ModelReport report, int? maxDepth, IReadOnlyList<SummaryColumn> keys, int width, out IReadOnlyList<string> leftOut)
    {
        var columns = SummaryGrid.Build(report, maxDepth, keys).ToList();
        var compact = Width(columns, compact: false) > width;
        var left = new List<string>();
        foreach (var (key, description) in SummaryColumns.DropOrder)
        {
            if (!compact || Width(columns, compact: true) <= width) break;
            var column = columns.FirstOrDefault(c => c.Key == key);
            if (column is null) continue;
            columns.Remove(column);
            left.Add(description);
        }

        leftOut = left;

        var table = new Table()
            .Border(TableBorder.Rounded)
            .BorderColor(Color.Grey)
            .ShowFooters();
        foreach (var column in columns)
        {
            var lines = column.HeaderFor(compact);
            var header = string.Join("\n", lines.Select((line, i) => i == 0 ? $"[bold]{Markup.Escape(line)}[/]" : $"[grey]{Markup.Escape(line)}[/]"));
            var tableColumn = new TableColumn(new Markup(header)).NoWrap();
            if (column.Right) tableColumn.RightAligned();
            if (column.Footer.Text.Length > 0) tableColumn.Footer(new Markup(column.Footer.Markup));
            table.AddColumn(tableColumn);
        }

        var rowCount = columns[0].Cells.Count;
        for (var i = 0; i < rowCount; i++)
        {
            table.AddRow(columns.Select(c => new Markup(c.CellsFor(compact)[i].Markup)).ToArray());
        }

        return table;
    }

    /// <summary>Columns the table needs with nothing wrapped: each column's widest line plus a
    /// space either side and a border.</summary>
    private static int Width(IEnumerable<GridColumn> columns, bool compact) =>
        1 + columns.Sum(c => 3 + SummaryGrid.Width(c, compact));
}
