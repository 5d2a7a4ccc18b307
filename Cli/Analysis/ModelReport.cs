using System.Collections.Generic;
using System.Linq;
using CnnDsl.Dsl.Analysis;
using CnnDsl.Dsl.Layers;

namespace CnnDsl.Cli.Analysis;

/// <summary>The element type sizes are reported in (<c>--dtype</c>).</summary>
public sealed record DataType(string Name, int Bytes)
{
    public static DataType Float32 { get; } = new("float32", 4);
    public static DataType Float16 { get; } = new("float16", 2);
    public static DataType BFloat16 { get; } = new("bfloat16", 2);

    public static IReadOnlyList<DataType> All { get; } = new[] { Float32, Float16, BFloat16 };

    public override string ToString() => Name;
}

/// <summary>How a summary counts: the batch size, the element type of every byte figure, and
/// what the multiply-adds include.</summary>
public sealed record ReportOptions(long Batch, DataType DataType, Counting Counting)
{
    public static ReportOptions Default { get; } = new(1, DataType.Float32, Counting.Torchvision);
}

/// <summary>Memory figures with torchinfo's conventions (docs/cli.md): the input tensor; the
/// outputs of every layer that has parameters, twice (forward value and its gradient); the
/// parameters; their sum. Buffers are counted apart and are not in the total, as in torchinfo.
/// Floating tensors are at the <c>--dtype</c>'s size, others at their own (an int64 counter: 8).</summary>
public sealed record MemoryFigures(long InputBytes, long ForwardBackwardBytes, long ParameterBytes, long BufferBytes)
{
    public long EstimatedTotalBytes => checked(InputBytes + ForwardBackwardBytes + ParameterBytes);
}

/// <summary>A figure of a summary that does not fit in 64 bits at the options asked for.</summary>
public sealed class FigureOverflowException : System.OverflowException
{
    public FigureOverflowException(string figure)
        : base($"the {figure} would not fit in 64 bits") => Figure = figure;

    /// <summary>What overflowed, as the summary names it: "FLOPs", "forward/backward pass size".</summary>
    public string Figure { get; }
}

/// <summary>A Dsl-analysed model with the figures a summary reports at a batch size, element
/// type and counting convention: every node's multiply-adds and FLOPs (its own and with its
/// contents), whether it trains, and the model's memory. Shapes and parameters come from the Dsl
/// as they are. Every figure is computed here, up front and in checked arithmetic, so that a
/// renderer only reads: a figure beyond 64 bits stops the report before anything is printed
/// (<see cref="FigureOverflowException"/>, naming the figure), never halfway through a table.</summary>
public sealed class ModelReport
{
    private readonly Dictionary<LayerInfo, long> _self = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<LayerInfo, long> _total = new(ReferenceEqualityComparer.Instance);

    /// <exception cref="FigureOverflowException">A figure does not fit in 64 bits.</exception>
    public ModelReport(ModelInfo model, ReportOptions options, Shape? declaredInput = null)
    {
        Model = model;
        Options = options;
        DeclaredInput = declaredInput ?? model.Input;
        Figure("multiply-adds", () => Total(model.Root));
        // A node's own work is part of its total, so the totals bound every FLOPs figure.
        Figure("FLOPs", () => _total.Values.Max(macs => checked(2 * macs)));
        Memory = ComputeMemory();
    }

    public ModelInfo Model { get; }
    public ReportOptions Options { get; }

    /// <summary>The input the file declares; differs from <c>Model.Input</c> under <c>--input</c>.</summary>
    public Shape DeclaredInput { get; }

    public bool InputOverridden => !DeclaredInput.Equals(Model.Input);

    /// <summary>Multiply-adds of the whole model for the whole batch (auxiliary heads not included).</summary>
    public long MultiplyAdds => _total[Model.Root];

    /// <summary>Floating-point operations of the whole model for the whole batch: 2 per multiply-add.</summary>
    public long Flops => 2 * MultiplyAdds;

