using System.Collections.Generic;
using System.Linq;
using CnnDsl.Dsl;
using CnnDsl.Dsl.Analysis;
using CnnDsl.Dsl.Layers;

namespace CnnDsl.Cli.Input;

/// <summary>A model a command works on, with the input its file declares (which differs from
/// <c>Model.Input</c> when <c>--input</c> re-ran the analysis).</summary>
public sealed record SelectedModel(ModelInfo Model, Shape DeclaredInput);

/// <summary>What most commands do first: read and check the file, print its diagnostics on
/// standard error, pick the models <c>--model</c> names, and with <c>--input</c> analyse them
/// again at that input. Every failure is printed and becomes an exit code.</summary>
public static class ModelLoader
{
    /// <param name="purpose">Ends the message for a file with errors: "to see its summary".</param>
    public static (IReadOnlyList<SelectedModel> Models, CompilationResult? Result, int Exit) Load(
        CliContext context, string path, string? modelName, Shape? input, string purpose)
    {
        var errors = context.ErrorPrinter;
        var none = System.Array.Empty<SelectedModel>();
        var source = SourceLoader.Load(path);
        if (!source.Loaded)
        {
            errors.ToolError(source.Error!);
            return (none, null, ExitCodes.FileError);
        }

        var result = source.Result!;
        errors.Print(result.Diagnostics);
        if (result.HasErrors)
        {
            var count = result.Diagnostics.Count(d => d.IsError);
            errors.ToolError($"'{path}' has {count} error{(count == 1 ? "" : "s")}; fix {(count == 1 ? "it" : "them")} {purpose}.");
            return (none, result, ExitCodes.SourceErrors);
        }

        var (models, problem) = ModelSelector.Select(path, result.Models, modelName);
        if (problem is not null)
        {
            errors.ToolError(problem);
            return (none, result, ExitCodes.Usage);
        }

        if (input is null) return (models.Select(m => new SelectedModel(m, m.Input)).ToList(), result, ExitCodes.Success);

        // Analyse again at the new input: the layer that cannot take it is reported where it is written.
        var overrides = models.ToDictionary(m => m.Name, _ => input);
        var again = CnnCompiler.Compile(result.Source, overrides, result.Imports);
        if (again.HasErrors)
        {
            errors.Print(again.Diagnostics.Where(d => d.IsError));
            foreach (var model in models.Where(m => again.Models.All(a => a.Name != m.Name)))
            {
                errors.ToolError($"model '{model.Name}' cannot take a {input} input (--input; it declares {model.Input}).");
            }

            return (none, again, ExitCodes.SourceErrors);
        }

        var selected = models
            .Select(m => new SelectedModel(again.Models.First(a => a.Name == m.Name), m.Input))
            .ToList();
        return (selected, again, ExitCodes.Success);
    }
}
