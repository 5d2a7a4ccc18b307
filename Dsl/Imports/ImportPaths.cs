using System.Collections.Generic;

namespace CnnDsl.Dsl.Imports;

/// <summary>Path arithmetic for imports, on strings alone (no disk): an import's path is relative
/// to the folder of the file that writes it; '/' and '\' both separate folders; '.' and '..' are
/// resolved. An absolute path (`/x`, `C:\x`) stays absolute.</summary>
public static class ImportPaths
{
    /// <summary>The path <paramref name="importPath"/> names when written in the file at
    /// <paramref name="importingPath"/>, normalised.</summary>
    public static string Resolve(string importingPath, string importPath)
    {
        if (IsRooted(importPath)) return Normalize(importPath);
        var folder = Normalize(importingPath);
        var slash = folder.LastIndexOf('/');
        return Normalize(slash < 0 ? importPath : folder.Substring(0, slash + 1) + importPath);
    }

    /// <summary>'/' as the only separator, no '.' or empty segments, '..' resolved where it can be.</summary>
    public static string Normalize(string path)
    {
        var text = path.Replace('\\', '/');
        var root = "";
        if (text.StartsWith("//", System.StringComparison.Ordinal)) root = "//";
        else if (text.StartsWith("/", System.StringComparison.Ordinal)) root = "/";
        else if (text.Length >= 2 && text[1] == ':' && char.IsLetter(text[0])) root = text.Length >= 3 && text[2] == '/' ? text.Substring(0, 3) : text.Substring(0, 2);
        var segments = new List<string>();
        foreach (var segment in text.Substring(root.Length).Split('/'))
        {
            if (segment.Length == 0 || segment == ".") continue;
            if (segment == ".." && segments.Count > 0 && segments[segments.Count - 1] != "..")
            {
                segments.RemoveAt(segments.Count - 1);
                continue;
            }

            if (segment == ".." && root.Length > 0) continue; // above the root is the root
            segments.Add(segment);
        }

        return root + string.Join("/", segments);
    }

    private static bool IsRooted(string path) =>
        path.StartsWith("/", System.StringComparison.Ordinal) || path.StartsWith("\\", System.StringComparison.Ordinal)
        || (path.Length >= 2 && path[1] == ':' && char.IsLetter(path[0]));
}
