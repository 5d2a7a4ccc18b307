using System.Collections.Generic;

namespace CnnDsl.Dsl.Text;

/// <summary>The text of one .cnn file with a line map, so offsets can become line and column.</summary>
public sealed class SourceFile
{
    private readonly int[] _lineStarts;

    public SourceFile(string path, string text)
    {
        Path = path;
        Text = text;
        var starts = new List<int> { 0 };
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\n') starts.Add(i + 1);
        }
        _lineStarts = starts.ToArray();
    }

    public string Path { get; }
    public string Text { get; }

    /// <summary>Zero-based line and column of an offset.</summary>
    public (int Line, int Column) LineColumn(int offset)
    {
        if (offset < 0) offset = 0;
        if (offset > Text.Length) offset = Text.Length;
        var index = System.Array.BinarySearch(_lineStarts, offset);
        var line = index >= 0 ? index : ~index - 1;
        return (line, offset - _lineStarts[line]);
    }

    /// <summary>The text of a zero-based line, without its line break.</summary>
    public string LineText(int line)
    {
        if (line < 0 || line >= _lineStarts.Length) return string.Empty;
        var start = _lineStarts[line];
        var end = line + 1 < _lineStarts.Length ? _lineStarts[line + 1] : Text.Length;
        return Text.Substring(start, end - start).TrimEnd('\r', '\n');
    }

    public SourceLocation Locate(TextRange range)
    {
        var (startLine, startColumn) = LineColumn(range.Start);
        var (endLine, endColumn) = LineColumn(range.End);
        return new SourceLocation(Path, range, startLine, startColumn, endLine, endColumn);
    }
}
