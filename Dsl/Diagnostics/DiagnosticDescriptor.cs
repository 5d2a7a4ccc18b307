namespace CnnDsl.Dsl.Diagnostics;

/// <summary>A kind of diagnostic: its stable code, severity and a short title.</summary>
public sealed record DiagnosticDescriptor(string Code, Severity Severity, string Title);
