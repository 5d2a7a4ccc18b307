using System.Linq;
using CnnDsl.Dsl.Layers;
using CnnDsl.Dsl.Merges;
using Xunit;
using static CnnDsl.Dsl.Tests.TestSupport;

namespace CnnDsl.Dsl.Tests;

/// <summary><c>gate(body)</c>, <c>split [...]</c>, <c>channel_shuffle</c> and <c>channel_pad</c>:
/// shapes, names, counts and what the analysis tells the consumers (structure, branches and what
/// each branch reads), against figures worked out by hand in the comments.</summary>
public class GateAndSplitTests
{
    private const string SqueezeExcitation =
        "block se(channels, squeeze) = gate(avgpool: global_avgpool -> fc1: conv(squeeze, 1) -> activation: relu\n" +
        "  -> fc2: conv(channels, 1) -> scale_activation: sigmoid)\n";

    [Fact]
    public void A_squeeze_and_excitation_gate_has_torchvisions_names_and_counts()
    {
        var model = Model(SqueezeExcitation + "model M input 32x14x14 = conv(32, 1) -> relu -> se(32, 8) -> relu");
        // A block whose gate has labeled layers is a module of its own: numbered 2 like
        // torchvision's block.2, its layers directly under that number.
        Assert.Equal(new[] { "0.weight", "0.bias", "2.fc1.weight", "2.fc1.bias", "2.fc2.weight", "2.fc2.bias" }, model.Keys());
        // conv 32 * 32 + 32 = 1,056; fc1 32 * 8 + 8 = 264; fc2 8 * 32 + 32 = 288.
        Assert.Equal(1_056 + 264 + 288, model.Parameters);
        // conv: 14 * 14 * 32 * 32 = 200,704; fc1 and fc2 on a 1x1 map: 256 each.
        Assert.Equal(200_704 + 256 + 256, model.MultiplyAdds);
        Assert.Equal(new[] { 32L, 14, 14 }, model.Output.Dimensions);

        var gate = model.Merge("2");
        Assert.Same(Structure.Gate, gate.Structure);
        Assert.Equal("gate", gate.KindName);
        // The tensor the gate scales (the input itself, an empty branch), then the body.
        Assert.Equal(2, gate.Branches.Count);
        Assert.Empty(gate.Branches[0]);
        Assert.Equal(new[] { "2.avgpool", "2.fc1", "2.activation", "2.fc2", "2.scale_activation" }, gate.Branches[1].Select(l => l.Path));
        Assert.Equal(new[] { 32L, 1, 1 }, gate.Branches[1][^1].Output.Dimensions);
        // One multiplication per output element, counted only under `--count mul`.
        Assert.Equal(new LayerCost(CostCategory.Multiplication, 32 * 14 * 14, 0, 0, 0), gate.Cost);
        Assert.True(gate.ReceptiveField.Global); // the body's pooling sees the whole map
    }

    [Fact]
    public void A_labeled_gate_names_its_body_directly_under_its_label()
    {
        var model = Model("model M input 32x8x8 = se: gate(avgpool: global_avgpool -> fc1: conv(8, 1) -> activation: relu"
            + " -> fc2: conv(32, 1) -> scale_activation: sigmoid)");
        Assert.Equal(new[] { "se.fc1.weight", "se.fc1.bias", "se.fc2.weight", "se.fc2.bias" }, model.Keys());
    }

    [Fact]
    public void A_gate_broadcasts_along_channels_and_position_too()
    {
        // A one-channel spatial map scales every channel (size 1 along channels); a full-size
        // body multiplies element by element.
        Assert.Equal(new[] { 16L, 8, 8 }, Model("model M input 16x8x8 = gate(conv(1, 3, pad: 1) -> sigmoid)").Output.Dimensions);
        Assert.Equal(new[] { 16L, 8, 8 }, Model("model M input 16x8x8 = gate(conv(16, 1) -> sigmoid)").Output.Dimensions);
        Assert.Equal(new[] { 10L }, Model("model M input 3x4x4 = flatten -> linear(10) -> gate(linear(1) -> sigmoid)").Output.Dimensions);
    }

    [Fact]
    public void A_gate_whose_body_cannot_broadcast_points_at_the_body_and_the_input()
    {
        var diagnostic = Assert.Single(Compile("model M input 32x8x8 = gate(conv(16, 1))").Diagnostics);
        Assert.Equal("CNN0039", diagnostic.Code);
        Assert.Contains("scales 32x8x8 by 16x8x8", diagnostic.Message);
        Assert.Equal(new[] { "gate joins the body's output to the model's input, 32x8x8", "the body gives 16x8x8" },
            diagnostic.Related.Select(r => r.Label).OrderBy(l => l, System.StringComparer.Ordinal));
        // A feature vector cannot scale an image, whatever its size.
        Assert.Equal("CNN0039", Assert.Single(Compile("model M input 4x2x2 = gate(flatten -> linear(4))").Diagnostics).Code);
    }

