namespace CnnDsl.Generator.Pipeline;

public sealed record GeneratedSource(string HintName, string Text);
