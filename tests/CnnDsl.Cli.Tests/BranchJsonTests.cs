using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using Xunit;

namespace CnnDsl.Cli.Tests;

/// <summary>The JSON summary of models with branches and merges, against DESIGN.md's reference
/// figures (torchvision's weights metadata).</summary>
public class BranchJsonTests
{
    private static JsonElement Model(string file, string model, params string[] more)
    {
        var run = CliRunner.Run(new[] { "summary", CliRunner.Architecture(file), "--model", model, "--format", "json" }.Concat(more).ToArray());
        Assert.Equal(0, run.ExitCode);
        Assert.Equal("", run.Error);
        using var document = JsonDocument.Parse(run.Out);
        var root = document.RootElement.Clone();
        Assert.Equal(JsonValueKind.Object, root.ValueKind);
        Assert.Equal(model, root.GetProperty("model").GetString());
        return root;
    }

    private static List<JsonElement> Layers(JsonElement model) => model.GetProperty("layers").EnumerateArray().ToList();

    private static JsonElement Layer(JsonElement model, string name, string kind) =>
        Layers(model).Single(l => l.GetProperty("name").GetString() == name && l.GetProperty("kind").GetString() == kind);

    private static long[] Numbers(JsonElement array) => array.EnumerateArray().Select(e => e.GetInt64()).ToArray();

    private static void AssertMacs(JsonElement model, double reference)
    {
        var macs = model.GetProperty("macs").GetInt64();
        Assert.InRange(macs, reference * 0.99, reference * 1.01);
        Assert.Equal(2 * macs, model.GetProperty("flops").GetInt64());
    }

    /// <summary>The rows that compute, outside auxiliary heads, add up to the model; those inside add
    /// up to its auxiliary parameters. Groups and merges repeat sums and are not added.</summary>
    private static void AssertLayersAddUp(JsonElement model)
    {
        var leaves = Layers(model).Where(l => l.GetProperty("kind").GetString() == "layer").ToList();
        var main = leaves.Where(l => !l.GetProperty("auxiliary").GetBoolean()).ToList();
        Assert.Equal(model.GetProperty("parameters").GetInt64(), main.Sum(l => l.GetProperty("parameters").GetInt64()));
        Assert.Equal(model.GetProperty("macs").GetInt64(), main.Sum(l => l.GetProperty("macs").GetInt64()));
        Assert.Equal(
            model.GetProperty("auxiliaryParameters").GetInt64(),
            leaves.Where(l => l.GetProperty("auxiliary").GetBoolean()).Sum(l => l.GetProperty("parameters").GetInt64()));
    }

    [Fact]
    public void ResNet50_matches_the_reference_figures()
    {
        var model = Model("resnet.cnn", "ResNet50");

        Assert.Equal(25_557_032, model.GetProperty("parameters").GetInt64());
        Assert.Equal(25_557_032, model.GetProperty("trainableParameters").GetInt64());
        Assert.Equal(0, model.GetProperty("auxiliaryParameters").GetInt64());
        AssertMacs(model, 4.089e9);
        Assert.Equal(new long[] { 1000 }, Numbers(model.GetProperty("output")));
        AssertLayersAddUp(model);
    }

    [Fact]
    public void GoogLeNet_matches_the_reference_figures()
    {
        var model = Model("googlenet.cnn", "GoogLeNet");

        Assert.Equal(6_624_904, model.GetProperty("parameters").GetInt64());
        Assert.Equal(0, model.GetProperty("auxiliaryParameters").GetInt64());
        AssertMacs(model, 1.498e9);
        Assert.DoesNotContain(Layers(model), l => l.GetProperty("auxiliary").GetBoolean());
        AssertLayersAddUp(model);
    }

    [Fact]
    public void GoogLeNetAux_counts_its_heads_apart_from_the_model()
    {
        var model = Model("googlenet.cnn", "GoogLeNetAux");

        // torchvision with aux_logits=True: 13,004,888 in all, 6,624,904 without the heads.
        Assert.Equal(6_624_904, model.GetProperty("parameters").GetInt64());
        Assert.Equal(6_624_904, model.GetProperty("trainableParameters").GetInt64());
        Assert.Equal(13_004_888 - 6_624_904, model.GetProperty("auxiliaryParameters").GetInt64());
        AssertMacs(model, 1.498e9);
        AssertLayersAddUp(model);

        var head = Layer(model, "aux1", "auxiliary");
        Assert.Equal("AuxiliaryHead", head.GetProperty("type").GetString());
        Assert.True(head.GetProperty("auxiliary").GetBoolean());
        Assert.Equal(new long[] { 512, 14, 14 }, Numbers(head.GetProperty("inputShape")));
        Assert.Equal(new long[] { 1000 }, Numbers(head.GetProperty("outputShape")));
        Assert.True(Layer(model, "aux2.fc2", "layer").GetProperty("auxiliary").GetBoolean());
        Assert.False(Layer(model, "fc", "layer").GetProperty("auxiliary").GetBoolean());
        Assert.Equal(2, Layers(model).Count(l => l.GetProperty("kind").GetString() == "auxiliary"));
    }

