using System;
using System.Linq;
using System.Text.Json;
using Xunit;

namespace CnnDsl.Cli.Tests;

public class SummaryJsonTests
{
    private static JsonElement Json(params string[] args)
    {
        var run = CliRunner.Run(args);
        Assert.Equal(0, run.ExitCode);
        Assert.Equal("", run.Error);
        using var document = JsonDocument.Parse(run.Out);
        return document.RootElement.Clone();
    }

    private static JsonElement Layer(JsonElement model, string name) =>
        model.GetProperty("layers").EnumerateArray().Single(l => l.GetProperty("name").GetString() == name);

    private static long[] Numbers(JsonElement array) => array.EnumerateArray().Select(e => e.GetInt64()).ToArray();

    [Fact]
    public void Vgg16_matches_the_reference_figures()
    {
        var model = Json("summary", CliRunner.Architecture("vgg.cnn"), "--model", "VGG16", "--format", "json");

        Assert.Equal(JsonValueKind.Object, model.ValueKind);
        Assert.Equal("VGG16", model.GetProperty("model").GetString());
        Assert.Equal(new long[] { 3, 224, 224 }, Numbers(model.GetProperty("input")));
        Assert.Equal(new long[] { 1000 }, Numbers(model.GetProperty("output")));
        Assert.Equal(138_357_544, model.GetProperty("parameters").GetInt64());
        Assert.Equal(138_357_544, model.GetProperty("trainableParameters").GetInt64());
        Assert.Equal(0, model.GetProperty("buffers").GetInt64());
        var macs = model.GetProperty("macs").GetInt64();
        Assert.InRange(macs, 15.47e9 * 0.99, 15.47e9 * 1.01);
        Assert.Equal(2 * macs, model.GetProperty("flops").GetInt64());
    }

    [Fact]
    public void Vgg16_lists_every_layer_and_group_in_forward_order()
    {
        var model = Json("summary", CliRunner.Architecture("vgg.cnn"), "--model", "VGG16", "--format", "json");
        var layers = model.GetProperty("layers").EnumerateArray().ToList();
        var names = layers.Select(l => l.GetProperty("name").GetString()).ToList();

        // features (group) + 31 layers, avgpool, flatten, classifier (group) + 7 layers.
        Assert.Equal(42, layers.Count);
        Assert.Equal(new[] { "features", "features.0", "features.1" }, names.Take(3));
        Assert.Equal("classifier.6", names.Last());
        Assert.Equal("group", Layer(model, "features").GetProperty("kind").GetString());
        Assert.Equal(0, Layer(model, "features").GetProperty("depth").GetInt32());
        Assert.Equal(1, Layer(model, "features.0").GetProperty("depth").GetInt32());

        var conv = Layer(model, "features.0");
        Assert.Equal("Conv2d", conv.GetProperty("type").GetString());
        Assert.Equal("layer", conv.GetProperty("kind").GetString());
        Assert.Equal(new long[] { 64, 224, 224 }, Numbers(conv.GetProperty("outputShape")));
        Assert.Equal(1_792, conv.GetProperty("parameters").GetInt64());

        // The sum of the layers (not groups) is the model's total.
        var leaves = layers.Where(l => l.GetProperty("kind").GetString() == "layer");
        Assert.Equal(138_357_544, leaves.Sum(l => l.GetProperty("parameters").GetInt64()));
        Assert.Equal(model.GetProperty("macs").GetInt64(), leaves.Sum(l => l.GetProperty("macs").GetInt64()));
    }

    [Fact]
    public void Vgg16_receptive_field_after_pool5_is_212_stride_32_padding_90()
    {
        var model = Json("summary", CliRunner.Architecture("vgg.cnn"), "--model", "VGG16", "--format", "json");
        var field = Layer(model, "features.30").GetProperty("receptiveField");

        Assert.Equal(new long[] { 212, 212 }, Numbers(field.GetProperty("size")));
        Assert.Equal(new long[] { 32, 32 }, Numbers(field.GetProperty("stride")));
        Assert.Equal(new long[] { 90, 90 }, Numbers(field.GetProperty("padding")));
        Assert.False(field.GetProperty("global").GetBoolean());
    }

