using System;
using System.Globalization;
using System.Text;

namespace CnnDsl.Benchmarks.Suites;

/// <summary>Writes Markdown to stdout (for RESULTS.md) and progress to stderr.</summary>
public static class Report
{
    public static void Line(string text = "") => Console.Out.WriteLine(text);

    public static void Progress(string text) => Console.Error.WriteLine(text);

    public static string Row(params object[] cells)
    {
        var b = new StringBuilder("|");
        foreach (var c in cells) b.Append(' ').Append(Convert.ToString(c, CultureInfo.InvariantCulture)).Append(" |");
        return b.ToString();
    }

    public static string Header(params string[] titles) =>
        Row(titles) + Environment.NewLine + "|" + string.Concat(System.Linq.Enumerable.Repeat("---|", titles.Length));
}
