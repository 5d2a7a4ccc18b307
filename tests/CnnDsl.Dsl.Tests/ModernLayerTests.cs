using System.Linq;
using CnnDsl.Dsl.Analysis;
using CnnDsl.Dsl.Diagnostics;
using CnnDsl.Dsl.Layers;
using Xunit;
using static CnnDsl.Dsl.Tests.TestSupport;

namespace CnnDsl.Dsl.Tests;

/// <summary>The activations, normalisations, stochastic depth, layer scale and permutations of
/// today's CNNs: shapes, tensors and keys as PyTorch has them, counts and costs worked by hand,
/// and a located diagnostic for each misuse.</summary>
public class ModernLayerTests
{
    private static long[] Dims(Shape shape) => shape.Dimensions.ToArray();

    private static Diagnostic SingleError(string source)
    {
        var result = Compile(source);
        return Assert.Single(result.Diagnostics);
    }

    private static long Cost(ModelInfo model, string path, string preset)
    {
        Assert.True(Counting.TryParse(preset, out var counting, out var error), error);
        return counting.SelfCost(model.Layer(path));
    }

    [Theory]
    [InlineData("relu6", "ReLU6")]
    [InlineData("hardswish", "Hardswish")]
    [InlineData("hardsigmoid", "Hardsigmoid")]
    [InlineData("silu", "SiLU")]
    [InlineData("mish", "Mish")]
    [InlineData("gelu", "GELU")]
    [InlineData("gelu(approximate: tanh)", "GELU")]
    [InlineData("gelu(approximate: \"tanh\")", "GELU")]
    [InlineData("gelu(approximate: none)", "GELU")]
    [InlineData("leaky_relu(0.2)", "LeakyReLU")]
    [InlineData("elu(alpha: 0.5)", "ELU")]
    public void Activations_keep_the_shape_own_nothing_and_count_one_per_element(string layer, string module)
    {
        foreach (var input in new[] { "3x5x7", "3x5x7 -> flatten", "3x5x7 -> permute(0, 2, 3, 1)" })
        {
            var parts = input.Split(" -> ", 2);
            var model = Model($"model M input {parts[0]} = {(parts.Length > 1 ? parts[1] + " -> " : "")}act: {layer}");
            var act = model.Layer("act");
            Assert.Equal(module, act.TypeName);
            Assert.Equal(act.Input, act.Output);
            Assert.Equal(0, act.Parameters);
            Assert.Empty(act.Tensors);
            Assert.Equal(105, Cost(model, "act", "act"));
            Assert.Equal(0, Cost(model, "act", "fvcore"));
            Assert.Equal(0, Cost(model, "act", "torchinfo"));
        }
    }

    [Theory]
    [InlineData("relu6", 105)]
    [InlineData("gelu", 105)]
    [InlineData("leaky_relu", 105)]
    [InlineData("elu", 105)]
    [InlineData("hardswish", 0)]
    [InlineData("hardsigmoid", 0)]
    [InlineData("silu", 0)]
    [InlineData("mish", 0)]
    public void Ptflops_counts_only_the_activations_in_its_module_table(string layer, long expected)
    {
        var model = Model($"model M input 3x5x7 = act: {layer}");
        Assert.Equal(expected, Cost(model, "act", "ptflops"));
    }

    [Fact]
    public void Gelu_tanh_is_passed_as_torchsharps_enum_and_the_exact_form_takes_the_default()
    {
        var model = Model("model M input 3x4x4 = exact: gelu -> approx: gelu(approximate: tanh)");
        Assert.Empty(model.Layer("exact").Spec!.Recipe(model.Layer("exact").Input).Arguments);
        var argument = Assert.Single(model.Layer("approx").Spec!.Recipe(model.Layer("approx").Input).Arguments);
        Assert.Equal(new RecipeArgument("approximate", new EnumArgument("TorchSharp.Modules.GELU.Approximate", "tanh")), argument);
    }

    [Fact]
    public void Gelu_refuses_another_approximation()
    {
        var error = SingleError("model M input 3x4x4 = gelu(approximate: relu)");
        Assert.Equal(DiagnosticCodes.ArgumentType, error.Descriptor);
        Assert.Contains("`approximate` of gelu must be `none` or `tanh`", error.Message);
    }