    [Fact]
    public void LeNet5_is_a_single_object_with_its_reference_count()
    {
        var model = Json("summary", CliRunner.Architecture("lenet5.cnn"), "--model", "LeNet5", "--format", "json");

        Assert.Equal(JsonValueKind.Object, model.ValueKind);
        Assert.Equal("LeNet5", model.GetProperty("model").GetString());
        Assert.Equal(61_706, model.GetProperty("parameters").GetInt64());
        Assert.Equal(12, model.GetProperty("layers").GetArrayLength());
        Assert.Equal(new long[] { 1, 28, 28 }, Numbers(model.GetProperty("input")));
        Assert.Equal(new long[] { 6, 28, 28 }, Numbers(Layer(model, "c1").GetProperty("outputShape")));
    }

    [Fact]
    public void A_file_with_several_models_gives_an_array()
    {
        var models = Json("summary", CliRunner.Architecture("vgg.cnn"), "--format", "json");

        Assert.Equal(JsonValueKind.Array, models.ValueKind);
        Assert.Equal(
            new[] { "VGG11", "VGG11_LRN", "VGG13", "VGG16_C", "VGG16", "VGG19", "VGG11_BN", "VGG13_BN", "VGG16_BN", "VGG19_BN" },
            models.EnumerateArray().Select(m => m.GetProperty("model").GetString()));
    }

    [Fact]
    public void Properties_come_in_the_documented_order()
    {
        var model = Json("summary", CliRunner.Architecture("lenet5.cnn"), "--model", "LeNet5", "--format", "json");

        Assert.Equal(
            new[]
            {
                "model", "file", "input", "output", "parameters", "trainableParameters", "nonTrainableParameters", "auxiliaryParameters", "buffers",
                "macs", "flops", "receptiveField", "declaredInput", "batch", "dtype", "counted", "memory", "layers",
            },
            model.EnumerateObject().Select(p => p.Name));
        Assert.Equal(
            new[]
            {
                "name", "type", "kind", "depth", "auxiliary", "inputShape", "outputShape", "parameters", "buffers", "macs", "receptiveField",
                "selfMacs", "flops", "trainableParameters",
            },
            model.GetProperty("layers")[0].EnumerateObject().Select(p => p.Name));
        Assert.Equal(
            new[] { "size", "stride", "padding", "global" },
            model.GetProperty("layers")[0].GetProperty("receptiveField").EnumerateObject().Select(p => p.Name));
        Assert.Equal(new[] { "preset", "categories" }, model.GetProperty("counted").EnumerateObject().Select(p => p.Name));
        Assert.Equal(
            new[] { "bytesPerElement", "inputBytes", "forwardBackwardBytes", "parameterBytes", "estimatedTotalBytes", "bufferBytes" },
            model.GetProperty("memory").EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public void Depth_limits_the_layers_listed()
    {
        var model = Json("summary", CliRunner.Architecture("vgg.cnn"), "-m", "VGG16", "-f", "json", "--depth", "1");

        Assert.Equal(
            new[] { "features", "avgpool", "flatten", "classifier" },
            model.GetProperty("layers").EnumerateArray().Select(l => l.GetProperty("name").GetString()));
        Assert.Equal(138_357_544, model.GetProperty("parameters").GetInt64());
    }

    [Fact]
    public void Output_is_the_same_on_every_run()
    {
        var first = CliRunner.Run("summary", CliRunner.Architecture("vgg.cnn"), "-f", "json");
        var second = CliRunner.Run("summary", CliRunner.Architecture("vgg.cnn"), "-f", "json");

        Assert.Equal(first.Out, second.Out);
        Assert.DoesNotContain("\r", first.Out, StringComparison.Ordinal);
    }
}
