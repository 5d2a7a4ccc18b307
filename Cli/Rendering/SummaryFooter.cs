using System.Collections.Generic;
using System.Linq;
using CnnDsl.Cli.Analysis;
using CnnDsl.Dsl.Analysis;
using Spectre.Console;

namespace CnnDsl.Cli.Rendering;

/// <summary>One line of the totals under a model's table: a label, and a value with an optional
/// note (grey in colour).</summary>
public sealed record FooterLine(string Label, string Value, string Note = "", bool Strong = false)
{
    public string Text => Note.Length == 0 ? Value : Value + " " + Note;
}

/// <summary>The totals under a model's table: parameters (trainable or not), buffers, which are
/// not parameters, the multiply-adds and FLOPs with what they count, and the memory figures
/// with torchinfo's conventions (input size, forward/backward pass size, parameter size and
/// their estimated total, in MB of 10^6 bytes), then the shapes and the units.</summary>
public static class SummaryFooter
{
    public static IReadOnlyList<FooterLine> Lines(ModelReport report)
    {
        var model = report.Model;
        var options = report.Options;
        var memory = report.Memory;
        var lines = new List<FooterLine>
        {
            new("Total parameters", Numbers.Grouped(model.Parameters), Strong: true),
            new("  trainable", Numbers.Grouped(report.TrainableParameters)),
            new("  non-trainable", Numbers.Grouped(report.NonTrainableParameters)),
        };
        if (model.AuxiliaryParameters != 0)
        {
            // GoogLeNet's auxiliary classifiers only train: counted apart, never in the total.
            lines.Add(new("Auxiliary heads", $"{Numbers.Grouped(model.AuxiliaryParameters)} parameters", "(training only, not in the total)"));
        }

        lines.Add(new("Buffers", Numbers.Grouped(model.Buffers), "(not parameters: saved, untrained state such as batch norm statistics)"));
        lines.Add(new("Multiply-adds", $"{Numbers.Scaled(report.MultiplyAdds)} = {Numbers.Grouped(report.MultiplyAdds)} multiply-accumulates (MACs)", Strong: true));
        lines.Add(new("FLOPs", $"{Numbers.Scaled(report.Flops)} = {Numbers.Grouped(report.Flops)} floating-point operations", "(2 per multiply-add)"));
        lines.Add(new("Counted", options.Counting.Description));
        lines.Add(new("Input size (MB)", Numbers.MegabytesValue(memory.InputBytes)));
        lines.Add(new("Forward/backward pass size (MB)", Numbers.MegabytesValue(memory.ForwardBackwardBytes)));
        lines.Add(new("Params size (MB)", Numbers.MegabytesValue(memory.ParameterBytes)));
        lines.Add(new("Estimated total size (MB)", Numbers.MegabytesValue(memory.EstimatedTotalBytes), Strong: true));
        if (memory.BufferBytes != 0)
        {
            lines.Add(new("Buffers size (MB)", Numbers.MegabytesValue(memory.BufferBytes), "(not in the estimated total, as in torchinfo)"));
        }

        lines.Add(report.InputOverridden
            ? new("Input shape", model.Input.ToString(), $"(--input; the file declares {report.DeclaredInput})")
            : new("Input shape", model.Input.ToString()));
        lines.Add(new("Output shape", model.Output.ToString()));
        var samples = options.Batch == 1 ? "1 sample" : $"{Numbers.Grouped(options.Batch)} samples";
        lines.Add(new("Per", $"batch of {samples}, {options.DataType.Name} ({options.DataType.Bytes} bytes per element)"));
        lines.Add(new("Units", "K, M, G, T = 10^3, 10^6, 10^9, 10^12; MB = 10^6 bytes"));
        return lines;
    }

    /// <summary>Writes the lines as an aligned two-column list with no trailing spaces.</summary>
    public static void Write(IAnsiConsole console, ModelReport report)
    {
        var lines = Lines(report);
        var width = lines.Max(l => l.Label.Length);
        foreach (var line in lines)
        {
            var value = line.Strong ? $"[bold]{Markup.Escape(line.Value)}[/]" : Markup.Escape(line.Value);
            if (line.Note.Length > 0) value += $" [grey]{Markup.Escape(line.Note)}[/]";
            console.MarkupLine($"[bold]{Markup.Escape(line.Label.PadRight(width))}[/]   {value}");
        }
    }
}
