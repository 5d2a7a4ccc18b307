using System;
using System.Collections.Generic;
using System.Linq;

namespace CnnDsl.Dsl.Semantics;

/// <summary>"Did you mean" for misspelled names: the closest candidate within a small edit distance.</summary>
public static class Suggestions
{
    public static string? Closest(string name, IEnumerable<string> candidates)
    {
        var limit = Math.Max(1, name.Length / 3);
        var distinct = candidates.Distinct().ToList();
        return distinct
            .Select(c => (Candidate: c, Distance: Distance(name.ToLowerInvariant(), c.ToLowerInvariant())))
            .Where(p => p.Distance <= limit)
            .OrderBy(p => p.Distance)
            .ThenBy(p => p.Candidate, StringComparer.Ordinal)
            .Select(p => p.Candidate)
            .FirstOrDefault()
            ?? ClosestByPrefix(name, distinct);
    }

    /// <summary>PyTorch's longer names: `padding` for `pad`, `kernel_size` for `kernel`,
    /// `conv2d` for `conv`. One name must start with the other, which is at least 3 letters.</summary>
    private static string? ClosestByPrefix(string name, IEnumerable<string> candidates) =>
        candidates
            .Where(c => Math.Min(c.Length, name.Length) >= 3
                && (c.StartsWith(name, StringComparison.OrdinalIgnoreCase) || name.StartsWith(c, StringComparison.OrdinalIgnoreCase)))
            .OrderBy(c => Math.Abs(c.Length - name.Length))
            .ThenBy(c => c, StringComparer.Ordinal)
            .FirstOrDefault();

    /// <summary>Every candidate at the smallest edit distance (ignoring case), if that distance is
    /// small for the name's length, in the candidates' order: VGG17 is one edit from VGG11,
    /// VGG13, VGG16 and VGG19 alike, and a tool offers them all.</summary>
    public static IReadOnlyList<string> AllClosest(string name, IEnumerable<string> candidates)
    {
        var limit = Math.Max(1, name.Length / 3);
        var scored = candidates
            .Distinct(StringComparer.Ordinal)
            .Select(c => (Candidate: c, Distance: Distance(name.ToLowerInvariant(), c.ToLowerInvariant())))
            .Where(p => p.Distance <= limit)
            .ToList();
        if (scored.Count == 0) return Array.Empty<string>();
        var best = scored.Min(p => p.Distance);
        return scored.Where(p => p.Distance == best).Select(p => p.Candidate).ToList();
    }

    public static string? DidYouMean(string name, IEnumerable<string> candidates)
    {
        var closest = Closest(name, candidates);
        return closest is null ? null : $"did you mean `{closest}`?";
    }

    /// <summary>Edit distance where swapping two neighbouring letters counts as one edit
    /// (optimal string alignment), so `rleu` is one edit from `relu`.</summary>
    private static int Distance(string a, string b)
    {
        if (Math.Abs(a.Length - b.Length) > 8) return int.MaxValue;
        var beforePrevious = new int[b.Length + 1];
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++) previous[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    current[j] = Math.Min(current[j], beforePrevious[j - 2] + 1);
                }
            }

            (beforePrevious, previous, current) = (previous, current, beforePrevious);
        }

        return previous[b.Length];
    }
}
