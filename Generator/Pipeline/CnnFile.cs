namespace CnnDsl.Generator.Pipeline;

/// <summary>One .cnn file as the pipeline sees it: its path and text, compared by value.</summary>
public sealed record CnnFile(string Path, string Text);
