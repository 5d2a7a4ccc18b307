using System.Collections.Generic;
using System.IO;
using System.Linq;
using CnnDsl.Cli.Analysis;

namespace CnnDsl.Cli.Rendering;

/// <summary>The markdown form of <c>cnn summary</c> (<c>--format markdown</c>): for each model a
/// heading, the layer table as a GitHub table (the same columns as the text form, never left
/// out for width), and the totals as a list.</summary>
public static class SummaryMarkdown
{
    public static void Write(TextWriter writer, string path, IReadOnlyList<ModelReport> reports, int? maxDepth, IReadOnlyList<SummaryColumn> keys)
    {
        for (var i = 0; i < reports.Count; i++)
        {
            if (i > 0) writer.WriteLine();
            var report = reports[i];
            writer.WriteLine($"## {report.Model.Name} (`{path}`)");
            writer.WriteLine();
            var columns = SummaryGrid.Build(report, maxDepth, keys);
            writer.WriteLine("| " + string.Join(" | ", columns.Select(c => Escape(string.Join(" ", c.Header)))) + " |");
            writer.WriteLine("|" + string.Join("|", columns.Select(c => c.Right ? "---:" : "---")) + "|");
            for (var row = 0; row < columns[0].Cells.Count; row++)
            {
                writer.WriteLine("| " + string.Join(" | ", columns.Select(c => Cell(c.Cells[row].Text))) + " |");
            }

            writer.WriteLine("| " + string.Join(" | ", columns.Select(c => c.Footer.Text.Length == 0 ? "" : $"**{Escape(c.Footer.Text)}**")) + " |");
            writer.WriteLine();
            foreach (var line in SummaryFooter.Lines(report))
            {
                var label = line.Label.Trim();
                var indent = line.Label.StartsWith(" ", System.StringComparison.Ordinal) ? "  " : "";
                writer.WriteLine($"{indent}- **{Escape(label)}**: {Escape(line.Text)}");
            }
        }
    }

    /// <summary>Leading spaces (the nesting) as non-breaking spaces, which markdown keeps.</summary>
    private static string Cell(string text)
    {
        var trimmed = text.TrimStart(' ');
        var indent = text.Length - trimmed.Length;
        return string.Concat(Enumerable.Repeat("&nbsp;", indent)) + Escape(trimmed);
    }

    private static string Escape(string text) => text.Replace("|", "\\|").Replace("*", "\\*").Replace("_", "\\_");
}
