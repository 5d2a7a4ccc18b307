using System.IO;
using Spectre.Console;

namespace CnnDsl.Cli.Rendering;

/// <summary>Creates the Spectre.Console console a renderer draws on, writing to a given writer,
/// and writes lines of text on it that never wrap.</summary>
public static class ConsoleFactory
{
    /// <summary>The width a free line of text is laid out in: wider than any line cnn writes, so
    /// Spectre never breaks one (a title with a long path, a note, a footer value).</summary>
    private const int UnwrappedWidth = 1 << 20;

    public static IAnsiConsole Create(TextWriter writer, OutputSettings settings)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = settings.UseColor ? AnsiSupport.Yes : AnsiSupport.No,
            ColorSystem = settings.UseColor ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });
        console.Profile.Width = settings.Width;
        console.Profile.Capabilities.Unicode = true;
        return console;
    }

    /// <summary>One line of markup as it is. The console's width bounds its tables only: a line of
    /// text broken at that width would cut a path or a name in two, and the break would move
    /// with the length of the path the repository lives at. Every free line goes through here.</summary>
    public static void Line(IAnsiConsole console, string markup)
    {
        var width = console.Profile.Width;
        console.Profile.Width = UnwrappedWidth;
        try
        {
            console.MarkupLine(markup);
        }
        finally
        {
            console.Profile.Width = width;
        }
    }
}
