using System;
using System.CommandLine;
using System.IO;
using System.Linq;
using System.Threading;
using CnnDsl.Cli.Input;
using CnnDsl.Generator.Pipeline;

namespace CnnDsl.Cli.Commands;

/// <summary><c>cnn emit FILE [--model NAME] [--namespace NS] [--output DIR]</c>: the C# the source
/// generator produces for a file's models, byte for byte, by calling the generator's own pipeline.</summary>
public static class EmitCommand
{
    public static Command Create(CliContext context)
    {
        var file = new Argument<string>("FILE") { Description = "The .cnn file whose generated code to print." };
        var model = CommonOptions.Model("Print only this model's class (default: every model's, one after another).");
        var ns = new Option<string?>("--namespace", "-n")
        {
            Description = "The namespace when the file declares none, as the CnnDslNamespace or RootNamespace MSBuild property would give it. Default: "
                + FileGeneration.DefaultNamespace + ".",
            HelpName = "NS",
            CustomParser = ParseNamespace,
        };
        var output = new Option<string?>("--output", "-o")
        {
            Description = "Write each class to DIR/<file>.<Model>.g.cs (the generator's file names) instead of standard output.",
            HelpName = "DIR",
        };
        var command = new Command("emit", "Print the C# class the source generator produces for each model.")
        {
            file, model, ns, output,
        };
        command.SetAction(parse => Run(context, parse.GetValue(file)!, parse.GetValue(model), parse.GetValue(ns), parse.GetValue(output)));
        return command;
    }

    /// <summary>A namespace C# accepts (keywords are escaped in the generated code), or a usage error.</summary>
    private static string? ParseNamespace(System.CommandLine.Parsing.ArgumentResult result)
    {
        var token = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
        if (CnnDsl.Generator.Emit.Identifiers.Namespace(token) is not null) return token;
        result.AddError($"--namespace takes names of letters, digits and '_' joined by dots, such as My.Models, not '{token}'.");
        return null;
    }

    public static int Run(CliContext context, string path, string? modelName, string? configuredNamespace, string? outputDirectory)
    {
        var (models, result, exit) = ModelLoader.Load(context, path, modelName, null, "to generate its code");
        if (exit != ExitCodes.Success) return exit;

        // Exactly what the generator does with this file inside a build.
        var imported = (result!.Sources?.Files ?? Array.Empty<CnnDsl.Dsl.Text.SourceFile>()).Skip(1).Select(f => new CnnFile(f.Path, f.Text));
        var unit = new CnnUnit(new CnnFile(path, result.Source.Text), new EquatableArray<CnnFile>(imported));
        var generation = FileGeneration.Run(unit, configuredNamespace, CancellationToken.None);
        var failure = generation.Diagnostics.FirstOrDefault(d => d.IsError);
        if (failure is not null)
        {
            context.ErrorPrinter.ToolError($"the generator failed on '{path}': {failure.Code}: {failure.Message}");
            return ExitCodes.InternalError;
        }

        var wanted = models.Select(m => m.Model.Name).ToHashSet(StringComparer.Ordinal);
        var sources = generation.Sources.Where(s => wanted.Contains(s.Model) && s.Part.Length == 0).ToList();
        if (outputDirectory is not null)
        {
            try
            {
                Directory.CreateDirectory(outputDirectory);
                foreach (var source in sources)
                {
                    var target = Path.Combine(outputDirectory, source.HintName);
                    File.WriteAllText(target, source.Text);
                    context.Error.WriteLine($"wrote {target}");
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                context.ErrorPrinter.ToolError($"cannot write to '{outputDirectory}': {e.Message}");
                return ExitCodes.FileError;
            }

            return ExitCodes.Success;
        }

        for (var i = 0; i < sources.Count; i++)
        {
            if (i > 0) context.Out.Write("\n");
            context.Out.Write(sources[i].Text);
        }

        return ExitCodes.Success;
    }
}
