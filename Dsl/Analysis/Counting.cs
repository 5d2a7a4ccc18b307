using System;
using System.Collections.Generic;
using System.Linq;
using CnnDsl.Dsl.Layers;

namespace CnnDsl.Dsl.Analysis;

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
        (CostCategory.Normalization, "norm"),
        (CostCategory.Lrn, "lrn"),
        (CostCategory.Activation, "act"),
        (CostCategory.Pooling, "pool"),
        (CostCategory.Upsample, "upsample"),
        (CostCategory.Addition, "add"),
        (CostCategory.Multiplication, "mul"),
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
                    new[] { CostCategory.Conv, CostCategory.Linear, CostCategory.Normalization, CostCategory.Pooling, CostCategory.Upsample },
                    "conv, linear, norm, adaptive average pooling, upsample (fvcore's convention)");
                return true;
            case PtflopsName:
                counting = new Counting(PtflopsName, Rules.Ptflops,
                    new[] { CostCategory.Conv, CostCategory.Linear, CostCategory.Normalization, CostCategory.Activation, CostCategory.Pooling, CostCategory.Upsample },
                    "conv and linear with bias, norm, relu, pooling, upsample (ptflops' convention)");
                return true;
            case TorchinfoName:
                counting = new Counting(TorchinfoName, Rules.Torchinfo,
                    CategoryNames.Select(c => c.Category),
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
            if (name == "bn") name = "norm"; // the name before layer, group and instance norm joined batch norm
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

    /// <summary>A node's own work under this counting: its cost for the convention's rules when
    /// its category is counted, 0 otherwise (containers have none of their own).</summary>
    public long SelfCost(LayerInfo node)
    {
        var cost = node.Cost;
        if (cost.Category == CostCategory.None || !Categories.Contains(cost.Category)) return 0;
        return _rules switch
        {
            Rules.Cnn => cost.Operations,
            Rules.Fvcore => cost.Fvcore,
            Rules.Ptflops => cost.Ptflops,
            Rules.Torchinfo => cost.Torchinfo,
            _ => throw new InvalidOperationException($"no rule for counting convention {_rules}"),
        };
    }
}
