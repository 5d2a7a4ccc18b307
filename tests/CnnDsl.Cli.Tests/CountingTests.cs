using System;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using Xunit;

namespace CnnDsl.Cli.Tests;

/// <summary><c>--count</c>: what the multiply-adds include. The presets reproduce other tools'
/// conventions; a list of categories uses CnnDsl's own rules; merges are rows of their own and
/// nothing is counted twice.</summary>
public class CountingTests
{
    /// <summary>ptflops' README benchmark table (torchvision models at 224x224, MACs in G with two
    /// decimals), reproduced by the ptflops preset.</summary>
    [Theory]
    [InlineData("alexnet.cnn", "AlexNet", "0.72")]
    [InlineData("vgg.cnn", "VGG11", "7.63")]
    [InlineData("vgg.cnn", "VGG13", "11.34")]
    [InlineData("vgg.cnn", "VGG16", "15.50")]
    [InlineData("vgg.cnn", "VGG19", "19.67")]
    [InlineData("vgg.cnn", "VGG11_BN", "7.64")]
    [InlineData("vgg.cnn", "VGG13_BN", "11.36")]
    [InlineData("vgg.cnn", "VGG16_BN", "15.53")]
    [InlineData("vgg.cnn", "VGG19_BN", "19.70")]
    [InlineData("resnet.cnn", "ResNet18", "1.82")]
    [InlineData("resnet.cnn", "ResNet34", "3.68")]
    [InlineData("resnet.cnn", "ResNet50", "4.12")]
    [InlineData("resnet.cnn", "ResNet101", "7.85")]
    [InlineData("resnet.cnn", "ResNet152", "11.58")]
    [InlineData("densenet.cnn", "DenseNet121", "2.88")]
    [InlineData("densenet.cnn", "DenseNet161", "7.82")]
    [InlineData("densenet.cnn", "DenseNet169", "3.42")]
    [InlineData("densenet.cnn", "DenseNet201", "4.37")]
    public void Ptflops_preset_reproduces_ptflops_published_figures(string file, string model, string gmacs)
    {
        var macs = Model(file, model, "--count", "ptflops").GetProperty("macs").GetInt64();

        Assert.Equal(gmacs, (macs / 1e9).ToString("0.00", CultureInfo.InvariantCulture));
    }

    /// <summary>The default counts convolution and linear multiply-adds only: torchvision's
    /// figures, and the Dsl's own.</summary>
    [Theory]
    [InlineData("resnet.cnn", "ResNet50", 4_089_184_256)]
    [InlineData("vgg.cnn", "VGG16", 15_470_264_320)]
    [InlineData("googlenet.cnn", "GoogLeNet", 1_498_376_192)]
    public void Torchvision_preset_is_the_default(string file, string model, long expected)
    {
        Assert.Equal(expected, Model(file, model).GetProperty("macs").GetInt64());
        Assert.Equal(expected, Model(file, model, "--count", "torchvision").GetProperty("macs").GetInt64());
        Assert.Equal(expected, Model(file, model, "--count", "conv,linear").GetProperty("macs").GetInt64());
        Assert.Equal("torchvision", Model(file, model).GetProperty("counted").GetProperty("preset").GetString());
    }

    /// <summary>fvcore counts convolutions and matrix products without bias, batch norm at 2 per
    /// element (eval mode) and adaptive average pooling at 1 per input element; not ReLU, max
    /// pooling, additions or concatenations.</summary>
    [Fact]
    public void Fvcore_preset_adds_batch_norm_and_adaptive_pooling_to_the_weighted_layers()
    {
        const string text = """
            model Small input 3x8x8 =
              conv(4, 3, pad: 1) -> batchnorm -> relu -> maxpool(2) -> adaptive_avgpool(1) -> flatten -> linear(10)
            """;
        using var file = new TempCnnFile(text);
        var conv = 4L * 3 * 3 * 3 * 8 * 8; // 6,912: weights only
        var batchNorm = 2L * 4 * 8 * 8;     // 512
        var adaptive = 4L * 4 * 4;          // 64 input elements
        var linear = 4L * 10;               // 40: no bias

        Assert.Equal(conv + batchNorm + adaptive + linear, Json(file.Path, "--count", "fvcore").GetProperty("macs").GetInt64());
    }

    /// <summary>ptflops adds the bias of convolutions and linear layers, ReLU at 1 per element and
    /// every pooling at 1 per input element.</summary>
    [Fact]
    public void Ptflops_preset_counts_bias_relu_and_every_pooling()
    {
        const string text = """
            model Small input 3x8x8 =
              conv(4, 3, pad: 1) -> batchnorm -> relu -> maxpool(2) -> adaptive_avgpool(1) -> flatten -> linear(10)
            """;
        using var file = new TempCnnFile(text);
        var conv = 4L * 3 * 3 * 3 * 8 * 8 + 4 * 8 * 8;
        var batchNorm = 2L * 4 * 8 * 8;
        var relu = 4L * 8 * 8;
        var pooling = 4L * 8 * 8 + 4 * 4 * 4;
        var linear = 4L * 10 + 10;

        Assert.Equal(conv + batchNorm + relu + pooling + linear, Json(file.Path, "--count", "ptflops").GetProperty("macs").GetInt64());
    }

