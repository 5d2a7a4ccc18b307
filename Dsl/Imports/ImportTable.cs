using System;
using System.Collections.Generic;
using System.Linq;

namespace CnnDsl.Dsl.Imports;

/// <summary>Resolves imports among a fixed set of files, never the disk: the generator's (a
/// project's .cnn additional files), or a test's. A path is found as written, or, failing that,
/// ignoring case where that finds one file (Windows).</summary>
public sealed class ImportTable : IImportResolver
{
    private readonly Dictionary<string, (string Path, string Text)> _exact = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<(string Path, string Text)>> _folded = new(StringComparer.OrdinalIgnoreCase);

    public ImportTable(IEnumerable<(string Path, string Text)> files)
    {
        foreach (var file in files)
        {
            var key = ImportPaths.Normalize(file.Path);
            if (_exact.ContainsKey(key)) continue;
            _exact.Add(key, file);
            if (!_folded.TryGetValue(key, out var same)) _folded.Add(key, same = new List<(string, string)>());
            same.Add(file);
        }
    }

    /// <summary>The path of the file an import names, or null; for the generator, which needs
    /// each file's imports before it compiles anything.</summary>
    public string? Find(string importingPath, string importPath)
    {
        var key = ImportPaths.Resolve(importingPath, importPath);
        if (_exact.TryGetValue(key, out var file)) return file.Path;
        return _folded.TryGetValue(key, out var same) && same.Count == 1 ? same[0].Path : null;
    }

    public ImportResolution Resolve(string importingPath, string importPath)
    {
        var path = Find(importingPath, importPath);
        if (path is not null) return ImportResolution.Of(path, _exact[ImportPaths.Normalize(path)].Text);
        return ImportResolution.Missing(
            $"cannot import `{importPath}`: no .cnn file of this project is at {ImportPaths.Resolve(importingPath, importPath)}",
            "the generator reads the project's AdditionalFiles only, never the disk (the package's props adds **/*.cnn); the path is relative to the folder of the file that imports it");
    }

    /// <summary>Every file of the table.</summary>
    public IEnumerable<string> Paths => _exact.Values.Select(f => f.Path);
}
