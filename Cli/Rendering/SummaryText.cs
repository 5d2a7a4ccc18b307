using System.Collections.Generic;
using System.IO;
using CnnDsl.Cli.Analysis;
using Spectre.Console;

namespace CnnDsl.Cli.Rendering;

/// <summary>The text form of <c>cnn summary</c>: for each model a heading, its layer table and its totals.</summary>
public static class SummaryText
{
    public static void Write(
        TextWriter writer, OutputSettings settings, string path, IReadOnlyList<ModelReport> reports, int? maxDepth, IReadOnlyList<SummaryColumn> columns)
    {
        var console = ConsoleFactory.Create(writer, settings);
        for (var i = 0; i < reports.Count; i++)
        {
            if (i > 0) console.WriteLine();
            var report = reports[i];
            ConsoleFactory.Line(console, $"[bold]{Markup.Escape(report.Model.Name)}[/] [grey]({Markup.Escape(path)})[/]");
            console.Write(SummaryTable.Build(report, maxDepth, columns, settings.Width, out var leftOut));
            if (leftOut.Count > 0)
            {
                // Said, never silent: the JSON form and a smaller --depth still show them.
                ConsoleFactory.Line(console, $"[grey](left out to fit {settings.Width} columns: {Markup.Escape(string.Join(", ", leftOut))})[/]");
            }

            SummaryFooter.Write(console, report);
        }
    }
}
