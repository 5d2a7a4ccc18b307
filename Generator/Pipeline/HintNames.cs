using System;
using System.Collections.Generic;
using System.Linq;
using CnnDsl.Generator.Emit;

namespace CnnDsl.Generator.Pipeline;

/// <summary>Makes the file names of a compilation's generated classes unique. Each .cnn file
/// names its classes <c>net.Net.g.cs</c> (file, model); where two files of the project give the
/// same name (<c>a/net.cnn</c> and <c>b/net.cnn</c>), each takes as many of its folders as tell
/// them apart (<c>a.net.Net.g.cs</c>, <c>b.net.Net.g.cs</c>), and a number when even the whole
/// paths agree but for case. Roslyn compares hint names ignoring case, and so does this. The
/// result depends on the paths relative to one another only, so it is the same on every machine.</summary>
public static class HintNames
{
    /// <summary>The hint name of every source, in the order given: the files' paths, each with
    /// the hint names its own generation chose.</summary>
    public static IReadOnlyList<string> Assign(IReadOnlyList<(string Path, string HintName)> sources)
    {
        var folders = sources.Select(s => Folders(s.Path)).ToList();
        var depth = new int[sources.Count];
        string Name(int i) => string.Concat(folders[i].Take(depth[i]).Reverse().Select(f => Identifiers.HintSafe(f) + ".")) + sources[i].HintName;

        // Lengthen the clashing names by one folder at a time until they differ or run out of folders.
        while (true)
        {
            var clashing = Enumerable.Range(0, sources.Count)
                .GroupBy(Name, StringComparer.OrdinalIgnoreCase)
                .Where(g => g.Count() > 1)
                .SelectMany(g => g)
                .Where(i => depth[i] < folders[i].Count)
                .ToList();
            if (clashing.Count == 0) break;
            foreach (var i in clashing) depth[i]++;
        }

        var names = new List<string>(sources.Count);
        var taken = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var order = Enumerable.Range(0, sources.Count).OrderBy(i => sources[i].Path, StringComparer.Ordinal).ThenBy(i => i).ToList();
        var assigned = new string[sources.Count];
        foreach (var i in order)
        {
            var name = Name(i);
            var stem = name.Substring(0, name.Length - ".g.cs".Length);
            for (var n = 2; !taken.Add(name); n++) name = stem + "_" + n.ToString(System.Globalization.CultureInfo.InvariantCulture) + ".g.cs";
            assigned[i] = name;
        }

        names.AddRange(assigned);
        return names;
    }

    /// <summary>The folders a path is in, nearest first.</summary>
    private static IReadOnlyList<string> Folders(string path) =>
        Enumerable.Reverse(path.Split('/', '\\')).Skip(1).Where(f => f.Length > 0 && f != ":").ToList();
}