    /// <summary>torchinfo's "Mult-Adds": each convolution parameter once per output position, every
    /// other parameter once; 11.51 G for ResNet-152, as its README prints.</summary>
    [Fact]
    public void Torchinfo_preset_reproduces_torchinfos_mult_adds()
    {
        var macs = Model("resnet.cnn", "ResNet152", "--count", "torchinfo").GetProperty("macs").GetInt64();

        Assert.Equal(11_513_779_048, macs);
        Assert.Equal("11.51", (macs / 1e9).ToString("0.00", CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Categories_can_be_listed_and_additions_and_concatenations_counted()
    {
        var plain = Model("resnet.cnn", "ResNet18").GetProperty("macs").GetInt64();
        var withAdd = Model("resnet.cnn", "ResNet18", "--count", "conv,linear,add");

        // Eight blocks, each adding its body's output (one operation per element).
        var additions = 2L * 64 * 56 * 56 + 2L * 128 * 28 * 28 + 2L * 256 * 14 * 14 + 2L * 512 * 7 * 7;
        Assert.Equal(plain + additions, withAdd.GetProperty("macs").GetInt64());
        Assert.Equal(new[] { "conv", "linear", "add" }, withAdd.GetProperty("counted").GetProperty("categories").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal("custom", withAdd.GetProperty("counted").GetProperty("preset").GetString());

        var residual = withAdd.GetProperty("layers").EnumerateArray().First(l => l.GetProperty("kind").GetString() == "residual");
        Assert.Equal(64L * 56 * 56, residual.GetProperty("selfMacs").GetInt64());

        var concat = Model("googlenet.cnn", "GoogLeNet", "--count", "concat").GetProperty("layers").EnumerateArray()
            .First(l => l.GetProperty("kind").GetString() == "concat");
        Assert.Equal(256L * 28 * 28, concat.GetProperty("selfMacs").GetInt64());
        Assert.Equal(256L * 28 * 28, concat.GetProperty("macs").GetInt64());
    }

    /// <summary>Summing each object's own work (<c>selfMacs</c>) outside auxiliary heads gives the
    /// model's total under every preset: containers never count their contents twice.</summary>
    [Theory]
    [InlineData("googlenet.cnn", "GoogLeNetAux", "all")]
    [InlineData("resnet.cnn", "ResNet50", "all")]
    [InlineData("densenet.cnn", "DenseNet121", "ptflops")]
    [InlineData("resnet.cnn", "ResNet18", "fvcore")]
    [InlineData("lenet5.cnn", "LeNet5_1998", "all")]
    public void Own_work_adds_up_to_the_total(string file, string model, string preset)
    {
        var json = Model(file, model, "--count", preset);
        var sum = json.GetProperty("layers").EnumerateArray()
            .Where(l => !l.GetProperty("auxiliary").GetBoolean())
            .Sum(l => l.GetProperty("selfMacs").GetInt64());

        Assert.Equal(json.GetProperty("macs").GetInt64(), sum);
        Assert.Equal(2 * json.GetProperty("macs").GetInt64(), json.GetProperty("flops").GetInt64());
    }

    /// <summary>In the table, a merge whose contents are listed shows its own work only; the
    /// counts shown add up to the Total row at every depth.</summary>
    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Table_counts_add_up_with_merges_counted(int depth)
    {
        var run = CliRunner.Run("summary", CliRunner.Architecture("resnet.cnn"), "--model", "ResNet18", "--count", "all",
            "--depth", depth.ToString(CultureInfo.InvariantCulture), "--columns", "type,macs");
        var rows = run.Out.Split('\n').Where(l => l.StartsWith("│ ", StringComparison.Ordinal))
            .Select(l => l.Split('│', StringSplitOptions.TrimEntries).Skip(1).ToArray()).ToList();
        var total = rows.Single(r => r[0] == "Total");
        var shown = rows.Where(r => r[0] != "Total" && r[0] != "Layer" && r[0] != "input").Sum(r => Count(r[2]));

        Assert.Equal(Count(total[2]), shown);
        if (depth == 4)
        {
            Assert.Contains(rows, r => r[0] == "layer1.0 (residual)" && r[2] == "200,704");
        }
    }

    [Fact]
    public void The_footer_says_what_is_counted()
    {
        var run = CliRunner.Run("summary", CliRunner.Architecture("resnet.cnn"), "-m", "ResNet18", "--depth", "1", "--count", "fvcore");
        Assert.Equal("conv, linear, norm, adaptive average pooling, upsample (fvcore's convention)", CliRunner.Footer(run.Out, "Counted"));

        run = CliRunner.Run("summary", CliRunner.Architecture("resnet.cnn"), "-m", "ResNet18", "--depth", "1", "--count", "norm,add");
        Assert.Equal("norm, add", CliRunner.Footer(run.Out, "Counted"));

        // `bn`, the category's name before layer, group and instance norm joined it, still selects it.
        run = CliRunner.Run("summary", CliRunner.Architecture("resnet.cnn"), "-m", "ResNet18", "--depth", "1", "--count", "bn,add");
        Assert.Equal("norm, add", CliRunner.Footer(run.Out, "Counted"));
    }

    [Theory]
    [InlineData("flops")]
    [InlineData("conv,relu")]
    [InlineData("")]
    public void Unknown_count_is_a_usage_error(string value)
    {
        var run = CliRunner.Run("summary", CliRunner.Architecture("lenet5.cnn"), "--count", value);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("error: --count takes a preset (torchvision, fvcore, ptflops, torchinfo, all)", run.Error);
    }

    private static long Count(string cell) =>
        cell.Length == 0 || cell == "-" || cell.StartsWith('(') ? 0 : long.Parse(cell, NumberStyles.AllowThousands, CultureInfo.InvariantCulture);

    private static JsonElement Model(string file, string model, params string[] options) =>
        Json(CliRunner.Architecture(file), new[] { "--model", model }.Concat(options).ToArray());

    private static JsonElement Json(string path, params string[] options)
    {
        var run = CliRunner.Run(new[] { "summary", path, "--format", "json" }.Concat(options).ToArray());
        Assert.True(run.ExitCode == 0, run.Error);
        using var document = JsonDocument.Parse(run.Out);
        return document.RootElement.Clone();
    }
}
