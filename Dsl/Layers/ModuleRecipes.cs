using System;
using System.Linq;

namespace CnnDsl.Dsl.Layers;

/// <summary>The recipe of every layer kind, given the shape it receives.</summary>
public static class ModuleRecipes
{
    public static ModuleRecipe For(LayerSpec spec, Shape input) => spec switch
    {
        Conv2dSpec { Connections: { } table } c => Runtime("PartialConv2d",
            Positional(input.Channels), Positional(c.OutChannels), Named("kernel", c.Kernel), Named("stride", c.Stride),
            Named("padding", c.Padding), Named("connections", table.Select(row => row.ToArray()).ToArray()), Named("bias", c.Bias)),
        Conv2dSpec c => Torch("Conv2d",
            Positional(input.Channels), Positional(c.OutChannels), Named("kernel_size", c.Kernel), Named("stride", c.Stride),
            Named("padding", c.Padding), Named("dilation", c.Dilation), Named("groups", c.Groups), Named("bias", c.Bias)),
        ConvTranspose2dSpec t => Torch("ConvTranspose2d",
            Positional(input.Channels), Positional(t.OutChannels), Named("kernel_size", t.Kernel), Named("stride", t.Stride),
            Named("padding", t.Padding), Named("output_padding", t.OutputPadding), Named("dilation", t.Dilation),
            Named("groups", t.Groups), Named("bias", t.Bias)),
        Pool2dSpec { Pooling: PoolKind.Max } p => Torch("MaxPool2d",
            Named("kernel_size", p.Kernel), Named("stride", p.Stride), Named("padding", p.Padding),
            Named("dilation", p.Dilation), Named("ceil_mode", p.CeilMode)),
        Pool2dSpec p => Torch("AvgPool2d",
            Named("kernel_size", p.Kernel), Named("stride", p.Stride), Named("padding", p.Padding),
            Named("ceil_mode", p.CeilMode), Named("count_include_pad", p.CountIncludePad)),
        AdaptiveAvgPool2dSpec a => Torch("AdaptiveAvgPool2d", Positional(a.OutputSize)),
        LinearSpec l => Torch("Linear", Positional(input.Channels), Positional(l.OutFeatures), Named("hasBias", l.Bias)),
        FlattenSpec => Torch("Flatten"),
        IdentitySpec => Torch("Identity"),
        ActivationSpec { Function: ActivationKind.Softmax } s => Torch("Softmax", Named("dim", s.Dimension)),
        ActivationSpec a => Torch(a.Function.ToString()),
        DropoutSpec d => Torch("Dropout", Named("p", d.Probability)),
        BatchNormSpec b => Torch(input.IsImage ? "BatchNorm2d" : "BatchNorm1d",
            Positional(input.Channels), Named("eps", b.Epsilon), Named("momentum", b.Momentum)),
        LocalResponseNormSpec n => Torch("LocalResponseNorm",
            Positional(n.Size), Named("alpha", n.Alpha), Named("beta", n.Beta), Named("k", n.K)),
        UpsampleSpec u => u.Mode == UpsampleMode.Bilinear
            ? Torch("Upsample", Named("scale_factor", new[] { (double)u.Scale.H, u.Scale.W }),
                Named("mode", new EnumArgument("TorchSharp.torch.UpsampleMode", "Bilinear")), Named("align_corners", u.AlignCorners))
            : Torch("Upsample", Named("scale_factor", new[] { (double)u.Scale.H, u.Scale.W }),
                Named("mode", new EnumArgument("TorchSharp.torch.UpsampleMode", "Nearest"))),
        ScaledTanhSpec s => Runtime("ScaledTanh", Positional(s.Amplitude), Positional(s.Slope)),
        SubsamplingSpec s => Runtime("TrainableSubsampling", Positional(input.Channels), Positional(s.Kernel.H), Positional(s.Stride.H)),
        RbfSpec r => Runtime("RbfOutput", Positional(input.Channels), Positional(r.Classes)),
        _ => throw new NotSupportedException($"no module recipe for layer kind '{spec.Kind}'"),
    };

    private static ModuleRecipe Torch(string type, params RecipeArgument[] arguments) => new(ModuleSource.TorchSharp, type, arguments);

    private static ModuleRecipe Runtime(string type, params RecipeArgument[] arguments) => new(ModuleSource.Runtime, type, arguments);

    private static RecipeArgument Positional(object value) => new(null, value);

    private static RecipeArgument Named(string name, object value) => new(name, value);
}
