using CnnDsl.Dsl.Text;

namespace CnnDsl.Dsl.Diagnostics;

/// <summary>One problem found in a .cnn file: a stable code, a message naming the things
/// involved, where it is, and optionally a hint on how to fix it.</summary>
public sealed record Diagnostic(
    DiagnosticDescriptor Descriptor, string Message, SourceLocation Location, string? Help = null)
{
    public string Code => Descriptor.Code;
    public Severity Severity => Descriptor.Severity;
    public bool IsError => Descriptor.Severity == Severity.Error;

    public override string ToString()
    {
        var kind = Severity == Severity.Error ? "error" : "warning";
        return $"{Location}: {kind} {Code}: {Message}";
    }
}
