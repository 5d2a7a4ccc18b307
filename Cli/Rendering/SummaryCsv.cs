using System.Collections.Generic;
using System.Globalization;
using System.IO;
using CnnDsl.Cli.Analysis;
using CnnDsl.Dsl.Analysis;
using CnnDsl.Dsl.Layers;

namespace CnnDsl.Cli.Rendering;

/// <summary>The CSV form of <c>cnn summary</c> (<c>--format csv</c>): a header, then one row per
/// listed layer, group, branch point or merge of every model, with every figure (the table's
/// <c>--columns</c> do not apply). Shapes are written <c>3x224x224</c>; receptive fields
/// <c>212</c> or <c>3x5</c> (height x width when they differ). Counts follow the options
/// (batch, <c>--count</c>) as in the JSON form.</summary>
public static class SummaryCsv
{
    public static IReadOnlyList<string> Header { get; } = new[]
    {
        "model", "name", "type", "kind", "depth", "auxiliary", "input_shape", "output_shape",
        "parameters", "trainable_parameters", "buffers", "macs", "self_macs", "flops",
        "rf_size", "rf_stride", "rf_padding", "rf_global",
    };

    public static void Write(TextWriter writer, IReadOnlyList<ModelReport> reports, int? maxDepth)
    {
        Csv.WriteRow(writer, Header);
        foreach (var report in reports)
        {
            foreach (var row in VisibleLayers.Of(report.Model, maxDepth))
            {
                var layer = row.Layer;
                var field = layer.ReceptiveField;
                Csv.WriteRow(writer, new[]
                {
                    report.Model.Name,
                    layer.Path,
                    layer.TypeName,
                    layer.KindName,
                    Number(layer.Depth),
                    row.TrainingOnly ? "true" : "false",
                    layer.Input.ToString(),
                    layer.Output.ToString(),
                    Number(layer.Parameters),
                    Number(layer.Parameters),
                    Number(layer.Buffers),
                    Number(report.Macs(layer)),
                    Number(report.SelfMacs(layer)),
                    Number(report.FlopsOf(layer)),
                    PairText(field.Size),
                    PairText(field.Stride),
                    PairText(field.Padding),
                    field.Global ? "true" : "false",
                });
            }
        }
    }

    private static string PairText(Pair pair) => pair.ToString();

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);
}
