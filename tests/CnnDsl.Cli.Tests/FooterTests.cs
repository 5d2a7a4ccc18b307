using System.Text.Json;
using Xunit;

namespace CnnDsl.Cli.Tests;

/// <summary>The footer's memory figures follow torchinfo's conventions, so the same model gives the
/// same numbers; <c>--batch</c> and <c>--dtype</c> change what they should and nothing else.</summary>
public class FooterTests
{
    /// <summary>What torchinfo's README prints for <c>summary(resnet152(), (1, 3, 224, 224))</c>.</summary>
    [Fact]
    public void ResNet152_at_1x3x224x224_gives_torchinfos_footer()
    {
        var run = CliRunner.Run("summary", CliRunner.Architecture("resnet.cnn"), "--model", "ResNet152", "--depth", "1",
            "--input", "3x224x224", "--batch", "1");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("60,192,808", CliRunner.Footer(run.Out, "Total parameters"));
        Assert.StartsWith("11.51 G =", CliRunner.Footer(run.Out, "Multiply-adds"));
        Assert.Equal("0.60", CliRunner.Footer(run.Out, "Input size (MB)"));
        Assert.Equal("360.87", CliRunner.Footer(run.Out, "Forward/backward pass size (MB)"));
        Assert.Equal("240.77", CliRunner.Footer(run.Out, "Params size (MB)"));
        Assert.Equal("602.25", CliRunner.Footer(run.Out, "Estimated total size (MB)"));
    }

    /// <summary>The exact bytes behind those figures: the input; twice the output of every layer
    /// with parameters (convolutions, batch norms, the classifier); the parameters; and their sum.</summary>
    [Fact]
    public void ResNet152_memory_in_bytes_follows_torchinfos_rules()
    {
        var memory = Json("--model", "ResNet152").GetProperty("memory");

        Assert.Equal(4, memory.GetProperty("bytesPerElement").GetInt64());
        Assert.Equal(3L * 224 * 224 * 4, memory.GetProperty("inputBytes").GetInt64());
        Assert.Equal(360_873_792, memory.GetProperty("forwardBackwardBytes").GetInt64());
        Assert.Equal(60_192_808L * 4, memory.GetProperty("parameterBytes").GetInt64());
        Assert.Equal(602_112 + 360_873_792 + 240_771_232, memory.GetProperty("estimatedTotalBytes").GetInt64());
        Assert.Equal((151_579L - 155) * 4 + 155 * 8, memory.GetProperty("bufferBytes").GetInt64()); // num_batches_tracked: int64
    }

    [Theory]
    [InlineData("float16", 2)]
    [InlineData("bfloat16", 2)]
    [InlineData("float32", 4)]
    public void Dtype_changes_every_byte_figure(string dtype, int bytes)
    {
        var model = Json("--model", "ResNet152", "--dtype", dtype);
        var memory = model.GetProperty("memory");

        Assert.Equal(dtype, model.GetProperty("dtype").GetString());
        Assert.Equal(bytes, memory.GetProperty("bytesPerElement").GetInt64());
        Assert.Equal(3L * 224 * 224 * bytes, memory.GetProperty("inputBytes").GetInt64());
        Assert.Equal(360_873_792 / 4 * bytes, memory.GetProperty("forwardBackwardBytes").GetInt64());
        Assert.Equal(60_192_808L * bytes, memory.GetProperty("parameterBytes").GetInt64());
        // 151,579 buffer elements: 155 batch norms' num_batches_tracked, int64 (8 bytes) at every
        // dtype (1 in the stem, 3 in each of 50 bottlenecks, 4 in the projections), the rest floats.
        Assert.Equal((151_579L - 155) * bytes + 155 * 8, memory.GetProperty("bufferBytes").GetInt64());
        Assert.Equal(11_513_626_624, model.GetProperty("macs").GetInt64());
    }

