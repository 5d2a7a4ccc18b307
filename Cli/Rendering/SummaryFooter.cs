using System.Collections.Generic;
using CnnDsl.Dsl.Analysis;
using Spectre.Console;

namespace CnnDsl.Cli.Rendering;

/// <summary>The totals under a model's table: parameters (trainable or not), buffers, which are
/// not parameters, compute per sample as multiply-adds and FLOPs, and the input and output shapes;
/// the parameters of auxiliary (training-only) heads on a line of their own when there are any.</summary>
public static class SummaryFooter
{
    /// <summary>Bytes per element when the weights are stored as float32.</summary>
    private const long Float32Bytes = 4;

    /// <summary>Label and value (Spectre markup) of each line, in order.</summary>
    public static IReadOnlyList<(string Label, string Value)> Lines(ModelInfo model)
    {
        // Every parameter the language knows is trainable; frozen, saved state is a buffer.
        var trainable = model.Parameters;
        const long nonTrainable = 0;
        var total = trainable + nonTrainable;
        var lines = new List<(string, string)>
        {
            ("Total parameters", $"[bold]{Numbers.Grouped(total)}[/]"),
            ("  trainable", Numbers.Grouped(trainable)),
            ("  non-trainable", Numbers.Grouped(nonTrainable)),
        };
        if (model.AuxiliaryParameters != 0)
        {
            // GoogLeNet's auxiliary classifiers only train: counted apart, never in the total.
            lines.Add(("Auxiliary heads", $"{Numbers.Grouped(model.AuxiliaryParameters)} parameters [yellow](training only, not in the total)[/]"));
        }

        lines.AddRange(new[]
        {
            ("Buffers", $"{Numbers.Grouped(model.Buffers)} [grey](not parameters: saved, untrained state such as batch norm statistics)[/]"),
            ("Compute per sample", $"[bold]{Numbers.Compute(model.MultiplyAdds)}[/]"),
            ("Size as float32", $"{Numbers.Megabytes((total + model.Buffers) * Float32Bytes)} [grey](parameters and buffers)[/]"),
            ("Input shape", model.Input.ToString()),
            ("Output shape", model.Output.ToString()),
        });
        return lines;
    }

    /// <summary>Writes the lines as an aligned two-column list with no trailing spaces.</summary>
    public static void Write(IAnsiConsole console, ModelInfo model)
    {
        var lines = Lines(model);
        var width = 0;
        foreach (var (label, _) in lines) width = System.Math.Max(width, label.Length);
        foreach (var (label, value) in lines)
        {
            console.MarkupLine($"[bold]{Markup.Escape(label.PadRight(width))}[/]   {value}");
        }
    }
}
