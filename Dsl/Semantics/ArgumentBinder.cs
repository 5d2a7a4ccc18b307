using System;
using System.Collections.Generic;
using System.Linq;
using CnnDsl.Dsl.Diagnostics;
using CnnDsl.Dsl.Syntax;
using CnnDsl.Dsl.Text;

namespace CnnDsl.Dsl.Semantics;

/// <summary>Matches the arguments of a call (of a builtin layer, function or structure, or of a
/// block) to its parameter names. Reports extra, unknown, repeated and missing arguments, and a
/// positional argument after a named one (once, and nothing else about that call: which
/// parameter it was meant for is a guess).</summary>
internal sealed class ArgumentBinder
{
    private readonly DiagnosticBag _diagnostics;

    public ArgumentBinder(DiagnosticBag diagnostics) => _diagnostics = diagnostics;

    /// <summary>The arguments by parameter name, each with where it is written; null when the
    /// call is wrong (reported). <paramref name="signature"/> is only spelled out for a
    /// diagnostic: a block may be called a million times.</summary>
    public Dictionary<string, (Value, TextRange)>? Bind(
        string callee, IReadOnlyList<string> parameters, Func<string, bool> isRequired,
        List<(Argument Syntax, Value Value)> arguments, TextRange callRange, Func<string> signature)
    {
        if (PositionalAfterNamed(callee, parameters, arguments)) return null;
        var bound = new Dictionary<string, (Value, TextRange)>(StringComparer.Ordinal);
        var ok = true;
        var position = 0;
        foreach (var (syntax, value) in arguments)
        {
            string name;
            if (syntax.Name is null)
            {
                if (position >= parameters.Count)
                {
                    _diagnostics.Report(DiagnosticCodes.MissingArgument, syntax.Range,
                        $"{callee} takes at most {parameters.Count} argument{(parameters.Count == 1 ? "" : "s")}, but is given more",
                        $"the signature is {signature()}");
                    ok = false;
                    continue;
                }

                name = parameters[position++];
            }
            else
            {
                name = syntax.Name.Name;
                if (!parameters.Contains(name))
                {
                    _diagnostics.Report(DiagnosticCodes.UnknownArgument, syntax.Name.Range, $"{callee} has no parameter `{name}`",
                        Suggestions.DidYouMean(name, parameters) ?? $"the signature is {signature()}");
                    ok = false;
                    continue;
                }
            }

            if (bound.TryGetValue(name, out var earlier))
            {
                _diagnostics.Report(DiagnosticCodes.DuplicateArgument, syntax.Range, $"`{name}` of {callee} is given twice", null,
                    new[] { (earlier.Item2, $"`{name}` is first given here") });
                ok = false;
                continue;
            }

            bound[name] = (value, syntax.Range);
        }

        var missing = parameters.Where(p => isRequired(p) && !bound.ContainsKey(p)).ToList();
        if (ok && missing.Count > 0)
        {
            // All of them in one diagnostic: a bare `conv` lacks two arguments at one place.
            _diagnostics.Report(DiagnosticCodes.MissingArgument, callRange,
                $"{callee} needs its {Enumerate(missing.Select(m => $"`{m}`").ToList())} argument{(missing.Count == 1 ? "" : "s")}",
                $"the signature is {signature()}");
            ok = false;
        }

        return ok ? bound : null;
    }

    private bool PositionalAfterNamed(string callee, IReadOnlyList<string> parameters, List<(Argument Syntax, Value Value)> arguments)
    {
        var firstNamed = arguments.FindIndex(a => a.Syntax.Name is not null);
        if (firstNamed < 0) return false;
        var stray = arguments.FindIndex(firstNamed + 1, a => a.Syntax.Name is null);
        if (stray < 0) return false;

        // The parameter it was most likely meant for: the first one neither filled by the
        // positional arguments before the named ones nor named.
        var named = new HashSet<string>(arguments.Where(a => a.Syntax.Name is not null).Select(a => a.Syntax.Name!.Name), StringComparer.Ordinal);
        var meant = parameters.Skip(firstNamed).FirstOrDefault(p => !named.Contains(p));
        var range = arguments[stray].Syntax.Range;
        var text = range.Length is > 0 and <= 24 ? _diagnostics.Sources.TextOf(range) ?? "..." : "...";
        var firstName = arguments[firstNamed].Syntax.Name!;
        _diagnostics.Report(DiagnosticCodes.PositionalAfterNamed, range,
            $"a positional argument of {callee} follows the named argument `{firstName.Name}`",
            meant is null
                ? "positional arguments come first; move it before the named ones"
                : $"positional arguments come first: name it (`{meant}: {text}`) or move it before `{firstName.Name}`",
            new[] { (arguments[firstNamed].Syntax.Range, "the first named argument") });
        return true;
    }

    private static string Enumerate(IReadOnlyList<string> items) =>
        items.Count <= 1 ? string.Concat(items) : string.Join(", ", items.Take(items.Count - 1)) + " and " + items[items.Count - 1];
}
