using System;
using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using CnnDsl.Cli.Input;
using CnnDsl.Cli.Rendering;
using CnnDsl.Dsl.Analysis;
using CnnDsl.Dsl.Diagnostics;
using Spectre.Console;

namespace CnnDsl.Cli.Commands;

/// <summary><c>cnn list FILE... [--format text|markdown|json|csv]</c>: the models of .cnn files, one
/// line each, with input, output, parameters and multiply-adds.</summary>
public static class ListCommand
{
    public const string Text = "text";
    public const string Markdown = "markdown";
    public const string Json = "json";
    public const string CsvFormat = "csv";

    private sealed record Entry(string File, ModelInfo Model);

    public static Command Create(CliContext context)
    {
        var files = new Argument<string[]>("FILE")
        {
            Description = "The .cnn files whose models to list; a directory stands for every .cnn file under it. "
                + "Without FILE: the architectures shipped with cnn, which every command also finds by name (resnet.cnn) from any folder.",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var format = CommonOptions.Format("Output format: a table (text, markdown), or data for programs (json, csv).", Text, Markdown, Json, CsvFormat);
        var command = new Command("list", "List the models of .cnn files, one line each: input, output, parameters, multiply-adds.")
        {
            files, format,
        };
        command.SetAction(parse => Run(context, parse.GetValue(files) ?? Array.Empty<string>(), parse.GetValue(format) ?? Text));
        return command;
    }

    public static int Run(CliContext context, IReadOnlyList<string> arguments, string format)
    {
        var shipped = arguments.Count == 0;
        if (shipped) arguments = new[] { ShippedArchitectures.Folder };
        var errors = context.ErrorPrinter;
        var exit = ExitCodes.Success;
        var entries = new List<Entry>();
        foreach (var path in CheckCommand.Expand(arguments))
        {
            var source = SourceLoader.Load(path);
            if (!source.Loaded)
            {
                errors.ToolError(source.Error!);
                exit = ExitCodes.FileError;
                continue;
            }

            var result = source.Result!;
            errors.Print(result.Diagnostics);
            if (result.HasErrors)
            {
                var count = result.Diagnostics.Count(d => d.Severity == Severity.Error);
                errors.ToolError($"'{path}' has {count} error{(count == 1 ? "" : "s")}; its models are not listed.");
                if (exit == ExitCodes.Success) exit = ExitCodes.SourceErrors;
                continue;
            }

            entries.AddRange(result.Models.Select(m => new Entry(path, m)));
        }

        switch (format)
        {
            case Json:
                WriteJson(context.Out, entries);
                break;
            case CsvFormat:
                Csv.WriteRow(context.Out, new[] { "file", "model", "input", "output", "parameters", "auxiliary_parameters", "buffers", "macs" });
                foreach (var e in entries)
                {
                    Csv.WriteRow(context.Out, new[]
                    {
                        e.File, e.Model.Name, e.Model.Input.ToString(), e.Model.Output.ToString(), Raw(e.Model.Parameters),
                        Raw(e.Model.AuxiliaryParameters), Raw(e.Model.Buffers), Raw(e.Model.MultiplyAdds),
                    });
                }

                break;
            case Markdown:
                context.Out.WriteLine("| File | Model | Input | Output | Parameters | Multiply-adds |");
                context.Out.WriteLine("|---|---|---|---|---:|---:|");
                foreach (var e in entries)
                {
                    context.Out.WriteLine(
                        $"| `{e.File}` | {e.Model.Name.Replace("_", "\\_")} | {e.Model.Input} | {e.Model.Output} | {Numbers.Grouped(e.Model.Parameters)} | {Numbers.Scaled(e.Model.MultiplyAdds)} |");
                }

                break;
            default:
                if (entries.Count > 0) WriteTable(context, entries);
                if (shipped)
                {
                    context.Out.WriteLine($"Shipped with cnn, in {ShippedArchitectures.Folder}. Any command takes one by its name from any folder, "
                        + "e.g. cnn summary resnet.cnn --model ResNet50 (a file of that name in the current folder comes first).");
                }

                break;
        }

        return exit;
    }

    private static void WriteTable(CliContext context, IReadOnlyList<Entry> entries)
    {
        var console = ConsoleFactory.Create(context.Out, context.OutSettings);
        var table = new Table().Border(TableBorder.Rounded).BorderColor(Color.Grey);
        var files = entries.Select(e => e.File).Distinct().ToList();
        var showFile = files.Count > 1;
        // Files of one folder are named without it; the folder is said once, under the table.
        var folders = files.Select(f => Path.GetDirectoryName(f) ?? "").Distinct().ToList();
        var folder = folders.Count == 1 ? folders[0] : null;
        if (showFile) table.AddColumn(new TableColumn(new Markup("[bold]File[/]")).NoWrap());
        table.AddColumn(new TableColumn(new Markup("[bold]Model[/]")).NoWrap());
        table.AddColumn(new TableColumn(new Markup("[bold]Input[/]")).NoWrap());
        table.AddColumn(new TableColumn(new Markup("[bold]Output[/]")).NoWrap());
        table.AddColumn(new TableColumn(new Markup("[bold]Parameters[/]")).NoWrap().RightAligned());
        table.AddColumn(new TableColumn(new Markup("[bold]Multiply-adds[/]")).NoWrap().RightAligned());
        foreach (var e in entries)
        {
            var cells = new List<string>();
            if (showFile) cells.Add($"[grey]{Markup.Escape(folder is null ? e.File : Path.GetFileName(e.File))}[/]");
            cells.Add($"[bold]{Markup.Escape(e.Model.Name)}[/]");
            cells.Add(Markup.Escape(e.Model.Input.ToString()));
            cells.Add(Markup.Escape(e.Model.Output.ToString()));
            var auxiliary = e.Model.AuxiliaryParameters == 0 ? "" : $" [grey](+{Numbers.Grouped(e.Model.AuxiliaryParameters)} aux)[/]";
            cells.Add(Numbers.Grouped(e.Model.Parameters) + auxiliary);
            cells.Add(Numbers.Scaled(e.Model.MultiplyAdds));
            table.AddRow(cells.Select(c => new Markup(c)).ToArray());
        }

        console.Write(table);
        ConsoleFactory.Line(console, $"[grey]{entries.Count} model{(entries.Count == 1 ? "" : "s")} in {files.Count} file{(files.Count == 1 ? "" : "s")}; "
            + $"multiply-adds of conv and linear layers per sample ({Numbers.PrefixLegend}).[/]");
    }

    private static void WriteJson(TextWriter writer, IReadOnlyList<Entry> entries)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions
        {
            Indented = true,
            NewLine = "\n",
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        }))
        {
            json.WriteStartArray();
            foreach (var e in entries)
            {
                json.WriteStartObject();
                json.WriteString("file", e.File);
                json.WriteString("model", e.Model.Name);
                json.WritePropertyName("input");
                json.WriteRawValue(NumberArray(e.Model.Input.Dimensions));
                json.WritePropertyName("output");
                json.WriteRawValue(NumberArray(e.Model.Output.Dimensions));
                json.WriteNumber("parameters", e.Model.Parameters);
                json.WriteNumber("auxiliaryParameters", e.Model.AuxiliaryParameters);
                json.WriteNumber("buffers", e.Model.Buffers);
                json.WriteNumber("macs", e.Model.MultiplyAdds);
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        writer.WriteLine(Encoding.UTF8.GetString(buffer.ToArray()));
    }

    private static string NumberArray(IReadOnlyList<long> values) =>
        "[" + string.Join(", ", values.Select(Raw)) + "]";

    private static string Raw(long value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
