using System;
using System.Collections.Generic;
using System.Linq;
using CnnDsl.Dsl.Text;

namespace CnnDsl.Dsl.Diagnostics;

/// <summary>A second place a diagnostic involves, with what it says about that place: the other
/// side of a shape mismatch, the first of two definitions.</summary>
public sealed record RelatedLocation(SourceLocation Location, string Label)
{
    /// <summary>The file the place is in (an imported file's, for a definition there); null when
    /// made by hand without one.</summary>
    public SourceFile? Source { get; init; }

    // Compared by what it says, not by the file object it was found in.
    public bool Equals(RelatedLocation? other) => other is not null && Location.Equals(other.Location) && Label == other.Label;

    public override int GetHashCode() => (Location, Label).GetHashCode();
}

/// <summary>One problem found in a .cnn file: a stable code, a message naming the things
/// involved, where it is, and optionally a hint on how to fix it and other places involved.</summary>
public sealed record Diagnostic(
    DiagnosticDescriptor Descriptor, string Message, SourceLocation Location, string? Help = null)
{
    public string Code => Descriptor.Code;
    public Severity Severity => Descriptor.Severity;
    public bool IsError => Descriptor.Severity == Severity.Error;

    /// <summary>Other places involved (the two sides of a mismatch, a definition in an imported
    /// file); empty for most diagnostics.</summary>
    public IReadOnlyList<RelatedLocation> Related { get; init; } = Array.Empty<RelatedLocation>();

    /// <summary>The file the diagnostic is in, so a renderer can show its lines; null for a
    /// diagnostic made by hand without one.</summary>
    public SourceFile? Source { get; init; }

    public override string ToString()
    {
        var kind = Severity == Severity.Error ? "error" : "warning";
        return $"{Location}: {kind} {Code}: {Message}";
    }

    // Compared by what it says, not by the file object it was found in.
    public bool Equals(Diagnostic? other) =>
        other is not null
        && Descriptor.Equals(other.Descriptor)
        && Message == other.Message
        && Location.Equals(other.Location)
        && Help == other.Help
        && Related.SequenceEqual(other.Related);

    public override int GetHashCode() => (Descriptor, Message, Location, Help, Related.Count).GetHashCode();
}
