using System;
using System.Collections.Generic;
using System.Linq;
using CnnDsl.Dsl.Analysis;
using CnnDsl.Dsl.Layers;

namespace CnnDsl.Cli.Analysis;

/// <summary>The kinds of work a multiply-add count can include (<c>--count</c>).</summary>
public enum CostCategory
{
    /// <summary><c>conv</c>: convolutions (also transposed, LeNet's partial C3 and its trainable subsampling).</summary>
    Conv,

    /// <summary><c>linear</c>: fully connected layers (and LeNet's RBF output).</summary>
    Linear,

    /// <summary><c>bn</c>: batch norm.</summary>
    BatchNorm,

    /// <summary><c>lrn</c>: local response normalisation.</summary>
    Lrn,

    /// <summary><c>act</c>: activations (ReLU, sigmoid, tanh, scaled tanh, softmax).</summary>
    Activation,

    /// <summary><c>pool</c>: max, average and adaptive average pooling.</summary>
    Pooling,

    /// <summary><c>upsample</c>: nearest and bilinear upsampling.</summary>
    Upsample,

    /// <summary><c>add</c>: the addition that ends a residual block.</summary>
    Addition,

    /// <summary><c>concat</c>: joining branches (Inception) or a dense layer's output to its input.</summary>
    Concatenation,
}

/// <summary>What a multiply-add count includes and how each operation is costed: CnnDsl's own
/// rules for any set of categories, or a preset reproducing another tool's conventions
/// (docs/cli.md, "What is counted"). Every figure derives from the shapes and tensors the Dsl
/// analysis gives; convolution and linear multiply-adds are the Dsl's own.</summary>
public sealed class Counting
{
    public const string TorchvisionName = "torchvision";
    public const string FvcoreName = "fvcore";
    public const string PtflopsName = "ptflops";
    public const string TorchinfoName = "torchinfo";
    public const string AllName = "all";

    /// <summary>The <c>--count</c> name of each category, in the order they are listed.</summary>
    public static IReadOnlyList<(CostCategory Category, string Name)> CategoryNames { get; } = new[]
    {
        (CostCategory.Conv, "conv"),
        (CostCategory.Linear, "linear"),
        (CostCategory.BatchNorm, "bn"),
        (CostCategory.Lrn, "lrn"),
        (CostCategory.Activation, "act"),
        (CostCategory.Pooling, "pool"),
        (CostCategory.Upsample, "upsample"),
        (CostCategory.Addition, "add"),
        (CostCategory.Concatenation, "concat"),
    };

    public static IReadOnlyList<string> PresetNames { get; } = new[] { TorchvisionName, FvcoreName, PtflopsName, TorchinfoName, AllName };

    private enum Rules
    {
        Cnn,
        Fvcore,
        Ptflops,
        Torchinfo,
    }

    private readonly Rules _rules;

    private Counting(string name, Rules rules, IEnumerable<CostCategory> categories, string description)
    {
        Name = name;
        _rules = rules;
        Categories = categories.Distinct().OrderBy(c => c).ToList();
        Description = description;
    }

    /// <summary>The preset's name, or <c>custom</c> for a list of categories.</summary>
    public string Name { get; }

    /// <summary>The categories counted, in the order of <see cref="CategoryNames"/>.</summary>
    public IReadOnlyList<CostCategory> Categories { get; }

    /// <summary>One line saying what is counted, for the summary's footer.</summary>
    public string Description { get; }

    public bool IsPreset => Name != "custom";

    public override string ToString() => Name;

    /// <summary>The default: convolution and linear multiply-accumulates, as torchvision's
    /// "GFLOPS" column and the Dsl's figures.</summary>
    public static Counting Torchvision { get; } =
        new(TorchvisionName, Rules.Cnn, new[] { CostCategory.Conv, CostCategory.Linear }, "conv, linear (torchvision's convention)");

