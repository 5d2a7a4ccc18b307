using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Xunit;

namespace CnnDsl.Cli.Tests;

/// <summary>What cnn prints does not depend on where the files live: every command gives the
/// same output for the same files in a short folder and in one more than 200 characters deep,
/// once each folder's name is replaced by the same placeholder. A line broken at the output's
/// width (a title with a long path) would move with the path's length and fail here.</summary>
public sealed class PathIndependenceTests : IDisposable
{
    private const string Placeholder = "<DIR>";
    private static readonly string[] Files = { "alexnet.cnn", "googlenet.cnn", "lenet5.cnn" };

    private readonly string _root = Path.Combine(Path.GetTempPath(), "cnn-paths-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly string _short;
    private readonly string _deep;

    public PathIndependenceTests()
    {
        _short = Path.Combine(_root, "s");
        var deep = Path.Combine(_root, "d");
        for (var i = 0; deep.Length < 220; i++) deep = Path.Combine(deep, $"a-folder-name-that-makes-the-path-long-{i}");
        _deep = deep;
        foreach (var folder in new[] { _short, _deep })
        {
            Directory.CreateDirectory(folder);
            foreach (var file in Files) File.Copy(CliRunner.Architecture(file), Path.Combine(folder, file));
        }
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temporary folder is harmless.
        }
    }

    /// <summary>Each command as a user would type it; FILE stands for a file of the folder, DIR
    /// for the folder.</summary>
    public static TheoryData<string> Commands() => new()
    {
        "summary FILE:alexnet.cnn",
        "summary FILE:alexnet.cnn --format markdown",
        "summary FILE:alexnet.cnn --format json",
        "summary FILE:alexnet.cnn --format csv",
        "summary FILE:googlenet.cnn --model GoogLeNetAux --depth 2",
        "summary FILE:alexnet.cnn --model AlexNetPaperUngrouped --batch 1000000 --count all --dtype float16",
        "list DIR",
        "list DIR --format markdown",
        "list DIR --format json",
        "list DIR --format csv",
        "check DIR",
        "graph FILE:lenet5.cnn --model LeNet5",
        "emit FILE:lenet5.cnn --model LeNet5",
        "verify FILE:lenet5.cnn --model LeNet5",
        "summary FILE:missing.cnn",
        "summary FILE:alexnet.cnn --model AlexNett",
    };

    [Theory]
    [MemberData(nameof(Commands))]
    public void Output_is_the_same_from_a_short_and_a_deep_folder(string command)
    {
        Assert.True(_deep.Length > 200, _deep);
        var near = Run(command, _short);
        var far = Run(command, _deep);

        Assert.Equal(near.ExitCode, far.ExitCode);
        Assert.Equal(near.Out, far.Out);
        Assert.Equal(near.Error, far.Error);
        // The deep path is there whole wherever a path is printed, never broken across lines.
        Assert.DoesNotContain(_deep.Substring(0, 60), (far.Out + far.Error).Replace(_deep, ""));
    }

    private static CliRun Run(string command, string folder)
    {
        var args = command.Split(' ')
            .Select(a => a == "DIR" ? folder : a.StartsWith("FILE:", StringComparison.Ordinal) ? Path.Combine(folder, a[5..]) : a)
            .ToArray();
        var run = CliRunner.Run(args);
        return new CliRun(run.ExitCode, Normalize(run.Out, folder), Normalize(run.Error, folder));
    }

    private static string Normalize(string text, string folder) => text.Replace(folder, Placeholder, StringComparison.Ordinal);
}
