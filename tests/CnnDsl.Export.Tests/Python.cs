using System;
using System.Diagnostics;
using System.IO;
using Xunit;

namespace CnnDsl.Export.Tests;

/// <summary>Debian's interpreter, /usr/bin/python3 (the python3 first on PATH may be another one
/// without torch or onnx), running a script of python/.</summary>
internal static class Python
{
    public const string Interpreter = "/usr/bin/python3";

    /// <summary>Runs python/<paramref name="script"/> and returns what it printed; fails the test,
    /// with what it said, when it exits with an error.</summary>
    public static string Run(string script, params string[] arguments)
    {
        Assert.True(File.Exists(Interpreter), $"{Interpreter} is missing: install Debian's python3-torchvision and python3-onnx (.ci/run does).");
        var start = new ProcessStartInfo(Interpreter)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "python", script));
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.Environment["OMP_NUM_THREADS"] = "1";
        start.Environment["PYTHONDONTWRITEBYTECODE"] = "1";
        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{script} exited with {process.ExitCode}:\n{output}\n{errors.Result}");
        return output;
    }

    /// <summary>A fresh folder under the temporary directory, removed by the caller.</summary>
    public static DirectoryInfo TemporaryFolder() => Directory.CreateTempSubdirectory("cnndsl-export-");
}
