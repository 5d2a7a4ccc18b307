using System;
using System.Collections.Generic;
using System.Linq;
using CnnDsl.Dsl.Semantics;

namespace CnnDsl.Cli.Input;

/// <summary>"Did you mean" for a mistyped model name: the names at the smallest edit distance
/// (ignoring case), if that distance is small for the name's length. Several names can tie,
/// as VGG17 is one edit from VGG11, VGG13, VGG16 and VGG19; all of them are offered.</summary>
public static class NameSuggestions
{
    /// <summary>The same measure the language uses for names (the Dsl's <see cref="Suggestions"/>):
    /// one suggestion engine for the whole tool.</summary>
    public static IReadOnlyList<string> Closest(string name, IEnumerable<string> candidates) =>
        Suggestions.AllClosest(name, candidates);

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
}
