using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using CnnDsl.Dsl.Analysis;
using CnnDsl.Export.Onnx.Schema;
using Google.Protobuf;

namespace CnnDsl.Export.Onnx;

/// <summary>Collects the nodes and initializers of one ONNX graph: unique value names, the
/// model's weights as initializers named by their <c>state_dict</c> keys, small constants, and
/// the few operators whose form depends on the opset.</summary>
internal sealed class OnnxGraphBuilder
{
    private readonly IReadOnlyDictionary<string, StateTensor> weights;
    private readonly HashSet<string> names = new(StringComparer.Ordinal);
    private readonly HashSet<string> initialized = new(StringComparer.Ordinal);
    private int constants;

    public OnnxGraphBuilder(IReadOnlyDictionary<string, StateTensor> weights, int opset)
    {
        this.weights = weights;
        Opset = opset;
    }

    public int Opset { get; }

    public List<NodeProto> Nodes { get; } = new();

    public List<TensorProto> Initializers { get; } = new();

    /// <summary>Reserves a value name: <paramref name="hint"/> itself, or with a numeric suffix.</summary>
    public string Unique(string hint)
    {
        if (names.Add(hint)) return hint;
        for (var i = 1; ; i++)
        {
            var candidate = hint + "_" + i.ToString(CultureInfo.InvariantCulture);
            if (names.Add(candidate)) return candidate;
        }
    }

    /// <summary>Adds a node named after the layer at <paramref name="path"/> and returns its one output.</summary>
    public string Node(string op, string path, IEnumerable<string> inputs, params AttributeProto[] attributes)
    {
        var output = Unique(path.Length == 0 ? op : path + "/" + op);
        var node = new NodeProto { OpType = op, Name = output };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        node.Attribute.AddRange(attributes);
        Nodes.Add(node);
        return output;
    }

    /// <summary>As <see cref="Node(string, string, IEnumerable{string}, AttributeProto[])"/>, writing to a given value name.</summary>
    public void NodeTo(string output, string op, string path, IEnumerable<string> inputs, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = op, Name = Unique(path + "/" + op) };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        node.Attribute.AddRange(attributes);
        Nodes.Add(node);
    }

    /// <summary>The initializer of a layer's tensor named <paramref name="name"/> (<c>weight</c>,
    /// <c>running_mean</c>, or "" for a parameter-only layer), under its <c>state_dict</c> key.</summary>
    /// <exception cref="ExportException">The layer owns no such tensor, or the weights lack it.</exception>
    public string Weight(LayerInfo layer, string name)
    {
        var spec = layer.Tensors.FirstOrDefault(t => t.Name == name)
            ?? throw new ExportException($"`{layer.Path}` ({layer.Spec?.Kind}) has no tensor `{name}`");
        var key = spec.KeyAt(layer.Path);
        if (!weights.TryGetValue(key, out var tensor)) throw new ExportException($"the weights have no `{key}`");
        if (initialized.Add(key))
        {
            names.Add(key);
            Initializers.Add(Tensor(key, tensor));
        }

        return key;
    }

    public string Floats(string hint, IReadOnlyList<long> dims, params float[] values) =>
        Constant(hint, StateTensor.FromFloats(dims, values));

    public string Float(float value) => Floats("const", Array.Empty<long>(), value);

    public string Longs(string hint, params long[] values)
    {
        var bytes = new byte[values.Length * sizeof(long)];
        Buffer.BlockCopy(values, 0, bytes, 0, bytes.Length);
        return Constant(hint, new StateTensor(new[] { (long)values.Length }, StateElementType.Int64, bytes));
    }

    /// <summary>Mean over <paramref name="axes"/>: the axes are an attribute up to opset 17 and an input from 18.</summary>
    public string ReduceMean(string path, string x, long[] axes, bool keepDims) => Opset >= 18
        ? Node("ReduceMean", path, new[] { x, Longs("axes", axes) }, Int("keepdims", keepDims ? 1 : 0))
        : Node("ReduceMean", path, new[] { x }, Ints("axes", axes), Int("keepdims", keepDims ? 1 : 0));

    /// <summary>Sum over <paramref name="axes"/> (an input since opset 13).</summary>
    public string ReduceSum(string path, string x, long[] axes, bool keepDims) =>
        Node("ReduceSum", path, new[] { x, Longs("axes", axes) }, Int("keepdims", keepDims ? 1 : 0));

    /// <summary><paramref name="x"/> with size-1 dimensions inserted at <paramref name="axes"/> (an input since opset 13).</summary>
    public string Unsqueeze(string path, string x, params long[] axes) => Node("Unsqueeze", path, new[] { x, Longs("axes", axes) });

    public static AttributeProto Int(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static AttributeProto Ints(string name, params long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }

    public static AttributeProto Float(string name, double value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = (float)value };

    public static AttributeProto String(string name, string value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(value) };

    private string Constant(string hint, StateTensor tensor)
    {
        var name = Unique("const/" + hint + "_" + (constants++).ToString(CultureInfo.InvariantCulture));
        Initializers.Add(Tensor(name, tensor));
        return name;
    }

    private static TensorProto Tensor(string name, StateTensor tensor)
    {
        var proto = new TensorProto
        {
            Name = name,
            DataType = (int)(tensor.ElementType == StateElementType.Int64 ? TensorProto.Types.DataType.Int64 : TensorProto.Types.DataType.Float),
            // No copy: the weights outlive the model proto, which is written before they are released.
            RawData = UnsafeByteOperations.UnsafeWrap(tensor.Data),
        };
        proto.Dims.AddRange(tensor.Shape);
        return proto;
    }
}
