using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using CnnDsl.Dsl.Imports;

namespace CnnDsl.Generator.Pipeline;

/// <summary>What the generation of one .cnn file reads: the file, and every file it imports,
/// directly or not, found among the project's additional files (never the disk). Compared by
/// value: an edit to an imported file changes its importers' units, and only theirs.</summary>
public sealed record CnnUnit(CnnFile Root, EquatableArray<CnnFile> Imports)
{
    /// <summary>The unit of <paramref name="root"/> among <paramref name="all"/> of the project's
    /// .cnn files. An import that names no file is left out; compiling the unit reports it.</summary>
    public static CnnUnit Of(CnnFile root, ImmutableArray<CnnFile> all)
    {
        if (root.Imports.Count == 0) return new CnnUnit(root, default);
        var table = new ImportTable(all.Select(f => (f.Path, f.Text)));
        var byPath = new Dictionary<string, CnnFile>(System.StringComparer.Ordinal);
        foreach (var file in all) byPath[file.Path] = file;

        var found = new List<CnnFile>();
        var seen = new HashSet<string>(System.StringComparer.Ordinal) { root.Path };
        var pending = new Queue<CnnFile>();
        pending.Enqueue(root);
        while (pending.Count > 0)
        {
            var file = pending.Dequeue();
            foreach (var import in file.Imports)
            {
                var path = table.Find(file.Path, import);
                if (path is null || !seen.Add(path) || !byPath.TryGetValue(path, out var target)) continue;
                found.Add(target);
                pending.Enqueue(target);
            }
        }

        return new CnnUnit(root, new EquatableArray<CnnFile>(found.OrderBy(f => f.Path, System.StringComparer.Ordinal)));
    }

    /// <summary>The imported files, as the compiler's resolver reads them.</summary>
    public ImportTable Table() => new(new[] { (Root.Path, Root.Text) }.Concat(Imports.Select(f => (f.Path, f.Text))));
}