    /// <summary>Parses <c>--count</c>: a preset name or a comma-separated list of categories.</summary>
    public static bool TryParse(string text, out Counting counting, out string error)
    {
        counting = Torchvision;
        error = "";
        var value = text.Trim();
        switch (value.ToLowerInvariant())
        {
            case TorchvisionName:
                return true;
            case FvcoreName:
                counting = new Counting(FvcoreName, Rules.Fvcore,
                    new[] { CostCategory.Conv, CostCategory.Linear, CostCategory.BatchNorm, CostCategory.Pooling, CostCategory.Upsample },
                    "conv, linear, bn, adaptive average pooling, upsample (fvcore's convention)");
                return true;
            case PtflopsName:
                counting = new Counting(PtflopsName, Rules.Ptflops,
                    new[] { CostCategory.Conv, CostCategory.Linear, CostCategory.BatchNorm, CostCategory.Activation, CostCategory.Pooling, CostCategory.Upsample },
                    "conv and linear with bias, bn, relu, pooling, upsample (ptflops' convention)");
                return true;
            case TorchinfoName:
                counting = new Counting(TorchinfoName, Rules.Torchinfo,
                    new[] { CostCategory.Conv, CostCategory.Linear, CostCategory.BatchNorm },
                    "every parameter once per output position (torchinfo's convention)");
                return true;
            case AllName:
                counting = new Counting(AllName, Rules.Cnn, CategoryNames.Select(c => c.Category),
                    "every category: " + string.Join(", ", CategoryNames.Select(c => c.Name)));
                return true;
        }

        var categories = new List<CostCategory>();
        foreach (var part in value.Split(','))
        {
            var name = part.Trim().ToLowerInvariant();
            var match = CategoryNames.Where(c => c.Name == name).Select(c => (CostCategory?)c.Category).FirstOrDefault();
            if (match is null)
            {
                error = $"--count takes a preset ({string.Join(", ", PresetNames)}) or a comma-separated list of "
                    + $"{string.Join(", ", CategoryNames.Select(c => c.Name))}, not '{text}'";
                return false;
            }

            categories.Add(match.Value);
        }

        var list = categories.Distinct().OrderBy(c => c).ToList();
        counting = new Counting("custom", Rules.Cnn, list, string.Join(", ", list.Select(NameOf)));
        return true;
    }

    public static string NameOf(CostCategory category) => CategoryNames.First(c => c.Category == category).Name;

    /// <summary>The category a node's own work falls in, or null when it computes nothing worth
    /// counting (dropout, flatten, identity, groups).</summary>
    public static CostCategory? CategoryOf(LayerInfo node) => node.Kind switch
    {
        NodeKind.Residual => CostCategory.Addition,
        NodeKind.Concat or NodeKind.Dense => CostCategory.Concatenation,
        NodeKind.Layer => node.Spec switch
        {
            Conv2dSpec or ConvTranspose2dSpec or SubsamplingSpec => CostCategory.Conv,
            LinearSpec or RbfSpec => CostCategory.Linear,
            BatchNormSpec => CostCategory.BatchNorm,
            LocalResponseNormSpec => CostCategory.Lrn,
            ActivationSpec or ScaledTanhSpec => CostCategory.Activation,
            Pool2dSpec or AdaptiveAvgPool2dSpec => CostCategory.Pooling,
            UpsampleSpec => CostCategory.Upsample,
            _ => null,
        },
        _ => null,
    };

    /// <summary>The multiply-adds of a node's own work (not its children's) for one sample.</summary>
    public long SelfCost(LayerInfo node)
    {
        if (CategoryOf(node) is not { } category || !Categories.Contains(category)) return 0;
        return _rules switch
        {
            Rules.Fvcore => Fvcore(node, category),
            Rules.Ptflops => Ptflops(node, category),
            Rules.Torchinfo => Torchinfo(node),
            _ => Cnn(node, category),
        };
    }

