using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using CnnDsl.Dsl.Analysis;
using CnnDsl.Dsl.Merges;
using CnnDsl.Export.Onnx.Schema;

namespace CnnDsl.Export.Onnx;

/// <summary>What an ONNX file is written with.</summary>
public sealed record OnnxExportOptions
{
    /// <summary>The lowest opset the exporter writes: LayerNormalization appeared in 17.</summary>
    public const int MinimumOpset = 17;

    /// <summary>The highest opset the exporter writes (ONNX 1.16; ONNX Runtime 1.31 runs it).</summary>
    public const int MaximumOpset = 21;

    /// <summary>The default: 17, the newest that ONNX 1.12 (Debian 12's <c>python3-onnx</c>) checks.</summary>
    public const int DefaultOpset = 17;

    /// <summary>The ONNX operator set of the default domain, from <see cref="MinimumOpset"/> to <see cref="MaximumOpset"/>.</summary>
    public int Opset { get; init; } = DefaultOpset;

    /// <summary>The graph input's name: a float32 N x (the model's input shape) tensor, N dynamic.</summary>
    public string InputName { get; init; } = "input";

    /// <summary>The graph output's name: N x (the model's output shape).</summary>
    public string OutputName { get; init; } = "output";
}

/// <summary>Writes an analysed model with its weights as an ONNX model: one graph in eval mode
/// (the main output; training-only heads left out), a dynamic batch dimension named <c>N</c>,
/// and every tensor the graph reads as an initializer named by its <c>state_dict</c> key
/// (<c>features.0.weight</c>), so the file reads in Netron with the names of the .cnn file.
/// Tensors the forward pass does not read (batch norm's <c>num_batches_tracked</c>) are left out.</summary>
public static class OnnxExporter
{
    /// <summary>The model as an ONNX model proto (in memory; the weights are referenced, not copied).</summary>
    /// <param name="model">The analysed model: shapes as Dsl inferred them at its input.</param>
    /// <param name="weights">Every tensor of <c>model.StateDict()</c>, by key, with its shape.</param>
    /// <param name="options">Opset and names; null for the defaults.</param>
    /// <exception cref="ExportException">A layer kind or merge the exporter does not know, a
    /// configuration ONNX cannot express, weights missing or of another shape, or an opset out of range.</exception>
    internal static ModelProto Build(ModelInfo model, IReadOnlyDictionary<string, StateTensor> weights, OnnxExportOptions? options = null)
    {
        options ??= new OnnxExportOptions();
        if (options.Opset < OnnxExportOptions.MinimumOpset || options.Opset > OnnxExportOptions.MaximumOpset)
        {
            throw new ExportException($"opset {options.Opset} is not one the ONNX export writes: give {OnnxExportOptions.MinimumOpset} to {OnnxExportOptions.MaximumOpset}");
        }

        RequireWeights(model, weights);
        var g = new OnnxGraphBuilder(weights, options.Opset);
        g.Unique(options.InputName);
        g.Unique(options.OutputName);
        var last = Run(g, model.Root, options.InputName);
        g.NodeTo(options.OutputName, "Identity", "output", new[] { last });

        var graph = new GraphProto { Name = model.Name, DocString = $"{model.Name}, exported by CnnDsl from its .cnn file" };
        graph.Node.AddRange(g.Nodes);
        graph.Initializer.AddRange(g.Initializers);
        graph.Input.Add(Value(options.InputName, model.Input.Dimensions));
        graph.Output.Add(Value(options.OutputName, model.Output.Dimensions));
        var proto = new ModelProto
        {
            IrVersion = options.Opset <= 17 ? 8 : options.Opset <= 19 ? 9 : 10,
            ProducerName = "CnnDsl",
            ProducerVersion = typeof(OnnxExporter).Assembly.GetName().Version?.ToString(3) ?? "0",
            Graph = graph,
            DocString = $"{model.Name}: input N x {model.Input}, output N x {model.Output}, {model.Parameters:N0} parameters",
        };
        proto.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = options.Opset });
        return proto;
    }

    /// <summary>Writes the model as an ONNX file to <paramref name="stream"/>.</summary>
    /// <inheritdoc cref="Build" path="/param"/>
    /// <inheritdoc cref="Build" path="/exception"/>
    public static void Write(Stream stream, ModelInfo model, IReadOnlyDictionary<string, StateTensor> weights, OnnxExportOptions? options = null)
    {
        var proto = Build(model, weights, options);
        // A protobuf message is limited to 2 GiB; the largest shipped model (ConvNeXt-Large) is 0.8 GB.
        if (proto.CalculateSize() < 0) throw new ExportException($"{model.Name} is larger than the 2 GiB an ONNX file without external data can hold");
        using var output = new Google.Protobuf.CodedOutputStream(stream, leaveOpen: true);
        proto.WriteTo(output);
        output.Flush();
    }

    /// <summary>Writes the model as an ONNX file at <paramref name="path"/> (replaced if present).</summary>
    /// <inheritdoc cref="Build" path="/param"/>
    /// <inheritdoc cref="Build" path="/exception"/>
    public static void Write(string path, ModelInfo model, IReadOnlyDictionary<string, StateTensor> weights, OnnxExportOptions? options = null)
    {
        var temporary = path + ".tmp";
        try
        {
            using (var file = File.Create(temporary)) Write(file, model, weights, options);
            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            // A failed write leaves nothing behind: the file asked for is untouched, the temporary gone.
            File.Delete(temporary);
            throw;
        }
    }

    private static string Run(OnnxGraphBuilder g, LayerInfo node, string x)
    {
        switch (node.Kind)
        {
            case NodeKind.Layer:
                return OnnxLayers.Emit(g, node, x);
            case NodeKind.Group:
                return node.Children.Aggregate(x, (value, child) => Run(g, child, value));
            case NodeKind.Auxiliary:
                return x;
            case NodeKind.Merge:
                var label = node.Path.Length == 0 ? node.Structure!.Name : node.Path;
                var inputs = BranchInputs(g, node, label, x);
                var parts = node.Branches.Select((branch, i) => branch.Aggregate(inputs[i], (value, child) => Run(g, child, value))).ToArray();
                return node.Structure!.Merge switch
                {
                    ConcatMerge => g.Node("Concat", label, parts, OnnxGraphBuilder.Int("axis", 1)),
                    AddMerge => g.Node("Add", label, parts),
                    MultiplyMerge => g.Node("Mul", label, parts),
                    var merge => throw new ExportException(
                        $"ONNX export does not know the merge `{merge.Name}` ({merge.GetType().Name}) of `{node.Structure.Name}` at `{node.Path}`: teach Export/Onnx/OnnxExporter.cs"),
                };
            default:
                throw new ExportException($"ONNX export does not know the node kind {node.Kind} at `{node.Path}`");
        }
    }

    /// <summary>What each branch reads: the whole input, or its channel range (split's chunks).</summary>
    private static string[] BranchInputs(OnnxGraphBuilder g, LayerInfo node, string label, string x)
    {
        var inputs = node.Structure!.Inputs;
        var count = node.Branches.Count;
        if (inputs.IsShared) return Enumerable.Repeat(x, count).ToArray();
        return inputs.Channels(node.Input, count)
            .Select(c => g.Node("Slice", label, new[] { x, g.Longs("start", c.Start), g.Longs("end", c.Start + c.Length), g.Longs("axis", 1) }))
            .ToArray();
    }

    private static void RequireWeights(ModelInfo model, IReadOnlyDictionary<string, StateTensor> weights)
    {
        foreach (var (key, spec) in model.StateDict())
        {
            if (!weights.TryGetValue(key, out var tensor)) throw new ExportException($"the weights have no `{key}` of {model.Name}");
            if (!tensor.Shape.SequenceEqual(spec.Shape))
            {
                throw new ExportException($"`{key}` is [{string.Join(", ", tensor.Shape)}] in the weights, [{string.Join(", ", spec.Shape)}] in {model.Name}");
            }

            if (tensor.Data.Length != checked(tensor.Elements * (tensor.ElementType == StateElementType.Int64 ? 8 : 4)))
            {
                throw new ExportException($"`{key}` holds {tensor.Data.Length} bytes for [{string.Join(", ", tensor.Shape)}] {tensor.ElementType}");
            }
        }
    }

    private static ValueInfoProto Value(string name, IReadOnlyList<long> sample)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = "N" });
        foreach (var d in sample) shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = d });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } },
        };
    }
}
