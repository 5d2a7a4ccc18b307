using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using CnnDsl.Dsl.Text;

namespace CnnDsl.Dsl.Diagnostics;

/// <summary>The parts of a rendered diagnostic a terminal may colour.</summary>
public enum DiagnosticStyle
{
    /// <summary>Plain text: source lines, spaces.</summary>
    None,

    /// <summary><c>path:line:col</c> in the header.</summary>
    Location,

    /// <summary><c>error[CNN0031]</c></summary>
    Error,

    /// <summary><c>warning[CNN0040]</c></summary>
    Warning,

    /// <summary>The message in the header.</summary>
    Message,

    /// <summary>Line numbers and the <c>|</c> beside the source.</summary>
    Gutter,

    /// <summary>The carets under the span of an error.</summary>
    PrimaryError,

    /// <summary>The carets under the span of a warning.</summary>
    PrimaryWarning,

    /// <summary>The dashes under a related place, and its label.</summary>
    Secondary,

    /// <summary>The word <c>help</c> or <c>note</c>.</summary>
    Help,
}

/// <summary>Renders diagnostics as the Rust and Elm compilers do: a header
/// <c>path:line:col: error[CNN0031]: message</c>, the source line with the span underlined by
/// carets, each related place underlined by dashes with what it says, and a help line. Plain text
/// unless a painter adds colour. Safe on any input: control characters in the source are shown
/// as U+FFFD (never sent to a terminal), tabs as four spaces, and a long line as a window around
/// the span.</summary>
public static class DiagnosticRenderer
{
    /// <summary>Widest source text shown for one line; longer lines are cut around the span.</summary>
    public const int MaxSourceWidth = 140;

    /// <summary>Most source lines shown for one diagnostic.</summary>
    private const int MaxLines = 8;

    private const int TabWidth = 4;

    /// <summary>Every diagnostic, each followed by a blank line.</summary>
    public static string Render(IEnumerable<Diagnostic> diagnostics, Func<string, DiagnosticStyle, string>? paint = null)
    {
        var text = new StringBuilder();
        foreach (var diagnostic in diagnostics) text.Append(Render(diagnostic, paint)).Append('\n');
        return text.ToString();
    }

    /// <summary>One diagnostic, lines separated by '\n', ending with one.</summary>
    public static string Render(Diagnostic diagnostic, Func<string, DiagnosticStyle, string>? paint = null)
    {
        paint ??= (text, _) => text;
        var output = new StringBuilder();
        var location = diagnostic.Location;
        var isError = diagnostic.IsError;
        var place = $"{location.Path}:{location.StartLine + 1}:{location.StartColumn + 1}";
        output.Append(paint(place, DiagnosticStyle.Location)).Append(": ")
            .Append(paint($"{(isError ? "error" : "warning")}[{diagnostic.Code}]", isError ? DiagnosticStyle.Error : DiagnosticStyle.Warning))
            .Append(": ").Append(paint(OneLine(diagnostic.Message), DiagnosticStyle.Message)).Append('\n');

        var source = diagnostic.Source is { Text.Length: > 0 } file ? file : null;
        var marks = new List<Mark> { new(location, null, true) };
        var elsewhere = new List<RelatedLocation>();
        foreach (var related in diagnostic.Related)
        {
            if (source is not null && related.Location.Path == location.Path) marks.Add(new Mark(related.Location, related.Label, false));
            else elsewhere.Add(related);
        }

        var gutter = 1;
        if (source is not null)
        {
            var lines = marks.Select(m => m.Location.StartLine).Distinct().OrderBy(l => l).Take(MaxLines).ToList();
            gutter = (lines.Max() + 1).ToString(CultureInfo.InvariantCulture).Length;
            var blank = new string(' ', gutter + 1);
            output.Append(blank).Append(paint("|", DiagnosticStyle.Gutter)).Append('\n');
            for (var i = 0; i < lines.Count; i++)
            {
                if (i > 0 && lines[i] > lines[i - 1] + 1) output.Append(paint("...", DiagnosticStyle.Gutter)).Append('\n');
                WriteLine(output, source, lines[i], marks.Where(m => m.Location.StartLine == lines[i]).ToList(), gutter, isError, paint);
            }
        }

        var indent = new string(' ', gutter + 1);
        foreach (var related in elsewhere)
        {
            var at = related.Location;
            output.Append(indent).Append("= ").Append(paint("note", DiagnosticStyle.Help))
                .Append(": ").Append(OneLine(related.Label)).Append(" (")
                .Append(at.Path).Append(':').Append(at.StartLine + 1).Append(':').Append(at.StartColumn + 1).Append(")\n");
        }

        if (!string.IsNullOrEmpty(diagnostic.Help))
        {
            if (source is not null) output.Append(indent).Append(paint("|", DiagnosticStyle.Gutter)).Append('\n');
            output.Append(indent).Append("= ").Append(paint("help", DiagnosticStyle.Help)).Append(": ").Append(OneLine(diagnostic.Help!)).Append('\n');
        }

        return output.ToString();
    }