    [Fact]
    public void Float16_halves_the_text_footer_too()
    {
        var run = CliRunner.Run("summary", CliRunner.Architecture("resnet.cnn"), "--model", "ResNet152", "--depth", "1", "--dtype", "float16");

        Assert.Equal("0.30", CliRunner.Footer(run.Out, "Input size (MB)"));
        Assert.Equal("180.44", CliRunner.Footer(run.Out, "Forward/backward pass size (MB)"));
        Assert.Equal("120.39", CliRunner.Footer(run.Out, "Params size (MB)"));
        Assert.Equal("301.12", CliRunner.Footer(run.Out, "Estimated total size (MB)"));
        Assert.Equal("batch of 1 sample, float16 (2 bytes per element)", CliRunner.Footer(run.Out, "Per"));
    }

    [Fact]
    public void Batch_multiplies_the_work_and_the_activations_but_not_the_parameters()
    {
        var one = Json("--model", "ResNet50");
        var eight = Json("--model", "ResNet50", "--batch", "8");

        Assert.Equal(8, eight.GetProperty("batch").GetInt64());
        Assert.Equal(8 * one.GetProperty("macs").GetInt64(), eight.GetProperty("macs").GetInt64());
        Assert.Equal(8 * one.GetProperty("flops").GetInt64(), eight.GetProperty("flops").GetInt64());
        Assert.Equal(one.GetProperty("parameters").GetInt64(), eight.GetProperty("parameters").GetInt64());
        Assert.Equal(one.GetProperty("input").GetRawText(), eight.GetProperty("input").GetRawText());
        var m1 = one.GetProperty("memory");
        var m8 = eight.GetProperty("memory");
        Assert.Equal(8 * m1.GetProperty("inputBytes").GetInt64(), m8.GetProperty("inputBytes").GetInt64());
        Assert.Equal(8 * m1.GetProperty("forwardBackwardBytes").GetInt64(), m8.GetProperty("forwardBackwardBytes").GetInt64());
        Assert.Equal(m1.GetProperty("parameterBytes").GetInt64(), m8.GetProperty("parameterBytes").GetInt64());
        // Per-layer work is for the batch too.
        Assert.Equal(8 * one.GetProperty("layers")[0].GetProperty("macs").GetInt64(), eight.GetProperty("layers")[0].GetProperty("macs").GetInt64());
    }

    [Fact]
    public void Batch_is_said_in_the_footer()
    {
        var run = CliRunner.Run("summary", CliRunner.Architecture("vgg.cnn"), "--model", "VGG16", "--depth", "1", "--batch", "32");

        Assert.Equal("batch of 32 samples, float32 (4 bytes per element)", CliRunner.Footer(run.Out, "Per"));
        Assert.StartsWith("495.05 G = 495,048,458,240 multiply-accumulates", CliRunner.Footer(run.Out, "Multiply-adds"));
        Assert.Equal("19.27", CliRunner.Footer(run.Out, "Input size (MB)"));
    }

    [Theory]
    [InlineData("--batch", "0")]
    [InlineData("--batch", "two")]
    [InlineData("--dtype", "float64")]
    [InlineData("--dtype", "int8")]
    public void Bad_batch_or_dtype_is_a_usage_error(string option, string value)
    {
        var run = CliRunner.Run("summary", CliRunner.Architecture("lenet5.cnn"), option, value);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"error: {option} takes", run.Error);
        Assert.Equal("", run.Out);
    }

    private static JsonElement Json(params string[] options)
    {
        var args = new[] { "summary", CliRunner.Architecture("resnet.cnn"), "--format", "json", "--depth", "1" };
        var run = CliRunner.Run(System.Linq.Enumerable.ToArray(System.Linq.Enumerable.Concat(args, options)));
        Assert.Equal(0, run.ExitCode);
        using var document = JsonDocument.Parse(run.Out);
        return document.RootElement.Clone();
    }
}
