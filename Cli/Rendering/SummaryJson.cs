using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using CnnDsl.Cli.Analysis;
using CnnDsl.Dsl.Analysis;
using CnnDsl.Dsl.Layers;
using CnnDsl.Dsl.Merges;

namespace CnnDsl.Cli.Rendering;

/// <summary>The JSON form of <c>cnn summary</c>: one object per model (an array when the file
/// has several and no <c>--model</c> picks one), camelCase, properties always in the order
/// docs/cli.md lists them.</summary>
public static class SummaryJson
{
    private static readonly JsonWriterOptions Options = new()
    {
        Indented = true,
        NewLine = "\n",
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static void Write(TextWriter writer, string path, IReadOnlyList<ModelReport> models, bool asArray, int? maxDepth)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, Options))
        {
            if (asArray) json.WriteStartArray();
            foreach (var model in models) WriteModel(json, path, model, maxDepth);
            if (asArray) json.WriteEndArray();
        }

        writer.WriteLine(Encoding.UTF8.GetString(buffer.ToArray()));
    }

    private static void WriteModel(Utf8JsonWriter json, string path, ModelReport report, int? maxDepth)
    {
        var model = report.Model;
        json.WriteStartObject();
        json.WriteString("model", model.Name);
        json.WriteString("file", path);
        WriteShape(json, "input", model.Input);
        WriteShape(json, "output", model.Output);
        json.WriteNumber("parameters", model.Parameters);
        json.WriteNumber("trainableParameters", report.TrainableParameters);
        json.WriteNumber("nonTrainableParameters", report.NonTrainableParameters);
        json.WriteNumber("auxiliaryParameters", model.AuxiliaryParameters);
        json.WriteNumber("buffers", model.Buffers);
        json.WriteNumber("macs", report.MultiplyAdds);
        json.WriteNumber("flops", report.Flops);
        WriteReceptiveField(json, model.Root.ReceptiveField);
        WriteShape(json, "declaredInput", report.DeclaredInput);
        json.WriteNumber("batch", report.Options.Batch);
        json.WriteString("dtype", report.Options.DataType.Name);
        json.WriteStartObject("counted");
        json.WriteString("preset", report.Options.Counting.Name);
        json.WritePropertyName("categories");
        json.WriteRawValue("[" + string.Join(", ", report.Options.Counting.Categories.Select(c => "\"" + Counting.NameOf(c) + "\"")) + "]");
        json.WriteEndObject();
        var memory = report.Memory;
        json.WriteStartObject("memory");
        json.WriteNumber("bytesPerElement", report.Options.DataType.Bytes);
        json.WriteNumber("inputBytes", memory.InputBytes);
        json.WriteNumber("forwardBackwardBytes", memory.ForwardBackwardBytes);
        json.WriteNumber("parameterBytes", memory.ParameterBytes);
        json.WriteNumber("estimatedTotalBytes", memory.EstimatedTotalBytes);
        json.WriteNumber("bufferBytes", memory.BufferBytes);
        json.WriteEndObject();
        json.WriteStartArray("layers");
        foreach (var layer in VisibleLayers.Of(model, maxDepth)) WriteLayer(json, layer, report);
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteLayer(Utf8JsonWriter json, VisibleRow row, ModelReport report)
    {
        var layer = row.Layer;
        json.WriteStartObject();
        json.WriteString("name", layer.Path);
        json.WriteString("type", layer.TypeName);
        json.WriteString("kind", layer.KindName);
        json.WriteNumber("depth", layer.Depth);
        json.WriteBoolean("auxiliary", row.TrainingOnly);
        WriteShape(json, "inputShape", layer.Input);
        WriteShape(json, "outputShape", layer.Output);
        json.WriteNumber("parameters", layer.Parameters);
        json.WriteNumber("buffers", layer.Buffers);
        json.WriteNumber("macs", report.Macs(layer));
        WriteReceptiveField(json, layer.ReceptiveField);
        json.WriteNumber("selfMacs", report.SelfMacs(layer));
        json.WriteNumber("flops", 2 * report.Macs(layer));
        json.WriteNumber("trainableParameters", layer.Parameters);
        if (layer.Structure == Structure.Residual)
        {
            // The shortcut's own rows follow the body's; identity has none.
            if (layer.Shortcut is { } shortcut) json.WriteString("shortcut", shortcut.Path);
            else json.WriteNull("shortcut");
        }

        json.WriteEndObject();
    }

    private static void WriteReceptiveField(Utf8JsonWriter json, ReceptiveField field)
    {
        json.WriteStartObject("receptiveField");
        WritePair(json, "size", field.Size);
        WritePair(json, "stride", field.Stride);
        WritePair(json, "padding", field.Padding);
        json.WriteBoolean("global", field.Global);
        json.WriteEndObject();
    }

    private static void WriteShape(Utf8JsonWriter json, string name, Shape shape) =>
        WriteNumbers(json, name, shape.Dimensions);

    private static void WritePair(Utf8JsonWriter json, string name, Pair pair) =>
        WriteNumbers(json, name, new[] { pair.H, pair.W });

    /// <summary>Short number arrays stay on one line (<c>[64, 224, 224]</c>) so the output reads well.</summary>
    private static void WriteNumbers(Utf8JsonWriter json, string name, IReadOnlyList<long> values)
    {
        json.WritePropertyName(name);
        json.WriteRawValue("[" + string.Join(", ", values.Select(v => v.ToString(CultureInfo.InvariantCulture))) + "]");
    }
}
