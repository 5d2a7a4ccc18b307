namespace CnnDsl.Generator.Pipeline;

/// <summary>One .cnn file as the pipeline sees it: its path and text, and the paths its
/// <c>import</c> lines name as written, compared by value.</summary>
public sealed record CnnFile(string Path, string Text)
{
    public EquatableArray<string> Imports { get; init; }
}
