using System;
using System.IO;
using CnnDsl.Dsl;
using CnnDsl.Dsl.Imports;
using CnnDsl.Dsl.Text;

namespace CnnDsl.Cli.Input;

/// <summary>A .cnn file read and checked, or why it could not be read.</summary>
public sealed record LoadedSource(string Path, CompilationResult? Result, string? Error)
{
    public bool Loaded => Result is not null;
}

/// <summary>Reads a .cnn file and runs the checker on it. Never throws for a bad path: a missing
/// or unreadable file becomes a message. A relative path that names nothing here but names an
/// architecture shipped with the tool reads the tool's copy (<see cref="ShippedArchitectures"/>).</summary>
public static class SourceLoader
{
    /// <summary>The most bytes read of a file: every character the compiler reads (up to
    /// <see cref="CnnCompiler.MaxFileLength"/>) takes at most 4 bytes of UTF-8.</summary>
    public const int ReadLimit = 4 * CnnCompiler.MaxFileLength;

    public static LoadedSource Load(string path)
    {
        path = ShippedArchitectures.Resolve(path);
        if (Directory.Exists(path)) return Failed(path, $"'{path}' is a directory, not a .cnn file");
        if (!File.Exists(path)) return Failed(path, $"file not found: '{path}'");

        byte[] bytes;
        try
        {
            // Bytes, not text: the compiler decodes UTF-8 strictly and reports bytes that are
            // not UTF-8 where they are, instead of replacing them silently. Only as many as the
            // compiler could ever read, and one more so that it says the file is too long:
            // `cnn check /dev/zero` reads 1 MiB, not until memory runs out.
            bytes = BoundedFile.Read(path, ReadLimit, out var truncated);
            if (truncated) bytes = Append(bytes, 0);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            return Failed(path, $"cannot read '{path}': {e.Message}");
        }

        // Imports are read from the disk, relative to the file that imports.
        return new LoadedSource(path, CnnCompiler.Compile(path, bytes, FileImportResolver.Disk), null);
    }

    private static LoadedSource Failed(string path, string message) => new(path, null, message);

    private static byte[] Append(byte[] bytes, byte value)
    {
        var longer = new byte[bytes.Length + 1];
        bytes.CopyTo(longer, 0);
        longer[bytes.Length] = value;
        return longer;
    }
}
