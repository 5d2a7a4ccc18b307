namespace CnnDsl.Dsl.Text;

/// <summary>Where something is in a .cnn file. Lines and columns are zero-based, as in Roslyn;
/// <see cref="ToString"/> prints them one-based, as editors and compilers show them.</summary>
public sealed record SourceLocation(
    string Path, TextRange Range, int StartLine, int StartColumn, int EndLine, int EndColumn)
{
    public override string ToString() => $"{Path}({StartLine + 1},{StartColumn + 1})";
}
