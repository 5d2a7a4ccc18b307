using System;
using System.IO;
using CnnDsl.Dsl.Text;

namespace CnnDsl.Dsl.Imports;

/// <summary>Resolves imports on the disk, for the <c>cnn</c> command and the interpreter: the path
/// is relative to the folder of the importing file, and the file is read as UTF-8 (a byte that is
/// not is read as U+FFFD, which the imported file's check reports). Never used by the generator.</summary>
public sealed class FileImportResolver : IImportResolver
{
    private readonly Func<string, byte[]?> _read;

    public FileImportResolver() : this(ReadFile)
    {
    }

    /// <summary>A resolver over another store of files: <paramref name="read"/> gives a path's
    /// bytes, or null where there is no file.</summary>
    public FileImportResolver(Func<string, byte[]?> read) => _read = read;

    public static FileImportResolver Disk { get; } = new();

    public ImportResolution Resolve(string importingPath, string importPath)
    {
        var path = ImportPaths.Resolve(importingPath, importPath);
        byte[]? bytes;
        try
        {
            bytes = _read(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return ImportResolution.Missing($"cannot import `{importPath}`: {path} cannot be read ({e.Message})", "check that the file can be read");
        }

        if (bytes is null)
        {
            return ImportResolution.Missing($"cannot import `{importPath}`: there is no file {path}",
                "the path is relative to the folder of the file that imports it");
        }

        if (bytes.Length > 4L * CnnCompiler.MaxFileLength)
        {
            return ImportResolution.Missing($"cannot import `{importPath}`: {path} is longer than the {CnnCompiler.MaxFileLength.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)} characters CnnDsl reads",
                "split it into several .cnn files");
        }

        return ImportResolution.Of(path, Utf8Text.Decode(bytes).Text);
    }

    private static byte[]? ReadFile(string path) => File.Exists(path) ? File.ReadAllBytes(path) : null;
}
