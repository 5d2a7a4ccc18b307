using System;
using System.Diagnostics;
using System.IO;
using Xunit;

namespace CnnDsl.Conformance.Tests;

/// <summary>Runs tests/conformance/make_references.py with Debian's PyTorch (/usr/bin/python3) to
/// make one model's reference files, in a temporary folder that is removed with the fixture.
/// Without torchvision the tests fail, never skip, and say what to install (CI installs it in
/// .ci/run).</summary>
public sealed class TorchvisionReferences : IDisposable
{
    /// <summary>Debian's interpreter: the python3 first on PATH may be another one without torch.</summary>
    public const string Python = "/usr/bin/python3";

    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(10);
    private readonly string root = Path.Combine(Path.GetTempPath(), $"cnndsl-conformance-{Environment.ProcessId}-{Guid.NewGuid():N}");
    private string? unavailable;
    private bool checkedAvailability;

    /// <summary>Makes the files of one model of the table; returns the folder that holds
    /// weights.pth, io.pth and meta.json.</summary>
    public string Make(string model)
    {
        EnsureAvailable();
        var (exit, output, error, seconds) = Run($"\"{Path.Combine(ConformanceTable.Folder, "make_references.py")}\" --out \"{root}\" --model {model}");
        Assert.True(exit == 0, $"make_references.py failed for {model} (exit {exit}, {seconds:F0} s):\n{error}\n{output}");
        return Path.Combine(root, model);
    }

    /// <summary>Removes one model's files once its test is done (VGG's are over 500 MB).</summary>
    public static void Remove(string folder)
    {
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
    }

    public void Dispose()
    {
        if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
    }

    private void EnsureAvailable()
    {
        if (!checkedAvailability)
        {
            checkedAvailability = true;
            if (!File.Exists(Python))
            {
                unavailable = $"{Python} does not exist";
            }
            else
            {
                var (exit, _, error, _) = Run("-c \"import torch, torchvision\"");
                if (exit != 0) unavailable = $"{Python} cannot import torchvision: {error.Trim()}";
            }
        }

        if (unavailable is not null)
        {
            var ci = Environment.GetEnvironmentVariable("CI") == "true" ? " CI's .ci/run installs it; this run did not get it." : "";
            Assert.Fail($"torchvision is the oracle of these tests and is missing: {unavailable}. "
                + $"Install Debian's PyTorch and torchvision: `apt-get update && apt-get install -y python3-torchvision` (about 250 MB).{ci}");
        }
    }

    private (int Exit, string Output, string Error, double Seconds) Run(string arguments)
    {
        var start = new ProcessStartInfo(Python, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["OMP_NUM_THREADS"] = "1";
        var watch = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(Limit))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            return (-1, output.Result, $"timed out after {Limit.TotalMinutes} minutes\n" + error.Result, watch.Elapsed.TotalSeconds);
        }

        return (process.ExitCode, output.Result, error.Result, watch.Elapsed.TotalSeconds);
    }
}
