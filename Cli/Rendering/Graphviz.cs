using System;
using System.ComponentModel;
using System.Diagnostics;
using System.IO;
using System.Linq;

namespace CnnDsl.Cli.Rendering;

/// <summary>Finds and runs Graphviz's <c>dot</c>. The <c>CNN_DOT</c> environment variable names
/// the program to use instead of the one on <c>PATH</c> (a path that does not exist means
/// "Graphviz is not installed").</summary>
public static class Graphviz
{
    public const string EnvironmentVariable = "CNN_DOT";

    /// <summary>The <c>dot</c> program, or null when Graphviz is not installed.</summary>
    public static string? Find()
    {
        var configured = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrEmpty(configured)) return File.Exists(configured) ? configured : null;
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        var names = OperatingSystem.IsWindows() ? new[] { "dot.exe" } : new[] { "dot" };
        return path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .SelectMany(dir => names.Select(name => Path.Combine(dir, name)))
            .FirstOrDefault(File.Exists);
    }

    /// <summary>Renders DOT text to <paramref name="outputPath"/> in a format <c>dot</c> knows
    /// (<c>svg</c>, <c>png</c>): an error when it failed, and whatever it wrote on its standard
    /// error either way (a warning that the image was scaled down, for one).</summary>
    public static GraphvizResult Render(string dot, string dotText, string format, string outputPath)
    {
        var start = new ProcessStartInfo(dot)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-T" + format);
        start.ArgumentList.Add("-o");
        start.ArgumentList.Add(outputPath);
        try
        {
            using var process = Process.Start(start)!;
            var error = process.StandardError.ReadToEndAsync();
            process.StandardOutput.ReadToEndAsync();
            process.StandardInput.Write(dotText);
            process.StandardInput.Close();
            process.WaitForExit();
            var said = error.Result.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
            return process.ExitCode == 0
                ? new GraphvizResult(null, said)
                : new GraphvizResult($"dot exited with {process.ExitCode}: {string.Join(" ", said)}", System.Array.Empty<string>());
        }
        catch (Exception e) when (e is Win32Exception or IOException or InvalidOperationException)
        {
            return new GraphvizResult($"could not run '{dot}': {e.Message}", System.Array.Empty<string>());
        }
    }
}

/// <summary>How a Graphviz run went: an error message when it failed, and what it said on its
/// standard error when it did not.</summary>
public sealed record GraphvizResult(string? Error, System.Collections.Generic.IReadOnlyList<string> Warnings);
