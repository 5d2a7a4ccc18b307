using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using CnnDsl.Dsl.Text;

namespace CnnDsl.Dsl.Diagnostics;

/// <summary>Collects the diagnostics of one file, located against its text. At most
/// <see cref="MaxDiagnostics"/> are kept, the first ones in the file (a file of binary garbage
/// would otherwise yield one per byte); the others are only counted, and the compiler ends the
/// list with one CNN0005 that says how many were left out.</summary>
public sealed class DiagnosticBag
{
    /// <summary>Diagnostics kept per file; further ones are counted, not stored.</summary>
    public const int MaxDiagnostics = 100;

    // Kept diagnostics by report order, and their (start, order) keys sorted, so the one furthest
    // into the file can give way to an earlier one in O(log n).
    private readonly Dictionary<long, Diagnostic> _kept = new();
    private readonly SortedSet<(int Start, long Order)> _byPlace = new();
    private readonly HashSet<(string Code, int Start, int End)> _seen = new();
    private long _order;
    private int _dropped;
    private int _droppedErrors;
    private TextRange? _firstDropped;
    private List<Diagnostic>? _items;

    public DiagnosticBag(SourceFile source) : this(new SourceSet(source))
    {
    }

    /// <summary>A bag for a file and the files it imports: each diagnostic is located in the file
    /// its range lies in.</summary>
    public DiagnosticBag(SourceSet sources) => Sources = sources;

    /// <summary>The file being compiled.</summary>
    public SourceFile Source => Sources.Root;

    /// <summary>The file being compiled and the files it imports.</summary>
    public SourceSet Sources { get; }

    /// <summary>The kept diagnostics, in the order they were reported.</summary>
    public IReadOnlyList<Diagnostic> Items => _items ??= _kept.OrderBy(p => p.Key).Select(p => p.Value).ToList();

    public bool HasErrors => _droppedErrors > 0 || _kept.Values.Any(d => d.IsError);

    /// <summary>Diagnostics found beyond <see cref="MaxDiagnostics"/>.</summary>
    public int Dropped => _dropped;

    public void Report(DiagnosticDescriptor descriptor, TextRange range, string message, string? help = null) =>
        Report(descriptor, range, message, help, null);

    /// <summary>Reports a diagnostic with other places it involves, each with its label. A code is
    /// reported once per place: a mistake in a block used by two models, or called with two
    /// different arguments, is one mistake (the first report of it is kept, with its values).</summary>
    public void Report(
        DiagnosticDescriptor descriptor, TextRange range, string message, string? help,
        IEnumerable<(TextRange Range, string Label)>? related)
    {
        var key = (descriptor.Code, range.Start, range.End);
        if (_seen.Contains(key)) return;
        if (_kept.Count >= MaxDiagnostics)
        {
            var last = _byPlace.Max;
            if (range.Start >= last.Start)
            {
                Drop(descriptor.Severity, range);
                return;
            }

            // An earlier place in the file: it is kept, the furthest one is left out.
            var evicted = _kept[last.Order];
            _kept.Remove(last.Order);
            _byPlace.Remove(last);
            Drop(evicted.Severity, evicted.Location.Range);
        }

        _seen.Add(key);
        var relatedLocations = related?
            .Where(r => r.Range != range)
            .Select(r => new RelatedLocation(Sources.Locate(r.Range), r.Label) { Source = Sources.Resolve(r.Range).File })
            .ToArray();
        var order = _order++;
        _kept[order] = new Diagnostic(descriptor, message, Sources.Locate(range), help)
        {
            Related = relatedLocations is { Length: > 0 } ? relatedLocations : System.Array.Empty<RelatedLocation>(),
            Source = Sources.Resolve(range).File,
        };
        _byPlace.Add((range.Start, order));
        _items = null;
    }

    private void Drop(Severity severity, TextRange range)
    {
        _dropped++;
        if (severity == Severity.Error) _droppedErrors++;
        if (_firstDropped is null || range.Start < _firstDropped.Value.Start) _firstDropped = range;
    }

    /// <summary>The closing CNN0005 that says how many diagnostics were left out, or null. It is
    /// an error when any of them is, a warning otherwise.</summary>
    internal Diagnostic? DroppedNote()
    {
        if (_dropped == 0 || _firstDropped is null) return null;
        var count = _dropped;
        var noun = _droppedErrors == count ? "error" : _droppedErrors == 0 ? "warning" : "diagnostic";
        return new Diagnostic(_droppedErrors > 0 ? DiagnosticCodes.TooManyDiagnostics : DiagnosticCodes.TooManyWarnings,
            $"{count.ToString("N0", CultureInfo.InvariantCulture)} more {noun}{(count == 1 ? "" : "s")} not shown: only the first {MaxDiagnostics} of a file are reported",
            Sources.Locate(_firstDropped.Value),
            "fix the ones shown and check again; a file that is not a .cnn file at all gives an error for nearly every character")
        {
            Source = Sources.Resolve(_firstDropped.Value).File,
        };
    }
}
