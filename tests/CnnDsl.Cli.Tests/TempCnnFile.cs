using System;
using System.IO;

namespace CnnDsl.Cli.Tests;

/// <summary>A .cnn file written to a fresh temporary folder, deleted with it on dispose.</summary>
public sealed class TempCnnFile : IDisposable
{
    private readonly string _directory;

    public TempCnnFile(string text, string name = "model.cnn")
    {
        _directory = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "cnn-cli-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory);
        Path = System.IO.Path.Combine(_directory, name);
        Text = text;
        File.WriteAllText(Path, text);
    }

    public string Path { get; }
    public string Text { get; }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temporary folder is harmless.
        }
    }
}