    [Fact]
    public void Split_hands_each_branch_its_chunk_and_joins_their_outputs()
    {
        var model = Model("model M input 116x28x28 = split [identity, branch2: (conv(58, 1, bias: false) -> batchnorm -> relu)] -> channel_shuffle(2)");
        var split = model.Merge("");
        Assert.Same(Structure.Split, split.Structure);
        Assert.Equal("split", split.KindName);
        Assert.Equal("Split", split.TypeName);
        // Each branch reads 58 of the 116 channels.
        Assert.Equal(new[] { "58x28x28", "58x28x28" }, split.Branches.Select(b => b[0].Input.ToString()));
        Assert.Equal(new[] { (0L, 58L), (58L, 58L) }, split.Structure!.Inputs.Channels(split.Input, 2));
        Assert.Equal(new[] { 116L, 28, 28 }, split.Output.Dimensions);
        // 58 * 58 weights and batch norm's 2 * 58; identity has none.
        Assert.Equal(58 * 58 + 2 * 58, model.Parameters);
        Assert.Equal(new[] { "branch2.0.weight", "branch2.1.weight", "branch2.1.bias", "branch2.1.running_mean", "branch2.1.running_var", "branch2.1.num_batches_tracked" },
            model.Keys());
        Assert.Equal(28L * 28 * 58 * 58, model.MultiplyAdds);
        Assert.Equal(new[] { 116L, 28, 28 }, model.Layer("channel_shuffle").Output.Dimensions);
    }

    [Fact]
    public void Split_cuts_into_as_many_chunks_as_branches_and_works_on_features()
    {
        var model = Model("model M input 12x4x4 = split [conv(1, 1), conv(2, 1), conv(3, 1)]");
        Assert.Equal(new[] { 4L, 4L, 4L }, model.Merge("").Branches.Select(b => b[0].Input.Channels));
        Assert.Equal(new[] { 6L, 4, 4 }, model.Output.Dimensions);
        // Each 1x1 conv reads 4 channels: 4 + 1, 8 + 2, 12 + 3 parameters.
        Assert.Equal(5 + 10 + 15, model.Parameters);
        var flat = Model("model M input 2x2x2 = flatten -> split [linear(3), linear(5)]");
        Assert.Equal(new[] { 8L }, flat.Output.Dimensions);
        Assert.Equal(4 * 3 + 3 + 4 * 5 + 5, flat.Parameters);
    }

    [Fact]
    public void Split_whose_channels_do_not_divide_is_located_at_the_split()
    {
        const string source = "model M input 10x4x4 = conv(9, 1) -> split [identity, identity]";
        var diagnostic = Assert.Single(Compile(source).Diagnostics);
        Assert.Equal("CNN0047", diagnostic.Code);
        Assert.Equal("split [identity, identity]", source.Substring(diagnostic.Location.Range.Start, diagnostic.Location.Range.Length));
        Assert.Contains("9 channels into 2 equal chunks", diagnostic.Message);
        Assert.Equal("this gives 9x4x4", Assert.Single(diagnostic.Related).Label);
    }

    [Fact]
    public void Split_refuses_a_channels_last_map()
    {
        var diagnostic = Assert.Single(Compile("model M input 4x4x4 = permute(0, 2, 3, 1) -> split [identity, identity]").Diagnostics);
        Assert.Equal("CNN0046", diagnostic.Code);
        Assert.Contains("channels-last 4x4x4 (HxWxC)", diagnostic.Message);
    }

    [Theory]
    [InlineData("model M input 4x4x4 = split [identity]", "split needs at least two branches, but has 1")]
    [InlineData("model M input 4x4x4 = gate()", "")]
    [InlineData("model M input 4x4x4 = split [identity, ()]", "")]
    public void Malformed_structures_are_diagnosed(string source, string message)
    {
        var diagnostics = Compile(source).Diagnostics;
        Assert.NotEmpty(diagnostics);
        Assert.All(diagnostics, d => Assert.True(d.IsError));
        Assert.Contains(diagnostics, d => d.Message.Contains(message));
    }

