using System;
using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using System.Linq;
using CnnDsl.Cli.Input;
using CnnDsl.Cli.Rendering;
using CnnDsl.Dsl.Diagnostics;

namespace CnnDsl.Cli.Commands;

/// <summary><c>cnn check FILE...</c>: checks .cnn files (a directory means every .cnn file in it)
/// and prints every diagnostic as compilers do.</summary>
public static class CheckCommand
{
    public static Command Create(CliContext context)
    {
        var files = new Argument<string[]>("FILE")
        {
            Description = "The .cnn files to check; a directory stands for every .cnn file under it.",
            Arity = ArgumentArity.OneOrMore,
        };
        var command = new Command("check", "Check .cnn files and print every error and warning, with its line and column.")
        {
            files,
        };
        command.SetAction(parse => Run(context, parse.GetValue(files) ?? Array.Empty<string>()));
        return command;
    }

    public static int Run(CliContext context, IReadOnlyList<string> arguments)
    {
        var printer = new DiagnosticPrinter(context.Out, context.OutSettings.UseColor);
        var paths = Expand(arguments);
        var exit = ExitCodes.Success;
        int errors = 0, warnings = 0, models = 0, broken = 0, checkedFiles = 0;

        foreach (var path in paths)
        {
            var source = SourceLoader.Load(path);
            if (!source.Loaded)
            {
                context.ErrorPrinter.ToolError(source.Error!);
                exit = ExitCodes.FileError;
                continue;
            }

            var result = source.Result!;
            checkedFiles++;
            models += Math.Max(result.DeclaredModels, result.Models.Count);
            broken += Math.Max(0, result.DeclaredModels - result.Models.Count);
            printer.Print(result.Diagnostics);
            errors += result.Diagnostics.Count(d => d.Severity == Severity.Error);
            warnings += result.Diagnostics.Count(d => d.Severity == Severity.Warning);
        }

        if (errors > 0 && exit == ExitCodes.Success) exit = ExitCodes.SourceErrors;
        if (checkedFiles > 0)
        {
            context.Out.WriteLine(
                $"Checked {Plural(checkedFiles, "file")} ({Plural(models, "model")}{Broken(models, broken)}): {Plural(errors, "error")}, {Plural(warnings, "warning")}.");
        }

        return exit;
    }

    /// <summary>Files as given, in order; a directory becomes its .cnn files, sorted.</summary>
    public static IEnumerable<string> Expand(IEnumerable<string> arguments)
    {
        foreach (var given in arguments)
        {
            // `architectures` names the tool's own copy where there is no such folder here.
            var argument = ShippedArchitectures.Resolve(given);
            if (!Directory.Exists(argument))
            {
                yield return given;
                continue;
            }

            var found = Directory.GetFiles(argument, "*.cnn", SearchOption.AllDirectories)
                .OrderBy(f => f, StringComparer.Ordinal)
                .ToList();
            if (found.Count == 0) yield return argument; // reported as "is a directory"
            foreach (var file in found) yield return file;
        }
    }

    /// <summary>", 2 with errors", ", with errors" when every one has them, or nothing.</summary>
    private static string Broken(int models, int broken) =>
        broken == 0 ? "" : broken == models ? (models == 1 ? ", with errors" : ", all with errors") : $", {Numbers.Grouped(broken)} with errors";

    private static string Plural(int count, string noun) =>
        $"{Numbers.Grouped(count)} {noun}{(count == 1 ? "" : "s")}";
}