    /// <summary>Trainable parameters; every parameter the language declares trains.</summary>
    public long TrainableParameters => Model.Parameters;

    public long NonTrainableParameters => 0;

    public MemoryFigures Memory { get; }

    /// <summary>A node's own multiply-adds for the batch: a layer's work, a merge's addition or
    /// concatenation; 0 for a group.</summary>
    public long SelfMacs(LayerInfo node) => _self[node];

    /// <summary>A node's multiply-adds with everything inside it, for the batch (auxiliary heads
    /// inside it excepted, as with the Dsl's parameter sums).</summary>
    public long Macs(LayerInfo node) => _total[node];

    /// <summary>A node's own FLOPs for the batch (2 per multiply-add); checked when the report was made.</summary>
    public long SelfFlops(LayerInfo node) => 2 * _self[node];

    /// <summary>A node's FLOPs with everything inside it, for the batch; checked when the report was made.</summary>
    public long FlopsOf(LayerInfo node) => 2 * _total[node];

    /// <summary><c>yes</c> when a node holds parameters (all of them train), <c>frozen</c> when
    /// it holds only fixed state (LeNet-1998's RBF codes), <c>-</c> when it holds nothing.</summary>
    public static string Trainable(LayerInfo node) =>
        node.Parameters > 0 || node.AuxiliaryParameters > 0 ? "yes" : node.Buffers > 0 ? "frozen" : "-";

    private static long Figure(string name, System.Func<long> compute)
    {
        try
        {
            return compute();
        }
        catch (System.OverflowException e) when (e is not FigureOverflowException)
        {
            throw new FigureOverflowException(name);
        }
    }

    private long Total(LayerInfo node)
    {
        var own = checked(Options.Counting.SelfCost(node) * Options.Batch);
        _self[node] = own;
        var sum = own;
        foreach (var part in Parts(node))
        {
            var inner = Total(part);
            if (part.Kind != NodeKind.Auxiliary) sum = checked(sum + inner);
        }

        _total[node] = sum;
        return sum;
    }

    private static IEnumerable<LayerInfo> Parts(LayerInfo node) =>
        node.Shortcut is null ? node.Children : node.Children.Append(node.Shortcut);

    private MemoryFigures ComputeMemory()
    {
        var bytes = Options.DataType.Bytes;
        var batch = Options.Batch;
        var activations = Figure("forward/backward pass size", () =>
        {
            long sum = 0;
            foreach (var layer in InferenceLayers(Model.Root))
            {
                // torchinfo counts the output of each layer that has parameters, twice: the value
                // kept for the backward pass and its gradient.
                if (layer.Parameters > 0) sum = checked(sum + 2 * layer.Output.Elements);
            }

            return checked(batch * sum * bytes);
        });
        // Each tensor at its own element type: batch norm's num_batches_tracked is an int64 at
        // any --dtype. Parameters exclude the auxiliary heads' (as the Dsl's count does);
        // buffers include them (as the Dsl's count does).
        var inference = InferenceLayers(Model.Root).ToList();
        var figures = new MemoryFigures(
            Figure("input size", () => checked(batch * Model.Input.Elements * bytes)),
            activations,
            Figure("params size", () => inference.SelectMany(l => l.Tensors).Where(t => t.Role == TensorRole.Parameter).Sum(t => t.Bytes(bytes))),
            Figure("buffers size", () => Model.Layers.SelectMany(l => l.Tensors).Where(t => t.Role == TensorRole.Buffer).Sum(t => t.Bytes(bytes))));
        Figure("estimated total size", () => figures.EstimatedTotalBytes);
        return figures;
    }

    /// <summary>The layers an inference pass runs: every layer outside auxiliary heads.</summary>
    private static IEnumerable<LayerInfo> InferenceLayers(LayerInfo node)
    {
        if (node.Kind == NodeKind.Auxiliary) yield break;
        if (!node.IsGroup) yield return node;
        foreach (var part in Parts(node))
        {
            foreach (var layer in InferenceLayers(part)) yield return layer;
        }
    }
}