    [Fact]
    public void Add_sums_two_branches_and_names_them_in_the_order_written()
    {
        var model = Model("model M input 8x6x6 = add [proj: conv(16, 1, stride: 2, bias: false), f: (conv(16, 3, stride: 2, pad: 1) -> relu)] -> relu");
        var sum = model.Merge("");
        Assert.Same(Structure.Sum, sum.Structure);
        Assert.Equal("add", sum.KindName);
        Assert.Equal("Add", sum.TypeName);
        // proj first, as torchvision's RegNet registers it: 16 * 8 weights, then 16 * 72 + 16.
        Assert.Equal(new[] { "proj.weight", "f.0.weight", "f.0.bias" }, model.Keys());
        Assert.Equal(16 * 8 + 16 * 72 + 16, model.Parameters);
        Assert.Equal(new[] { 16L, 3, 3 }, model.Output.Dimensions);
        // Both branches read the whole input; one addition per output element.
        Assert.All(sum.Branches, b => Assert.Equal("8x6x6", b[0].Input.ToString()));
        Assert.Equal(new LayerCost(CostCategory.Addition, 16 * 3 * 3, 0, 0, 0), sum.Cost);
        Assert.Equal(3L * 3 * (16 * 8 + 16 * 72), model.MultiplyAdds);
    }

    [Theory]
    [InlineData("model M input 8x6x6 = add [conv(16, 1), conv(8, 1)]", "an addition needs two parts of one shape, but has 16x6x6 and 8x6x6")]
    [InlineData("model M input 8x6x6 = add [identity, identity, identity]", "an addition takes two parts, but has 3")]
    public void Add_needs_two_branches_of_one_shape(string source, string message)
    {
        var diagnostic = Assert.Single(Compile(source).Diagnostics);
        Assert.Equal("CNN0039", diagnostic.Code);
        Assert.EndsWith(message, diagnostic.Message);
    }

    [Fact]
    public void Gate_and_split_are_keywords_not_names()
    {
        Assert.Equal("CNN0001", Compile("let split = 2\nmodel M input 4x4x4 = conv(split, 1)").Diagnostics[0].Code);
        Assert.Equal("CNN0001", Compile("block gate = relu\nmodel M input 4x4x4 = gate").Diagnostics[0].Code);
        Assert.Equal("CNN0001", Compile("let add = 2\nmodel M input 4x4x4 = conv(add, 1)").Diagnostics[0].Code);
        // Before a colon a keyword is a label, as for `block:`.
        Assert.Equal(new[] { "add.weight", "add.bias" }, Model("model M input 4x4x4 = add: conv(2, 1)").Keys());
    }

    [Fact]
    public void Channel_shuffle_keeps_the_shape_and_needs_dividing_groups()
    {
        var model = Model("model M input 12x5x5 = channel_shuffle(3)");
        var shuffle = model.Layer("0");
        Assert.Equal(new ChannelShuffleSpec(3), shuffle.Spec);
        Assert.Equal("ChannelShuffle", shuffle.TypeName);
        Assert.Equal(new[] { 12L, 5, 5 }, model.Output.Dimensions);
        Assert.Empty(model.Keys());
        Assert.Equal(new LayerCost(CostCategory.Concatenation, 12 * 5 * 5, 0, 0, 0), shuffle.Cost);
        Assert.Equal(new ModuleRecipe(ModuleSource.TorchSharp, "ChannelShuffle", new[] { new RecipeArgument(null, 3L) }),
            shuffle.Spec!.Recipe(shuffle.Input), new RecipeComparer());
        Assert.Equal("CNN0034", Assert.Single(Compile("model M input 12x5x5 = channel_shuffle(5)").Diagnostics).Code);
        Assert.Equal("CNN0032", Assert.Single(Compile("model M input 12x5x5 = flatten -> channel_shuffle(2)").Diagnostics).Code);
        Assert.Equal("CNN0018", Assert.Single(Compile("model M input 12x5x5 = channel_shuffle(0)").Diagnostics).Code);
    }

    [Fact]
    public void Channel_pad_adds_zero_channels_before_and_after()
    {
        Assert.Equal(new[] { 24L, 8, 8 }, Model("model M input 16x8x8 = channel_pad(4)").Output.Dimensions);
        var model = Model("model M input 16x8x8 = channel_pad(1, after: 3)");
        Assert.Equal(new[] { 20L, 8, 8 }, model.Output.Dimensions);
        Assert.Equal(new ChannelPadSpec(1, 3), model.Layer("0").Spec);
        Assert.Equal("ChannelPad", model.Layer("0").TypeName);
        Assert.Equal(0, model.Parameters);
        Assert.Equal(new[] { 16L, 8, 8 }, Model("model M input 16x8x8 = channel_pad(0)").Output.Dimensions);
        Assert.Equal("CNN0018", Assert.Single(Compile("model M input 16x8x8 = channel_pad(-1)").Diagnostics).Code);
    }

    /// <summary>Recipes hold lists, which records compare by reference.</summary>
    private sealed class RecipeComparer : System.Collections.Generic.IEqualityComparer<ModuleRecipe>
    {
        public bool Equals(ModuleRecipe? x, ModuleRecipe? y) =>
            x is not null && y is not null && x.Source == y.Source && x.TypeName == y.TypeName && x.Arguments.SequenceEqual(y.Arguments);

        public int GetHashCode(ModuleRecipe obj) => obj.TypeName.GetHashCode();
    }
}
