using System;
using System.IO;
using CnnDsl.Cli;
using CnnDsl.Cli.Rendering;

namespace CnnDsl.Cli.Tests;

/// <summary>The result of one in-process run of the tool.</summary>
public sealed record CliRun(int ExitCode, string Out, string Error);

/// <summary>Runs <c>cnn</c> in-process with string writers, as a redirected process would run
/// (no colour, width 120). Paths under the test output folder are printed relative to it, so
/// outputs are the same on every machine.</summary>
public static class CliRunner
{
    public static string BaseDirectory { get; } =
        AppContext.BaseDirectory.EndsWith(Path.DirectorySeparatorChar)
            ? AppContext.BaseDirectory
            : AppContext.BaseDirectory + Path.DirectorySeparatorChar;

    /// <summary>The shipped architecture file, e.g. <c>lenet5.cnn</c>, copied beside the tests.</summary>
    public static string Architecture(string fileName) => Path.Combine(BaseDirectory, "architectures", fileName);

    public static CliRun Run(params string[] args)
    {
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };
        var exit = CliApp.Run(args, stdout, stderr);
        return new CliRun(exit, Relative(stdout.ToString()), Relative(stderr.ToString()));
    }

    /// <summary>Runs as on a terminal of the given width, without colour.</summary>
    public static CliRun RunOnTerminal(int width, params string[] args)
    {
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };
        var exit = CliApp.Run(args, new CliContext(stdout, stderr, new OutputSettings(true, false, width), ErrorColor: false));
        return new CliRun(exit, Relative(stdout.ToString()), Relative(stderr.ToString()));
    }

    /// <summary>The value of a line of a text summary's footer (<c>Total parameters   60,000</c>):
    /// what follows the label and its padding. Fails when the label is not there.</summary>
    public static string Footer(string output, string label)
    {
        var match = System.Text.RegularExpressions.Regex.Match(
            output, "^" + System.Text.RegularExpressions.Regex.Escape(label) + " {3,}(\\S.*)$", System.Text.RegularExpressions.RegexOptions.Multiline);
        Xunit.Assert.True(match.Success, $"no footer line '{label}' in:\n{output}");
        return match.Groups[1].Value;
    }

    private static string Relative(string text) => text.Replace(BaseDirectory, "", StringComparison.Ordinal);
}
