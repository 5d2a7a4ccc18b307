using System;

namespace CnnDsl.Cli.Rendering;

/// <summary>What the output stream is: a terminal (colours, its real width) or a file, a pipe
/// or a test's writer (no colour, a fixed width so the text is the same everywhere).</summary>
public sealed record OutputSettings(bool IsTerminal, bool UseColor, int Width)
{
    /// <summary>The width used whenever the output is not a terminal.</summary>
    public const int StableWidth = 120;

    /// <summary>Plain text at the stable width: files, pipes, tests.</summary>
    public static OutputSettings Plain { get; } = new(false, false, StableWidth);

    /// <summary>Settings for the process's own standard output, honouring NO_COLOR.</summary>
    public static OutputSettings ForConsole()
    {
        if (Console.IsOutputRedirected) return Plain;
        var noColor = !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"));
        int width;
        try
        {
            width = Console.WindowWidth;
        }
        catch (System.IO.IOException)
        {
            width = 0;
        }

        return new OutputSettings(true, !noColor, width > 0 ? width : StableWidth);
    }
}
