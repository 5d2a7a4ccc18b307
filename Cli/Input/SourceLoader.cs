using System;
using System.IO;
using CnnDsl.Dsl;

namespace CnnDsl.Cli.Input;

/// <summary>A .cnn file read and checked, or why it could not be read.</summary>
public sealed record LoadedSource(string Path, CompilationResult? Result, string? Error)
{
    public bool Loaded => Result is not null;
}

/// <summary>Reads a .cnn file and runs the checker on it. Never throws for a bad path: a missing
/// or unreadable file becomes a message.</summary>
public static class SourceLoader
{
    public static LoadedSource Load(string path)
    {
        if (Directory.Exists(path)) return Failed(path, $"'{path}' is a directory, not a .cnn file");
        if (!File.Exists(path)) return Failed(path, $"file not found: '{path}'");

        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            return Failed(path, $"cannot read '{path}': {e.Message}");
        }

        return new LoadedSource(path, CnnCompiler.Compile(path, text), null);
    }

    private static LoadedSource Failed(string path, string message) => new(path, null, message);
}
