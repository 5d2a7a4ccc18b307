using System.Collections.Generic;
using CnnDsl.Dsl.Text;

namespace CnnDsl.Dsl.Diagnostics;

/// <summary>Collects the diagnostics of one file, located against its text.</summary>
public sealed class DiagnosticBag
{
    private readonly List<Diagnostic> _items = new();

    public DiagnosticBag(SourceFile source) => Source = source;

    public SourceFile Source { get; }
    public IReadOnlyList<Diagnostic> Items => _items;
    public bool HasErrors => _items.Exists(d => d.IsError);

    public void Report(DiagnosticDescriptor descriptor, TextRange range, string message, string? help = null) =>
        _items.Add(new Diagnostic(descriptor, message, Source.Locate(range), help));
}
