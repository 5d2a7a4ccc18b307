using System.Collections.Generic;
using System.IO;
using CnnDsl.Dsl.Diagnostics;

namespace CnnDsl.Cli.Rendering;

/// <summary>Prints diagnostics as the Rust and Elm compilers do, through the Dsl's
/// <see cref="DiagnosticRenderer"/>: <c>path:line:col: error[CNN0031]: message</c> (one-based),
/// the source line with the span underlined by carets, each related place underlined by dashes
/// with its label, and a <c>help:</c> line; a blank line after each. Colour only when asked
/// (a terminal, without NO_COLOR); plain text otherwise, so files and CI logs stay clean.</summary>
public sealed class DiagnosticPrinter
{
    private readonly TextWriter _writer;
    private readonly bool _color;

    public DiagnosticPrinter(TextWriter writer, bool color)
    {
        _writer = writer;
        _color = color;
    }

    public void Print(IEnumerable<Diagnostic> diagnostics)
    {
        foreach (var diagnostic in diagnostics) Print(diagnostic);
    }

    public void Print(Diagnostic diagnostic)
    {
        // The renderer ends lines with '\n'; the writer's own line ending is used instead.
        var text = DiagnosticRenderer.Render(diagnostic, _color ? Paint : null);
        foreach (var line in text.TrimEnd('\n').Split('\n')) _writer.WriteLine(line);
        _writer.WriteLine();
    }

    /// <summary>A one-line error of the tool itself (not of a .cnn file): <c>error: message</c>.</summary>
    public void ToolError(string message) => _writer.WriteLine($"{(_color ? Ansi.Red + "error" + Ansi.Reset : "error")}: {message}");

    private static string Paint(string text, DiagnosticStyle style)
    {
        var code = style switch
        {
            DiagnosticStyle.Location => Ansi.Bold,
            DiagnosticStyle.Error or DiagnosticStyle.PrimaryError => Ansi.Red,
            DiagnosticStyle.Warning or DiagnosticStyle.PrimaryWarning => Ansi.Yellow,
            DiagnosticStyle.Message => Ansi.Bold,
            DiagnosticStyle.Gutter or DiagnosticStyle.Secondary => Ansi.Blue,
            DiagnosticStyle.Help => Ansi.Cyan,
            _ => null,
        };
        return code is null || text.Length == 0 ? text : code + text + Ansi.Reset;
    }

    private static class Ansi
    {
        public const string Reset = "\u001b[0m";
        public const string Bold = "\u001b[1m";
        public const string Red = "\u001b[1;31m";
        public const string Yellow = "\u001b[1;33m";
        public const string Blue = "\u001b[1;34m";
        public const string Cyan = "\u001b[1;36m";
    }
}
