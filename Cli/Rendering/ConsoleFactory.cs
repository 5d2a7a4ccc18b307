using System.IO;
using Spectre.Console;

namespace CnnDsl.Cli.Rendering;

/// <summary>Creates the Spectre.Console console a renderer draws on, writing to a given writer.</summary>
public static class ConsoleFactory
{
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
}
