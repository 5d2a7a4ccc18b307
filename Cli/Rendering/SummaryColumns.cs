using System;
using System.Collections.Generic;
using System.Linq;

namespace CnnDsl.Cli.Rendering;

/// <summary>The optional columns of a summary table (<c>--columns</c>); the layer name always comes first.</summary>
public enum SummaryColumn
{
    Type,
    Input,
    Output,
    Params,
    Buffers,
    Macs,
    Flops,
    ReceptiveField,
    Trainable,
}

public static class SummaryColumns
{
    /// <summary>The <c>--columns</c> name of each column, in the order they can be listed.</summary>
    public static IReadOnlyList<(SummaryColumn Column, string Name)> Names { get; } = new[]
    {
        (SummaryColumn.Type, "type"),
        (SummaryColumn.Input, "input"),
        (SummaryColumn.Output, "output"),
        (SummaryColumn.Params, "params"),
        (SummaryColumn.Buffers, "buffers"),
        (SummaryColumn.Macs, "macs"),
        (SummaryColumn.Flops, "flops"),
        (SummaryColumn.ReceptiveField, "rf"),
        (SummaryColumn.Trainable, "trainable"),
    };

    public static IReadOnlyList<SummaryColumn> Default { get; } = new[]
    {
        SummaryColumn.Type, SummaryColumn.Output, SummaryColumn.Params, SummaryColumn.Macs, SummaryColumn.ReceptiveField, SummaryColumn.Trainable,
    };

    /// <summary>What goes first when a table is too wide even with short headers.</summary>
    public static IReadOnlyList<(SummaryColumn Column, string Description)> DropOrder { get; } = new[]
    {
        (SummaryColumn.Trainable, "trainable"),
        (SummaryColumn.Input, "input shape"),
        (SummaryColumn.Buffers, "buffers"),
        (SummaryColumn.Flops, "FLOPs"),
        (SummaryColumn.ReceptiveField, "receptive field"),
        (SummaryColumn.Macs, "multiply-adds"),
    };

    /// <summary>"type,output,params" (in the order given, duplicates ignored), or "all".</summary>
    public static IReadOnlyList<SummaryColumn>? TryParse(string text, out string error)
    {
        error = "";
        if (string.Equals(text.Trim(), "all", StringComparison.OrdinalIgnoreCase)) return Names.Select(n => n.Column).ToList();
        var columns = new List<SummaryColumn>();
        foreach (var part in text.Split(','))
        {
            var name = part.Trim().ToLowerInvariant();
            var match = Names.Where(n => n.Name == name).Select(n => (SummaryColumn?)n.Column).FirstOrDefault();
            if (match is null)
            {
                error = $"--columns takes a comma-separated list of {string.Join(", ", Names.Select(n => n.Name))} (or all), not '{text}'";
                return null;
            }

            if (!columns.Contains(match.Value)) columns.Add(match.Value);
        }

        return columns;
    }
}
