using System.IO;
using CnnDsl.Cli.Rendering;

namespace CnnDsl.Cli;

/// <summary>Where a command writes: standard output (with what it is: terminal or not) and
/// standard error. Tests pass string writers; the program passes the console.</summary>
public sealed record CliContext(TextWriter Out, TextWriter Error, OutputSettings OutSettings, bool ErrorColor)
{
    /// <summary>Diagnostics and tool errors on standard error.</summary>
    public DiagnosticPrinter ErrorPrinter => new(Error, ErrorColor);
}
