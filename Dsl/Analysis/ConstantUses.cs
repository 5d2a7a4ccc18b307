using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using CnnDsl.Dsl.Diagnostics;
using CnnDsl.Dsl.Semantics;

namespace CnnDsl.Dsl.Analysis;

/// <summary>Finds the `let` constants holding layers with weights that one model uses more than
/// once. Each use of such a constant makes new layers with weights of their own: `let c =
/// conv(16, 3, pad: 1)` used twice is two convolutions, never one applied twice, which a reader
/// of `c -> c` may well expect. CnnDsl has no weight sharing, so this is a warning (CNN0042) that
/// names both uses; a block without parameters says "a new layer at each use" and is quiet.</summary>
internal sealed class ConstantUses
{
    private readonly string _model;

    // Per constant (name and definition), the parameters each evaluated use made, by occurrence.
    private readonly Dictionary<(string Name, Text.TextRange Definition), SortedDictionary<int, (ConstantUse Use, long Parameters)>> _uses = new();

    public ConstantUses(string model) => _model = model;

    /// <summary>Adds what an analysed node owns to every constant use it came from.</summary>
    public void Record(NetworkNode node, LayerInfo info)
    {
        foreach (var use in node.ConstantUses)
        {
            if (!_uses.TryGetValue((use.Name, use.Definition), out var occurrences))
            {
                occurrences = new SortedDictionary<int, (ConstantUse, long)>();
                _uses.Add((use.Name, use.Definition), occurrences);
            }

            var parameters = checked(info.Parameters + info.AuxiliaryParameters);
            occurrences[use.Occurrence] = occurrences.TryGetValue(use.Occurrence, out var known)
                ? (known.Use, checked(known.Parameters + parameters))
                : (use, parameters);
        }
    }

    /// <summary>One warning per constant whose layers with weights this model made more than once,
    /// at its second use, naming the first use and the definition.</summary>
    public void ReportRepeated(DiagnosticBag diagnostics)
    {
        foreach (var entry in _uses)
        {
            var occurrences = entry.Value.Values.ToList();
            if (occurrences.Count < 2 || occurrences.All(o => o.Parameters == 0)) continue;

            var name = entry.Key.Name;
            var first = occurrences[0].Use;
            var second = occurrences[1].Use;
            var total = occurrences.Aggregate(0L, (sum, o) => checked(sum + o.Parameters));
            var each = occurrences.All(o => o.Parameters == occurrences[0].Parameters)
                ? $"{Grouped(occurrences[0].Parameters)} parameters each, {Grouped(total)} in all"
                : $"{Grouped(total)} parameters in all";
            var places = occurrences.Select(o => o.Use.Use).Distinct().Count() == 1
                ? $" (its one use is evaluated {occurrences.Count} times, in a loop or a block called more than once)"
                : "";
            diagnostics.Report(DiagnosticCodes.ConstantUsedTwice, second.Use,
                $"`{name}` holds layers with weights and model `{_model}` uses it {occurrences.Count} times{places}: each use is new layers with weights of their own ({each}), not one layer applied twice",
                $"CnnDsl does not share weights; if separate layers are meant, say so with a block: `block {name} = ...` makes new layers at each use without this warning",
                new[] { (first.Use, $"the first use of `{name}`"), (entry.Key.Definition, $"`{name}` is defined here") });
        }
    }

    private static string Grouped(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