    private sealed record Mark(SourceLocation Location, string? Label, bool Primary);

    /// <summary>One source line (or a window of it), then one underline row per mark on it:
    /// the primary span first, then the related ones from left to right.</summary>
    private static void WriteLine(
        StringBuilder output, SourceFile source, int line, List<Mark> marks, int gutter, bool isError,
        Func<string, DiagnosticStyle, string> paint)
    {
        var raw = source.LineText(line);
        var ordered = marks.OrderBy(m => m.Primary ? 0 : 1).ThenBy(m => m.Location.StartColumn).ToList();

        // Only the part of the line near the first span is expanded: a line may be megabytes.
        var anchor = Math.Min(ordered[0].Location.StartColumn, raw.Length);
        var rawFrom = Math.Max(0, anchor - MaxSourceWidth);
        var rawTo = Math.Min(raw.Length, rawFrom + 3 * MaxSourceWidth);
        var columns = new int[rawTo - rawFrom + 1];
        var shown = new StringBuilder(rawTo - rawFrom);
        for (var i = rawFrom; i < rawTo; i++)
        {
            columns[i - rawFrom] = shown.Length;
            var c = raw[i];
            if (c == '\t') shown.Append(' ', TabWidth);
            else if (char.IsControl(c) || (char.IsSurrogate(c) && !IsPairedSurrogate(raw, i))) shown.Append('\uFFFD');
            else shown.Append(c);
        }

        columns[rawTo - rawFrom] = shown.Length;
        int Column(int index) => index <= rawFrom ? 0 : index >= rawTo ? shown.Length : columns[index - rawFrom];

        var spans = ordered
            .Select(m =>
            {
                var startCol = Column(m.Location.StartColumn);
                var endCol = m.Location.EndLine == m.Location.StartLine ? Column(m.Location.EndColumn) : TrimmedEnd(shown);
                return (Mark: m, Start: startCol, End: Math.Max(endCol, startCol + 1));
            })
            .ToList();

        // A window of what was expanded, around the first (primary) span.
        var text = shown.ToString();
        var windowStart = 0;
        var prefix = rawFrom > 0 ? "..." : "";
        var suffix = rawTo < raw.Length ? "..." : "";
        if (text.Length > MaxSourceWidth)
        {
            windowStart = Math.Max(0, Math.Min(spans[0].Start - 20, text.Length - MaxSourceWidth));
            if (windowStart > 0) prefix = "...";
            if (windowStart + MaxSourceWidth < text.Length) suffix = "...";
            text = text.Substring(windowStart, MaxSourceWidth);
        }

        var number = (line + 1).ToString(CultureInfo.InvariantCulture).PadLeft(gutter);
        output.Append(paint(number + " |", DiagnosticStyle.Gutter));
        if (text.Length > 0 || prefix.Length > 0) output.Append(' ').Append(prefix).Append(text.TrimEnd()).Append(suffix);
        output.Append('\n');

        var blank = new string(' ', gutter + 1);
        foreach (var (mark, start, end) in spans)
        {
            // Clip to the window; a span wholly outside it keeps one mark at the nearest edge.
            var from = Math.Min(Math.Max(start - windowStart, 0), text.Length);
            var to = Math.Min(Math.Max(end - windowStart, from + 1), text.Length + 1);
            var underline = new string(mark.Primary ? '^' : '-', Math.Max(1, to - from));
            var style = mark.Primary ? (isError ? DiagnosticStyle.PrimaryError : DiagnosticStyle.PrimaryWarning) : DiagnosticStyle.Secondary;
            output.Append(blank).Append(paint("|", DiagnosticStyle.Gutter)).Append(' ')
                .Append(' ', prefix.Length + from)
                .Append(paint(mark.Label is null ? underline : underline + " " + OneLine(mark.Label), style))
                .Append('\n');
        }
    }

    private static int TrimmedEnd(StringBuilder shown)
    {
        var end = shown.Length;
        while (end > 0 && shown[end - 1] == ' ') end--;
        return end;
    }

    private static bool IsPairedSurrogate(string text, int i) =>
        char.IsHighSurrogate(text[i])
            ? i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])
            : i > 0 && char.IsHighSurrogate(text[i - 1]);

    /// <summary>Messages quote source text; a newline or control character in one must not
    /// break the layout or reach a terminal.</summary>
    private static string OneLine(string text)
    {
        if (!text.Any(char.IsControl)) return text;
        var clean = new StringBuilder(text.Length);
        foreach (var c in text) clean.Append(char.IsControl(c) ? '\uFFFD' : c);
        return clean.ToString();
    }
}
