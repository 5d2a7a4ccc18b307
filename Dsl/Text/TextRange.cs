namespace CnnDsl.Dsl.Text;

/// <summary>A half-open range of character offsets into one source file.</summary>
public readonly record struct TextRange(int Start, int End)
{
    public int Length => End - Start;

    public static TextRange Cover(TextRange first, TextRange last) =>
        new(System.Math.Min(first.Start, last.Start), System.Math.Max(first.End, last.End));
}
