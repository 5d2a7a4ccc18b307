namespace CnnDsl.Dsl.Layers;

/// <summary>The work one layer or merge does for one sample, under each counting convention the
/// summaries offer (<c>--count</c>). <see cref="Operations"/> is CnnDsl's own count: one per
/// multiply-accumulate for conv and linear (torchvision's published figures), one per output
/// element for element-wise work. <see cref="Fvcore"/>, <see cref="Ptflops"/> and
/// <see cref="Torchinfo"/> follow those tools' rules (fvcore's FlopCountAnalysis handles,
/// ptflops' module hooks, torchinfo's "Mult-Adds"), documented in docs/cli.md.</summary>
public sealed record LayerCost(CostCategory Category, long Operations, long Fvcore, long Ptflops, long Torchinfo)
{
    /// <summary>Nothing counted under any convention.</summary>
    public static LayerCost None { get; } = new(CostCategory.None, 0, 0, 0, 0);

    /// <summary>Counted by CnnDsl's own rule only; fvcore, ptflops and torchinfo ignore it.</summary>
    public static LayerCost Own(CostCategory category, long operations) => new(category, operations, 0, 0, 0);
}
