using System;
using System.Diagnostics;
using System.IO;
using Xunit;

namespace CnnDsl.Models.Tests;

/// <summary>Runs tests/conformance/make_references.py (copied beside the tests) with Debian's
/// PyTorch, /usr/bin/python3, to make one model's torchvision files (weights.pth, io.pth: seeded
/// weights with non-trivial batch norms, an input, torchvision's output in float32 and float64) in
/// a temporary folder removed with the fixture. Without torchvision the tests fail, never skip,
/// and say what to install (CI's .ci/run installs it).</summary>
public sealed class TorchvisionOracle : IDisposable
{
    /// <summary>Debian's interpreter: the python3 first on PATH may be another one without torch.</summary>
    public const string Python = "/usr/bin/python3";

    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(10);
    private readonly string root = Path.Combine(Path.GetTempPath(), $"cnndsl-reference-oracle-{Environment.ProcessId}-{Guid.NewGuid():N}");

    /// <summary>Makes the files of one model of tests/conformance/models.json; returns the folder
    /// that holds weights.pth, io.pth and meta.json.</summary>
    public string Make(string model)
    {
        Assert.True(File.Exists(Python), $"{Python} does not exist: torchvision is the oracle of these tests. "
            + "Install Debian's PyTorch and torchvision: `apt-get update && apt-get install -y python3-torchvision`.");
        var script = Path.Combine(AppContext.BaseDirectory, "conformance", "make_references.py");
        var start = new ProcessStartInfo(Python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { script, "--out", root, "--model", model }) start.ArgumentList.Add(argument);
        start.Environment["OMP_NUM_THREADS"] = "1";

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(Limit))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            Assert.Fail($"make_references.py --model {model} did not finish within {Limit.TotalMinutes} minutes.");
        }

        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"make_references.py --model {model} failed (exit {process.ExitCode}); "
            + $"it needs Debian's python3-torchvision (`apt-get install -y python3-torchvision`):\n{error.Result}\n{output.Result}");
        return Path.Combine(root, model);
    }

    public void Dispose()
    {
        if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
    }
}
