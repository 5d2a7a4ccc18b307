using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Linq;
using CnnDsl.Cli.Input;
using CnnDsl.Cli.Rendering;

namespace CnnDsl.Cli.Commands;

/// <summary><c>cnn summary FILE [--model NAME] [--format text|json] [--depth N]</c>: every layer's,
/// group's and merge's shape, parameters, multiply-adds and receptive field, and the model's totals.</summary>
public static class SummaryCommand
{
    public const string Text = "text";
    public const string Json = "json";

    public static Command Create(CliContext context)
    {
        var file = new Argument<string>("FILE") { Description = "The .cnn file to summarise." };
        var model = new Option<string?>("--model", "-m")
        {
            Description = "Summarise only this model (default: every model in the file).",
            HelpName = "NAME",
        };
        var format = new Option<string>("--format", "-f")
        {
            Description = "Output format: a table for people, or JSON for programs.",
            DefaultValueFactory = _ => Text,
        };
        format.AcceptOnlyFromAmong(Text, Json);
        var depth = new Option<int?>("--depth", "-d")
        {
            Description = "Show only this many levels of layers (1 = the model's top-level layers; a concat, residual, dense or aux is a level of its own). Default: all.",
            HelpName = "N",
            CustomParser = ParseDepth,
        };
        var command = new Command("summary", "Print the layers of each model with shapes, parameters, multiply-adds and receptive fields.")
        {
            file, model, format, depth,
        };
        command.SetAction(parse => Run(
            context, parse.GetValue(file)!, parse.GetValue(model), parse.GetValue(format) ?? Text, parse.GetValue(depth)));
        return command;
    }

    /// <summary>A whole number of 1 or more; anything else is a usage error, not an exception.</summary>
    private static int? ParseDepth(ArgumentResult result)
    {
        var token = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
        if (int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var depth) && depth >= 1) return depth;
        result.AddError($"--depth takes a whole number of 1 or more, not '{token}'.");
        return null;
    }

    public static int Run(CliContext context, string path, string? modelName, string format, int? maxDepth)
    {
        var errors = context.ErrorPrinter;
        var source = SourceLoader.Load(path);
        if (!source.Loaded)
        {
            errors.ToolError(source.Error!);
            return ExitCodes.FileError;
        }

        var result = source.Result!;
        errors.Print(result.Diagnostics);
        if (result.HasErrors)
        {
            var count = result.Diagnostics.Count(d => d.IsError);
            errors.ToolError($"'{path}' has {count} error{(count == 1 ? "" : "s")}; fix {(count == 1 ? "it" : "them")} to see its summary.");
            return ExitCodes.SourceErrors;
        }

        var (models, problem) = ModelSelector.Select(path, result.Models, modelName);
        if (problem is not null)
        {
            errors.ToolError(problem);
            return ExitCodes.Usage;
        }

        if (format == Json)
        {
            SummaryJson.Write(context.Out, path, models, asArray: modelName is null && models.Count > 1, maxDepth);
        }
        else
        {
            SummaryText.Write(context.Out, context.OutSettings, path, models, maxDepth);
        }

        return ExitCodes.Success;
    }
}
