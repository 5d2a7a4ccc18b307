using System;
using System.CommandLine;
using System.IO;
using System.Linq;
using CnnDsl.Cli.Input;
using CnnDsl.Cli.Rendering;

namespace CnnDsl.Cli.Commands;

/// <summary><c>cnn graph FILE [--model NAME] [--format dot|svg|png] [--depth N] [--input CxHxW] [-o PATH]</c>:
/// a diagram of a model, drawn by Graphviz where it is installed and given as DOT otherwise.</summary>
public static class GraphCommand
{
    public const string Dot = "dot";
    public const string Svg = "svg";
    public const string Png = "png";

    public static Command Create(CliContext context)
    {
        var file = new Argument<string>("FILE") { Description = "The .cnn file with the model to draw." };
        var model = CommonOptions.Model("The model to draw; needed when the file has several.");
        var format = new Option<string?>("--format", "-f")
        {
            Description = "dot (Graphviz's text, the default on standard output), svg or png (drawn by Graphviz's dot; "
                + "without Graphviz the DOT text is written instead, with a note). Default: from the -o extension, else dot.",
            HelpName = "dot|svg|png",
        };
        format.AcceptOnlyFromAmong(Dot, Svg, Png);
        var depth = CommonOptions.Depth("Draw only this many levels: deeper groups, branch points and merges become one node each. Default: all.");
        var input = CommonOptions.Input();
        var output = new Option<string?>("--output", "-o")
        {
            Description = "Write to this file (default: standard output for dot and svg, MODEL.png for png).",
            HelpName = "PATH",
        };
        var command = new Command("graph", "Draw a model: branches side by side, residual and dense connections, shapes on the edges.")
        {
            file, model, format, depth, input, output,
        };
        command.SetAction(parse => Run(context, parse.GetValue(file)!, parse.GetValue(model), parse.GetValue(format),
            parse.GetValue(depth), parse.GetValue(input), parse.GetValue(output)));
        return command;
    }

    public static int Run(CliContext context, string path, string? modelName, string? format, int? maxDepth, Dsl.Layers.Shape? input, string? output)
    {
        var errors = context.ErrorPrinter;
        var (models, _, exit) = ModelLoader.Load(context, path, modelName, input, "to draw it");
        if (exit != ExitCodes.Success) return exit;
        if (models.Count > 1)
        {
            errors.ToolError($"'{path}' has {models.Count} models; choose one with --model." + Environment.NewLine
                + "Available models: " + string.Join(", ", models.Select(m => m.Model.Name)));
            return ExitCodes.Usage;
        }

        var selected = models[0].Model;
        format ??= output is null ? Dot : Path.GetExtension(output).ToLowerInvariant() switch
        {
            ".svg" => Svg,
            ".png" => Png,
            _ => Dot,
        };
        var text = DotGraph.Write(selected, path, maxDepth);
        if (maxDepth is null) SuggestDepth(context, selected, path, text);

        if (format == Dot) return Write(context, output, text);

        var dot = Graphviz.Find();
        if (dot is null)
        {
            // The diagram is still given, as text Graphviz can draw elsewhere; but what was asked
            // for was not made, and the exit code says so.
            var fallback = output is null ? null : Path.ChangeExtension(output, ".dot");
            var written = Write(context, fallback, text);
            if (written != ExitCodes.Success) return written;
            errors.ToolError(
                $"Graphviz's 'dot' is not installed (not on PATH), so no {format.ToUpperInvariant()} was drawn"
                + (output is null ? "; the diagram is above as DOT text" : $" and '{output}' was not written; the diagram is in '{fallback}' as DOT text") + ". "
                + $"Install Graphviz (Debian: apt-get install graphviz) to draw it, or draw it elsewhere: dot -T{format} {fallback ?? "MODEL.dot"} -o {Path.ChangeExtension(fallback ?? "MODEL.dot", "." + format)}");
            return ExitCodes.ExternalFailure;
        }

        var target = output ?? (format == Png ? selected.Name + ".png" : null);
        if (target is null)
        {
            // SVG on standard output: render to a temporary file and copy it through.
            var temporary = Path.Combine(Path.GetTempPath(), $"cnn-graph-{Guid.NewGuid():N}.svg");
            try
            {
                var rendered = Graphviz.Render(dot, text, format, temporary);
                ReportWarnings(context, rendered);
                if (rendered.Error is not null)
                {
                    errors.ToolError(rendered.Error);
                    return ExitCodes.ExternalFailure;
                }

                context.Out.Write(File.ReadAllText(temporary));
                return ExitCodes.Success;
            }
            finally
            {
                File.Delete(temporary);
            }
        }

        var result = Graphviz.Render(dot, text, format, target);
        ReportWarnings(context, result);
        if (result.Error is not null)
        {
            errors.ToolError(result.Error);
            return ExitCodes.ExternalFailure;
        }

        context.Error.WriteLine($"wrote {target}");
        return ExitCodes.Success;
    }

    /// <summary>The most nodes a diagram has before cnn suggests drawing fewer levels: beyond
    /// it, a whole model is an image too long to read (DenseNet-121 has 429 nodes, 446 x 32,767
    /// pixels as PNG).</summary>
    public const int ReadableNodes = 100;

    /// <summary>For a diagram of more than <see cref="ReadableNodes"/> nodes, a note naming the
    /// deepest <c>--depth</c> that keeps it readable.</summary>
    private static void SuggestDepth(CliContext context, Dsl.Analysis.ModelInfo model, string path, string text)
    {
        var nodes = Nodes(text);
        if (nodes <= ReadableNodes) return;
        int? best = null;
        var bestNodes = 0;
        for (var depth = 1; depth < 64; depth++)
        {
            var count = Nodes(DotGraph.Write(model, path, depth));
            if (count > ReadableNodes || count == nodes) break;
            (best, bestNodes) = (depth, count);
        }

        context.Error.WriteLine(best is null
            ? $"note: this diagram has {Numbers.Grouped(nodes)} nodes, too many to read as one image."
            : $"note: this diagram has {Numbers.Grouped(nodes)} nodes, too many to read as one image; --depth {best} draws {Numbers.Grouped(bestNodes)}.");
    }

    private static int Nodes(string dot) =>
        System.Text.RegularExpressions.Regex.Matches(dot, @"^\s*n\d+ \[", System.Text.RegularExpressions.RegexOptions.Multiline).Count;

    /// <summary>What Graphviz said while drawing (an image scaled down because it is too large),
    /// passed on rather than swallowed.</summary>
    private static void ReportWarnings(CliContext context, GraphvizResult result)
    {
        foreach (var line in result.Warnings) context.Error.WriteLine($"note: Graphviz: {line}");
    }

    private static int Write(CliContext context, string? output, string text)
    {
        if (output is null)
        {
            context.Out.Write(text);
            return ExitCodes.Success;
        }

        try
        {
            File.WriteAllText(output, text);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            context.ErrorPrinter.ToolError($"cannot write '{output}': {e.Message}");
            return ExitCodes.FileError;
        }

        context.Error.WriteLine($"wrote {output}");
        return ExitCodes.Success;
    }
}
