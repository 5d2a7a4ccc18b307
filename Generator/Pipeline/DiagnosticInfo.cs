namespace CnnDsl.Generator.Pipeline;

/// <summary>A diagnostic in plain values (no Roslyn Location), so results stay comparable and
/// cacheable; it becomes a Roslyn diagnostic only when reported. Lines and columns are zero-based.</summary>
public sealed record DiagnosticInfo(
    string Code, bool IsError, string Title, string Message,
    string Path, int Start, int Length, int StartLine, int StartColumn, int EndLine, int EndColumn);