    [Fact]
    public void GoogLeNet_inception_blocks_are_concat_rows_named_as_their_block()
    {
        var model = Model("googlenet.cnn", "GoogLeNet");
        var concat = Layer(model, "inception3a", "concat");

        Assert.Equal("Concat", concat.GetProperty("type").GetString());
        Assert.Equal(1, concat.GetProperty("depth").GetInt32());
        Assert.Equal(new long[] { 256, 28, 28 }, Numbers(concat.GetProperty("outputShape")));
        Assert.Equal(Layer(model, "inception3a", "group").GetProperty("parameters").GetInt64(), concat.GetProperty("parameters").GetInt64());
        Assert.Equal(9, Layers(model).Count(l => l.GetProperty("kind").GetString() == "concat"));
        var names = Layers(model).Select(l => l.GetProperty("name").GetString()).ToList();
        Assert.Equal(names.IndexOf("inception3a") + 2, names.IndexOf("inception3a.branch1"));
    }

    [Fact]
    public void DenseNet121_matches_the_reference_figures()
    {
        var model = Model("densenet.cnn", "DenseNet121");

        Assert.Equal(7_978_856, model.GetProperty("parameters").GetInt64());
        AssertMacs(model, 2.834e9);
        AssertLayersAddUp(model);
        var dense = Layer(model, "features.denseblock1.denselayer1", "dense");
        Assert.Equal("DenseConcat", dense.GetProperty("type").GetString());
        Assert.Equal(new long[] { 96, 56, 56 }, Numbers(dense.GetProperty("outputShape")));
        Assert.Equal(58, Layers(model).Count(l => l.GetProperty("kind").GetString() == "dense"));
    }

    [Fact]
    public void ResNet18_projection_shortcut_is_listed_as_layers_after_the_body()
    {
        var model = Model("resnet.cnn", "ResNet18");

        Assert.Equal(11_689_512, model.GetProperty("parameters").GetInt64());
        AssertMacs(model, 1.814e9);
        AssertLayersAddUp(model);

        var conv = Layer(model, "layer2.0.downsample.0", "layer");
        Assert.Equal("Conv2d", conv.GetProperty("type").GetString());
        Assert.Equal(new long[] { 64, 56, 56 }, Numbers(conv.GetProperty("inputShape")));
        Assert.Equal(new long[] { 128, 28, 28 }, Numbers(conv.GetProperty("outputShape")));
        Assert.Equal(64 * 128, conv.GetProperty("parameters").GetInt64());
        Assert.Equal(new long[] { 128, 28, 28 }, Numbers(Layer(model, "layer2.0.downsample.1", "layer").GetProperty("outputShape")));

        var residual = Layer(model, "layer2.0", "residual");
        Assert.Equal("Add", residual.GetProperty("type").GetString());
        Assert.Equal("layer2.0.downsample", residual.GetProperty("shortcut").GetString());
        Assert.Equal("shortcut", residual.EnumerateObject().Last().Name);
        Assert.Equal(JsonValueKind.Null, Layer(model, "layer2.1", "residual").GetProperty("shortcut").ValueKind);
        Assert.False(Layer(model, "layer2.0.conv1", "layer").TryGetProperty("shortcut", out _));

        // Forward order: the body, then the shortcut, then what follows the addition.
        var names = Layers(model).Select(l => l.GetProperty("name").GetString()).ToList();
        var start = names.IndexOf("layer2.0.bn2");
        Assert.Equal(
            new[] { "layer2.0.bn2", "layer2.0.downsample", "layer2.0.downsample.0", "layer2.0.downsample.1", "layer2.0.relu_1" },
            names.Skip(start).Take(5));
    }

    [Fact]
    public void Depth_folds_residuals_and_keeps_the_totals()
    {
        var model = Model("resnet.cnn", "ResNet18", "--depth", "3");

        Assert.Equal(11_689_512, model.GetProperty("parameters").GetInt64());
        Assert.All(Layers(model), l => Assert.True(l.GetProperty("depth").GetInt32() < 3));
        Assert.Equal(230_144, Layer(model, "layer2.0", "residual").GetProperty("parameters").GetInt64());
        Assert.DoesNotContain(Layers(model), l => l.GetProperty("name").GetString()!.Contains("downsample"));
    }
}