    [Fact]
    public void Prelu_owns_one_slope_or_one_per_channel()
    {
        var model = Model("model M input 6x5x5 = shared: prelu -> channel: prelu(per_channel: true, init: 0.1) -> flatten -> flat: prelu(per_channel: true)");
        Assert.Equal(new long[] { 1 }, Assert.Single(model.Layer("shared").Tensors).Shape);
        Assert.Equal(new long[] { 6 }, Assert.Single(model.Layer("channel").Tensors).Shape);
        Assert.Equal(new long[] { 150 }, Assert.Single(model.Layer("flat").Tensors).Shape);
        Assert.Equal(new[] { "shared.weight", "channel.weight", "flat.weight" }, model.Keys());
        Assert.Equal(1 + 6 + 150, model.Parameters);
        // ptflops' table has PReLU; torchinfo counts its weight once.
        Assert.Equal(150, Cost(model, "channel", "ptflops"));
        Assert.Equal(6, Cost(model, "channel", "torchinfo"));
    }

    [Fact]
    public void Prelu_per_channel_refuses_a_channels_last_map()
    {
        var error = SingleError("model M input 6x5x5 = permute(0, 2, 3, 1) -> prelu(per_channel: true)");
        Assert.Equal(DiagnosticCodes.LayoutMismatch, error.Descriptor);
        Assert.Contains("receives the channels-last tensor 5x5x6 (HxWxC)", error.Message);
    }

    [Fact]
    public void Layernorm_is_layernorm2d_on_a_feature_map_and_layernorm_on_the_last_dimension_otherwise()
    {
        var model = Model("model M input 8x4x6 = image: layernorm(eps: 1e-6) -> permute(0, 2, 3, 1) -> last: layernorm -> permute(0, 3, 1, 2) -> flatten -> flat: layernorm");
        Assert.Equal("LayerNorm2d", model.Layer("image").TypeName);
        Assert.Equal("LayerNorm", model.Layer("last").TypeName);
        Assert.Equal("LayerNorm", model.Layer("flat").TypeName);
        Assert.Equal(new long[] { 8 }, model.Layer("image").Tensors[0].Shape);
        Assert.Equal(new long[] { 8 }, model.Layer("last").Tensors[1].Shape);
        Assert.Equal(new long[] { 192 }, model.Layer("flat").Tensors[0].Shape);
        Assert.Equal(2 * 8 + 2 * 8 + 2 * 192, model.Parameters);
        Assert.Equal(ModuleSource.Runtime, model.Layer("image").Spec!.Recipe(model.Layer("image").Input).Source);

        // 192 elements: CnnDsl and fvcore 5 each (fvcore's norm rule with its affine weight);
        // ptflops 1 each for nn.LayerNorm, none for LayerNorm2d (a subclass: not in its table).
        Assert.Equal(960, Cost(model, "image", "norm"));
        Assert.Equal(960, Cost(model, "last", "fvcore"));
        Assert.Equal(0, Cost(model, "image", "ptflops"));
        Assert.Equal(192, Cost(model, "last", "ptflops"));
        Assert.Equal(16, Cost(model, "image", "torchinfo"));
    }

    [Fact]
    public void Groupnorm_and_instancenorm_tensors_and_costs()
    {
        var model = Model("model M input 8x4x4 = group: groupnorm(4) -> plain: instancenorm -> full: instancenorm(affine: true, track_running_stats: true, eps: 1e-3)");
        Assert.Equal(new[] { "group.weight", "group.bias", "full.weight", "full.bias", "full.running_mean", "full.running_var", "full.num_batches_tracked" }, model.Keys());
        Assert.Equal(16 + 16, model.Parameters);
        Assert.Equal(8 + 8 + 1, model.Buffers);
        // 128 elements: with the affine transform 5 each, without 4; ptflops 2 with `affine`, 1 without.
        Assert.Equal(640, Cost(model, "group", "norm"));
        Assert.Equal(512, Cost(model, "plain", "fvcore"));
        Assert.Equal(640, Cost(model, "full", "fvcore"));
        Assert.Equal(256, Cost(model, "group", "ptflops"));
        Assert.Equal(128, Cost(model, "plain", "ptflops"));
        Assert.Equal(256, Cost(model, "full", "ptflops"));
        Assert.Equal("GroupNorm", model.Layer("group").TypeName);
        Assert.Equal("InstanceNorm2d", model.Layer("plain").TypeName);
    }

    [Fact]
    public void Groupnorm_groups_must_divide_the_channels()
    {
        var error = SingleError("model M input 6x4x4 = conv(10, 1) -> groupnorm(4)");
        Assert.Equal(DiagnosticCodes.GroupsDoNotDivide, error.Descriptor);
        Assert.Equal("in `1`: groupnorm with 4 groups needs channels divisible by 4, but its input has 10", error.Message);
        Assert.Equal("this gives 10x4x4", Assert.Single(error.Related).Label);
    }

    [Fact]
    public void Instancenorm_needs_a_feature_map()
    {
        Assert.Equal(DiagnosticCodes.NeedsSpatialInput, SingleError("model M input 6x4x4 = flatten -> instancenorm").Descriptor);
    }