    /// <summary>CnnDsl's rules: the Dsl's multiply-adds for weighted layers; one operation per
    /// element for element-wise work; a window's size per output for pooling.</summary>
    private static long Cnn(LayerInfo node, CostCategory category)
    {
        var input = node.Input.Elements;
        var output = node.Output.Elements;
        return category switch
        {
            CostCategory.Conv or CostCategory.Linear => node.MultiplyAdds,
            CostCategory.BatchNorm => output,
            CostCategory.Lrn => checked(output * ((LocalResponseNormSpec)node.Spec!).Size),
            CostCategory.Activation => output,
            CostCategory.Pooling => node.Spec is Pool2dSpec pool ? checked(output * pool.Kernel.H * pool.Kernel.W) : input,
            CostCategory.Upsample => ((UpsampleSpec)node.Spec!).Mode == UpsampleMode.Bilinear ? checked(4 * output) : output,
            CostCategory.Addition => output,
            CostCategory.Concatenation => output,
            _ => 0,
        };
    }

    /// <summary>fvcore's FlopCountAnalysis in eval mode: convolution and matrix products without
    /// bias, batch norm 2 per input element, adaptive average pooling 1 per input element,
    /// upsampling 1 (nearest) or 4 (bilinear) per output element; nothing else.</summary>
    private static long Fvcore(LayerInfo node, CostCategory category)
    {
        var input = node.Input.Elements;
        var output = node.Output.Elements;
        return category switch
        {
            CostCategory.Conv or CostCategory.Linear => node.MultiplyAdds,
            CostCategory.BatchNorm => checked(2 * input),
            CostCategory.Pooling => node.Spec is AdaptiveAvgPool2dSpec ? input : 0,
            CostCategory.Upsample => ((UpsampleSpec)node.Spec!).Mode == UpsampleMode.Bilinear ? checked(4 * output) : output,
            _ => 0,
        };
    }

    /// <summary>ptflops' module hooks: convolutions with one add per output element for the bias
    /// (transposed ones counted over their output positions), linear layers plus their bias,
    /// batch norm 2 per element, ReLU 1 per element, every pooling 1 per input element,
    /// upsampling 1 per output element; nothing else.</summary>
    private static long Ptflops(LayerInfo node, CostCategory category)
    {
        var input = node.Input.Elements;
        var output = node.Output.Elements;
        switch (category)
        {
            case CostCategory.Conv:
                switch (node.Spec)
                {
                    case Conv2dSpec conv:
                        return checked(node.MultiplyAdds + (conv.Bias ? output : 0));
                    case ConvTranspose2dSpec transposed:
                        var positions = node.Output.Height * node.Output.Width;
                        var perPosition = checked(transposed.Kernel.H * transposed.Kernel.W * node.Input.Channels * (transposed.OutChannels / transposed.Groups));
                        return checked(positions * perPosition + (transposed.Bias ? output : 0));
                    default:
                        return node.MultiplyAdds;
                }

            case CostCategory.Linear:
                return checked(node.MultiplyAdds + (node.Spec is LinearSpec { Bias: true } ? output : 0));
            case CostCategory.BatchNorm:
                return checked(2 * input);
            case CostCategory.Activation:
                return node.Spec is ActivationSpec { Function: ActivationKind.ReLU } ? output : 0;
            case CostCategory.Pooling:
                return input;
            case CostCategory.Upsample:
                return output;
            default:
                return 0;
        }
    }

    /// <summary>torchinfo's "Mult-Adds": for a convolution, every parameter (weight and bias) once
    /// per output position; for any other layer with parameters, each parameter once.</summary>
    private static long Torchinfo(LayerInfo node)
    {
        if (node.Kind != NodeKind.Layer || node.Parameters == 0) return 0;
        return node.Spec is Conv2dSpec or ConvTranspose2dSpec
            ? checked(node.Parameters * node.Output.Height * node.Output.Width)
            : node.Parameters;
    }
}
