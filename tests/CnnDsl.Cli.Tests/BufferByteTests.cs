using System.Text.Json;
using Xunit;

namespace CnnDsl.Cli.Tests;

/// <summary>Byte figures count each tensor at its own element type: batch norm's
/// <c>num_batches_tracked</c> is an int64, 8 bytes, whatever <c>--dtype</c> says.</summary>
public sealed class BufferByteTests
{
    // conv(16, 3) -> batchnorm: running_mean and running_var, 16 floats each, and one int64.
    // float32: 32 * 4 + 8 = 136; float16 and bfloat16: 32 * 2 + 8 = 72 (PyTorch: the sum of
    // numel() * element_size() over model.buffers(), before and after model.half()).
    [Theory]
    [InlineData("float32", 136)]
    [InlineData("float16", 72)]
    [InlineData("bfloat16", 72)]
    public void Buffer_bytes_count_the_batch_counter_as_eight_bytes(string dtype, long bytes)
    {
        using var file = new TempCnnFile("model B input 3x32x32 = conv(16, 3) -> batchnorm -> flatten -> linear(10)\n");

        var run = CliRunner.Run("summary", file.Path, "--format", "json", "--dtype", dtype);

        Assert.Equal(0, run.ExitCode);
        var memory = JsonDocument.Parse(run.Out).RootElement.GetProperty("memory");
        Assert.Equal(bytes, memory.GetProperty("bufferBytes").GetInt64());
        // Parameters are all floating: (16 * 27 + 16 + 2 * 16 + 16 * 30 * 30 * 10 + 10) at the dtype's size.
        var parameters = 16 * 27 + 16 + 2 * 16 + 16 * 30 * 30 * 10 + 10;
        Assert.Equal(parameters * (dtype == "float32" ? 4 : 2), memory.GetProperty("parameterBytes").GetInt64());
    }
}
