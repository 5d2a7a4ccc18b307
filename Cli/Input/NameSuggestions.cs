using System;
using System.Collections.Generic;
using System.Linq;

namespace CnnDsl.Cli.Input;

/// <summary>"Did you mean" for a mistyped model name: the names at the smallest edit distance
/// (ignoring case), if that distance is small for the name's length. Several names can tie,
/// as VGG17 is one edit from VGG11, VGG13, VGG16 and VGG19; all of them are offered.</summary>
public static class NameSuggestions
{
    public static IReadOnlyList<string> Closest(string name, IEnumerable<string> candidates)
    {
        var limit = Math.Max(1, name.Length / 3);
        var scored = candidates
            .Distinct(StringComparer.Ordinal)
            .Select(c => (Name: c, Distance: Distance(name.ToUpperInvariant(), c.ToUpperInvariant())))
            .Where(p => p.Distance <= limit)
            .ToList();
        if (scored.Count == 0) return Array.Empty<string>();
        var best = scored.Min(p => p.Distance);
        return scored.Where(p => p.Distance == best).Select(p => p.Name).ToList();
    }

    /// <summary>"Did you mean 'A'?", "Did you mean 'A' or 'B'?", "Did you mean 'A', 'B' or 'C'?", or null.</summary>
    public static string? DidYouMean(string name, IEnumerable<string> candidates)
    {
        var closest = Closest(name, candidates).Select(n => $"'{n}'").ToList();
        if (closest.Count == 0) return null;
        var list = closest.Count == 1
            ? closest[0]
            : string.Join(", ", closest.Take(closest.Count - 1)) + " or " + closest[closest.Count - 1];
        return $"Did you mean {list}?";
    }

    /// <summary>Levenshtein distance: insertions, deletions and substitutions.</summary>
    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++) previous[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), substitution);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
