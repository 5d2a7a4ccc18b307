using System.Collections.Generic;

namespace CnnDsl.Dsl.Text;

/// <summary>The files one compilation reads: the file checked and the files it imports. Each file
/// has its own stretch of one offset space (the first file from 0, each next one after the last),
/// so a <see cref="TextRange"/> anywhere in the compiler names its file too, and a diagnostic inside
/// an imported block is located in that block's file.</summary>
public sealed class SourceSet
{
    private readonly List<(int Start, SourceFile File)> _files = new();

    public SourceSet(SourceFile root)
    {
        Root = root;
        _files.Add((0, root));
    }

    /// <summary>The file being compiled; its offsets are its own (it starts at 0).</summary>
    public SourceFile Root { get; }

    /// <summary>Every file, the root first, in the order they were added.</summary>
    public IEnumerable<SourceFile> Files
    {
        get
        {
            foreach (var (_, file) in _files) yield return file;
        }
    }

    /// <summary>Adds a file after the others; returns the offset its text starts at. One offset is
    /// left between files, so the end of one is never the start of the next.</summary>
    public int Add(SourceFile file)
    {
        var (start, last) = _files[_files.Count - 1];
        var next = checked(start + last.Text.Length + 1);
        _files.Add((next, file));
        return next;
    }

    /// <summary>Where a file's text starts in the offset space; 0 for a file not in the set.</summary>
    public int StartOf(SourceFile? file)
    {
        foreach (var (start, known) in _files)
        {
            if (ReferenceEquals(known, file)) return start;
        }

        return 0;
    }

    /// <summary>The file a range lies in and the range within that file's own text.</summary>
    public (SourceFile File, TextRange Range) Resolve(TextRange range)
    {
        for (var i = _files.Count - 1; i > 0; i--)
        {
            var (start, file) = _files[i];
            if (range.Start >= start) return (file, new TextRange(range.Start - start, range.End - start));
        }

        return (Root, range);
    }

    /// <summary>Line and column of a range, in the file it lies in.</summary>
    public SourceLocation Locate(TextRange range)
    {
        var (file, local) = Resolve(range);
        return file.Locate(local);
    }

    /// <summary>The text of a range, or null where it is not all inside its file.</summary>
    public string? TextOf(TextRange range)
    {
        var (file, local) = Resolve(range);
        return local.Start >= 0 && local.End <= file.Text.Length && local.Length >= 0 ? file.Text.Substring(local.Start, local.Length) : null;
    }
}
