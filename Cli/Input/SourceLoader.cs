using System;
using System.IO;
using CnnDsl.Dsl;
using CnnDsl.Dsl.Imports;

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
    public static LoadedSource Load(string path)
    {
        path = ShippedArchitectures.Resolve(path);
        if (Directory.Exists(path)) return Failed(path, $"'{path}' is a directory, not a .cnn file");
        if (!File.Exists(path)) return Failed(path, $"file not found: '{path}'");

        byte[] bytes;
        try
        {
            // Bytes, not text: the compiler decodes UTF-8 strictly and reports bytes that are
            // not UTF-8 where they are, instead of replacing them silently.
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            return Failed(path, $"cannot read '{path}': {e.Message}");
        }

        // Imports are read from the disk, relative to the file that imports.
        return new LoadedSource(path, CnnCompiler.Compile(path, bytes, FileImportResolver.Disk), null);
    }

    private static LoadedSource Failed(string path, string message) => new(path, null, message);
}