    [Fact]
    public void Stochastic_depth_owns_nothing_costs_nothing_and_reads_its_mode()
    {
        var model = Model("model M input 4x4x4 = row: stochastic_depth(0.25) -> whole: stochastic_depth(0.5, mode: batch)");
        Assert.Equal(new StochasticDepthSpec(0.25, false), model.Layer("row").Spec);
        Assert.Equal(new StochasticDepthSpec(0.5, true), model.Layer("whole").Spec);
        Assert.Equal(0, Cost(model, "row", "all"));
        Assert.Empty(model.Keys());
        var error = SingleError("model M input 4x4x4 = stochastic_depth(1.5)");
        Assert.Equal(DiagnosticCodes.InvalidValue, error.Descriptor);
    }

    [Fact]
    public void Layer_scale_parameter_is_keyed_by_the_layers_own_path_before_its_siblings()
    {
        var model = Model(@"
block scaled(c) = residual(body: (conv(c, 3, pad: 1) -> relu) -> gamma: layer_scale(0.5))
model M input 4x6x6 = stage: (scaled(4) -> scaled(4)) -> top: layer_scale");
        // PyTorch's order: a module's own parameters before its submodules' (the model's `top` first).
        Assert.Equal(new[]
        {
            "top",
            "stage.0.gamma", "stage.0.body.0.weight", "stage.0.body.0.bias",
            "stage.1.gamma", "stage.1.body.0.weight", "stage.1.body.0.bias",
        }, model.Keys());
        var gamma = model.Layer("stage.0.gamma");
        Assert.Equal(new long[] { 4, 1, 1 }, Assert.Single(gamma.Tensors).Shape);
        Assert.Equal("", gamma.Tensors[0].Name);
        Assert.Equal(ModuleRegistration.ParentParameter, gamma.Spec!.Recipe(gamma.Input).Registration);
        Assert.Equal(2 * (4 * 4 * 9 + 4 + 4) + 4, model.Parameters);
        Assert.Equal(144, Cost(model, "top", "mul"));
        Assert.Equal(0, Cost(model, "top", "torchinfo"));
    }

    [Theory]
    [InlineData("flatten -> layer_scale", "CNN0032")]
    [InlineData("permute(0, 2, 3, 1) -> layer_scale", "CNN0046")]
    public void Layer_scale_needs_a_channels_first_map(string layers, string code)
    {
        Assert.Equal(code, SingleError($"model M input 4x6x6 = {layers}").Code);
    }

    [Fact]
    public void Permute_to_channels_last_and_back()
    {
        var model = Model("model M input 96x7x5 = a: permute(0, 2, 3, 1) -> b: permute(0, 3, 1, 2)");
        var last = model.Layer("a").Output;
        Assert.True(last.IsChannelsLast);
        Assert.False(last.IsImage);
        Assert.Equal(new long[] { 7, 5, 96 }, Dims(last));
        Assert.Equal((96L, 7L, 5L), (last.Channels, last.Height, last.Width));
        Assert.Equal("7x5x96 (HxWxC)", last.ToString());
        Assert.Equal(Shape.Image(96, 7, 5), model.Output);
        Assert.NotEqual(Shape.Image(7, 5, 96), last);
        Assert.Equal(0, Cost(model, "a", "all"));
    }

    [Theory]
    [InlineData("permute(0, 1, 3, 2)", "CNN0018")]
    [InlineData("permute(0, 3, 1, 2)", "CNN0046")]
    [InlineData("flatten -> permute(0, 2, 3, 1)", "CNN0032")]
    [InlineData("permute(0, 2, 3, 1) -> permute(0, 2, 3, 1)", "CNN0046")]
    [InlineData("permute(0, 2, 3, 1) -> conv(4, 1)", "CNN0046")]
    [InlineData("permute(0, 2, 3, 1) -> maxpool(2)", "CNN0046")]
    [InlineData("permute(0, 2, 3, 1) -> batchnorm", "CNN0046")]
    [InlineData("permute(0, 2, 3, 1) -> groupnorm(2)", "CNN0046")]
    [InlineData("permute(0, 2, 3, 1) -> upsample", "CNN0046")]
    [InlineData("concat [permute(0, 2, 3, 1), permute(0, 2, 3, 1)]", "CNN0039")]
    public void Misused_permutations_and_channels_last_maps_are_located_errors(string layers, string code)
    {
        var error = SingleError($"model M input 4x6x6 = {layers}");
        Assert.Equal(code, error.Code);
    }

    [Fact]
    public void A_convolution_after_a_channels_last_map_says_how_to_put_the_channels_back()
    {
        var error = SingleError("model M input 4x6x6 = permute(0, 2, 3, 1) -> conv(8, 3)");
        Assert.Equal("in `1`: conv needs a CxHxW input but receives the channels-last tensor 6x6x4 (HxWxC)", error.Message);
        Assert.Equal("insert `permute(0, 3, 1, 2)` before it to put the channels first again", error.Help);
        Assert.Equal("this gives 6x6x4 (HxWxC)", Assert.Single(error.Related).Label);
    }

    [Fact]
    public void Linear_on_a_channels_last_map_applies_at_each_position()
    {
        var model = Model("model M input 8x5x7 = permute(0, 2, 3, 1) -> fc: linear(32) -> relu -> back: linear(8, bias: false) -> permute(0, 3, 1, 2)");
        var fc = model.Layer("fc");
        Assert.Equal(new long[] { 5, 7, 32 }, Dims(fc.Output));
        Assert.True(fc.Output.IsChannelsLast);
        Assert.Equal(new long[] { 32, 8 }, fc.Tensors[0].Shape);
        Assert.Equal(8 * 32 + 32, fc.Parameters);
        Assert.Equal(35 * 8 * 32, fc.MultiplyAdds);          // per position, as torchvision counts ConvNeXt
        Assert.Equal(35 * 32 * 8, model.Layer("back").MultiplyAdds);
        Assert.Equal(35 * 8 * 32 + 32, Cost(model, "fc", "ptflops")); // ptflops adds the bias once per call
        Assert.Equal(8 * 32 + 32, Cost(model, "fc", "torchinfo"));
        Assert.False(fc.ReceptiveField.Global);               // still one position's view
        Assert.Equal(Shape.Image(8, 5, 7), model.Output);
    }

    [Fact]
    public void Flatten_of_a_channels_last_map_gives_its_elements_as_features()
    {
        Assert.Equal(new long[] { 60 }, Dims(Model("model M input 4x3x5 = permute(0, 2, 3, 1) -> flatten").Output));
    }

    [Fact]
    public void In_place_rules_follow_what_each_backward_reads()
    {
        var model = Model("model M input 4x4x4 = a: relu6 -> b: hardswish -> c: layer_scale -> d: stochastic_depth(0.1) -> e: permute(0, 2, 3, 1)");
        Assert.Equal(new InPlaceRule(true, "relu6_"), model.Layer("a").Spec!.InPlace);
        Assert.False(model.Layer("b").Spec!.InPlace.OutputNeededByBackward);
        Assert.Null(model.Layer("b").Spec!.InPlace.Method);
        Assert.False(model.Layer("c").Spec!.InPlace.OutputNeededByBackward);
        // Identity-like layers hand on their input (in eval mode) or a view of it: never overwritten.
        Assert.Equal(InPlaceRule.Never, model.Layer("d").Spec!.InPlace);
        Assert.Equal(InPlaceRule.Never, model.Layer("e").Spec!.InPlace);
    }

    [Fact]
    public void Convnext_keys_start_like_torchvisions()
    {
        var keys = ArchitectureModel("convnext.cnn", "ConvNeXtTiny").Keys();
        Assert.Equal(new[]
        {
            "features.0.0.weight", "features.0.0.bias", "features.0.1.weight", "features.0.1.bias",
            "features.1.0.layer_scale", "features.1.0.block.0.weight", "features.1.0.block.0.bias",
            "features.1.0.block.2.weight", "features.1.0.block.2.bias", "features.1.0.block.3.weight",
            "features.1.0.block.3.bias", "features.1.0.block.5.weight", "features.1.0.block.5.bias",
        }, keys.Take(13));
        Assert.Equal(new[] { "classifier.0.weight", "classifier.0.bias", "classifier.2.weight", "classifier.2.bias" }, keys.TakeLast(4));
        Assert.Contains("features.6.1.weight", keys);
        Assert.Equal(182, keys.Length);
    }

    [Fact]
    public void Convnext_drop_probability_grows_linearly_over_all_blocks()
    {
        // torchvision: stochastic_depth_prob * block_id / (total_blocks - 1), block_id counting
        // every block of every stage (ConvNeXt-Small: 3 + 3 + 27 + 3 = 36 blocks, 0.4).
        var model = ArchitectureModel("convnext.cnn", "ConvNeXtSmall");
        var probabilities = model.Layers.Select(l => l.Spec).OfType<StochasticDepthSpec>().Select(s => s.Probability).ToList();
        Assert.Equal(36, probabilities.Count);
        for (var id = 0; id < 36; id++) Assert.Equal(0.4 * id / 35.0, probabilities[id]);
        Assert.Equal(0.4, probabilities[^1], 15);
    }
}
