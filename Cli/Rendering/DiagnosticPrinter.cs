using System.Collections.Generic;
using System.IO;
using CnnDsl.Dsl.Diagnostics;

namespace CnnDsl.Cli.Rendering;

/// <summary>Prints diagnostics the way compilers do, so editors and CI annotate them:
/// <c>path(line,col): error CNN0031: message</c> (one-based), then an indented help line.</summary>
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
        var location = diagnostic.Location;
        var isError = diagnostic.Severity == Severity.Error;
        var place = $"{location.Path}({location.StartLine + 1},{location.StartColumn + 1})";
        var kind = isError ? "error" : "warning";
        _writer.WriteLine(
            $"{Paint(place, Ansi.Bold)}: {Paint($"{kind} {diagnostic.Code}", isError ? Ansi.Red : Ansi.Yellow)}: {diagnostic.Message}");
        if (!string.IsNullOrEmpty(diagnostic.Help))
        {
            _writer.WriteLine($"    {Paint("help:", Ansi.Cyan)} {diagnostic.Help}");
        }
    }

    /// <summary>A one-line error of the tool itself (not of a .cnn file): <c>error: message</c>.</summary>
    public void ToolError(string message) => _writer.WriteLine($"{Paint("error", Ansi.Red)}: {message}");

    private string Paint(string text, string code) => _color ? code + text + Ansi.Reset : text;

    private static class Ansi
    {
        public const string Reset = "\u001b[0m";
        public const string Bold = "\u001b[1m";
        public const string Red = "\u001b[1;31m";
        public const string Yellow = "\u001b[1;33m";
        public const string Cyan = "\u001b[36m";
    }
}
