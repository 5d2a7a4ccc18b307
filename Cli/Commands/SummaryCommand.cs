using System.Collections.Generic;
using System.CommandLine;
using System.CommandLine.Parsing;
using System.Linq;
using CnnDsl.Cli.Analysis;
using CnnDsl.Cli.Input;
using CnnDsl.Cli.Rendering;
using CnnDsl.Dsl.Layers;

namespace CnnDsl.Cli.Commands;

/// <summary><c>cnn summary FILE [--model NAME] [--input CxHxW] [--batch B] [--dtype T] [--count C]
/// [--depth N] [--columns LIST] [--format text|markdown|json|csv]</c>: every layer's, group's and
/// merge's shape, parameters, multiply-adds, receptive field and trainability, and the model's
/// totals and memory.</summary>
public static class SummaryCommand
{
    public const string Text = "text";
    public const string Markdown = "markdown";
    public const string Json = "json";
    public const string CsvFormat = "csv";

    /// <summary>Everything <c>summary</c> was asked for.</summary>
    public sealed record Request(
        string Path, string? Model, string Format, int? Depth, Shape? Input, ReportOptions Options, IReadOnlyList<SummaryColumn> Columns);

    public static Command Create(CliContext context)
    {
        var file = new Argument<string>("FILE") { Description = "The .cnn file to summarise." };
        var model = CommonOptions.Model("Summarise only this model (default: every model in the file).");
        var format = CommonOptions.Format("Output format: a table for people (text, markdown), or data for programs (json, csv).",
            Text, Markdown, Json, CsvFormat);
        var depth = CommonOptions.Depth(
            "Show only this many levels of layers (1 = the model's top-level layers; a concat, residual, dense or aux is a level of its own). Default: all.");
        var input = CommonOptions.Input();
        var batch = CommonOptions.Batch();
        var dtype = CommonOptions.DataType();
        var count = CommonOptions.Count();
        var columns = new Option<IReadOnlyList<SummaryColumn>?>("--columns", "-c")
        {
            Description = "The table's columns after the layer name, in order: a comma-separated list of "
                + string.Join(", ", SummaryColumns.Names.Select(n => n.Name)) + ", or all. Default: type,output,params,macs,rf,trainable.",
            HelpName = "LIST",
            CustomParser = ParseColumns,
        };
        var command = new Command("summary",
            "Print the layers of each model with shapes, parameters, multiply-adds, receptive fields and trainability, and the model's totals and memory.")
        {
            file, model, input, batch, dtype, count, depth, columns, format,
        };
        command.SetAction(parse => Run(context, new Request(
            parse.GetValue(file)!, parse.GetValue(model), parse.GetValue(format) ?? Text, parse.GetValue(depth), parse.GetValue(input),
            new ReportOptions(parse.GetValue(batch), parse.GetValue(dtype)!, parse.GetValue(count)!),
            parse.GetValue(columns) ?? SummaryColumns.Default)));
        return command;
    }

    private static IReadOnlyList<SummaryColumn>? ParseColumns(ArgumentResult result)
    {
        var token = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
        var columns = SummaryColumns.TryParse(token, out var error);
        if (columns is not null) return columns;
        result.AddError(error + ".");
        return SummaryColumns.Default;
    }

    /// <summary>The summary with the defaults of everything but the path, model, format and depth.</summary>
    public static int Run(CliContext context, string path, string? modelName, string format, int? maxDepth) =>
        Run(context, new Request(path, modelName, format, maxDepth, null, ReportOptions.Default, SummaryColumns.Default));

    public static int Run(CliContext context, Request request)
    {
        var (models, result, exit) = ModelLoader.Load(context, request.Path, request.Model, request.Input, "to see its summary");
        if (exit != ExitCodes.Success) return exit;

        // Every figure first: one beyond 64 bits is said before anything is printed.
        var reports = new List<ModelReport>(models.Count);
        foreach (var model in models)
        {
            var report = ReportFactory.Create(model, request.Options, result!.Source, out var failure);
            if (report is not null)
            {
                reports.Add(report);
                continue;
            }

            if (failure!.ModelError is { } diagnostic)
            {
                context.ErrorPrinter.Print(diagnostic);
                context.ErrorPrinter.ToolError($"model '{model.Model.Name}' of '{request.Path}' is too large to summarise.");
                return ExitCodes.SourceErrors;
            }

            context.ErrorPrinter.ToolError(failure.OptionError!);
            context.Error.WriteLine("Run 'cnn summary --help' for usage.");
            return ExitCodes.Usage;
        }

        switch (request.Format)
        {
            case Json:
                SummaryJson.Write(context.Out, request.Path, reports, asArray: request.Model is null && reports.Count > 1, request.Depth);
                break;
            case CsvFormat:
                SummaryCsv.Write(context.Out, reports, request.Depth);
                break;
            case Markdown:
                SummaryMarkdown.Write(context.Out, request.Path, reports, request.Depth, request.Columns);
                break;
            default:
                SummaryText.Write(context.Out, context.OutSettings, request.Path, reports, request.Depth, request.Columns);
                break;
        }

        return ExitCodes.Success;
    }
}
