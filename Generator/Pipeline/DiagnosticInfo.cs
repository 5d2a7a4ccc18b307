using System.Linq;
using CnnDsl.Dsl.Diagnostics;

namespace CnnDsl.Generator.Pipeline;

/// <summary>A place in a .cnn file in plain values; lines and columns are zero-based.</summary>
public sealed record LocationInfo(string Path, int Start, int Length, int StartLine, int StartColumn, int EndLine, int EndColumn);

/// <summary>A diagnostic in plain values (no Roslyn Location), so results stay comparable and
/// cacheable; it becomes a Roslyn diagnostic only when reported. Lines and columns are zero-based.</summary>
public sealed record DiagnosticInfo(
    string Code, bool IsError, string Title, string Message,
    string Path, int Start, int Length, int StartLine, int StartColumn, int EndLine, int EndColumn)
{
    /// <summary>The other places the diagnostic involves (the two sides of a shape mismatch),
    /// reported as Roslyn's additional locations.</summary>
    public EquatableArray<LocationInfo> Related { get; init; }

    /// <summary>The diagnostic as the generator reports it: the help, when there is one, and
    /// what each related place says are part of the message, since a build log shows only that.</summary>
    public static DiagnosticInfo From(Diagnostic diagnostic, string path)
    {
        var location = diagnostic.Location;
        var message = diagnostic.Message;
        foreach (var related in diagnostic.Related)
        {
            message += related.Location.Path == path
                ? $"; ({related.Location.StartLine + 1},{related.Location.StartColumn + 1}): {related.Label}"
                : $"; {related.Location.Path}({related.Location.StartLine + 1},{related.Location.StartColumn + 1}): {related.Label}";
        }

        if (diagnostic.Help is not null) message += " (help: " + diagnostic.Help + ")";
        return new DiagnosticInfo(
            diagnostic.Code, diagnostic.IsError, diagnostic.Descriptor.Title, message,
            path, location.Range.Start, location.Range.Length,
            location.StartLine, location.StartColumn, location.EndLine, location.EndColumn)
        {
            Related = new EquatableArray<LocationInfo>(diagnostic.Related.Select(r => new LocationInfo(
                r.Location.Path, r.Location.Range.Start, r.Location.Range.Length,
                r.Location.StartLine, r.Location.StartColumn, r.Location.EndLine, r.Location.EndColumn))),
        };
    }
}
