using System;
using System.Diagnostics;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;
using CnnDsl.Runtime;
using Xunit;

namespace CnnDsl.Cli.Tests;

/// <summary>libtorch's own warnings (NNPACK's "Could not initialize NNPACK! Reason: Unsupported
/// hardware.", hundreds of lines on some CPUs) never reach the user's terminal, and everything
/// else written to standard error still does, in order.</summary>
public sealed class NativeNoiseTests
{
    [Theory]
    [InlineData("[W NNPACK.cpp:64] Could not initialize NNPACK! Reason: Unsupported hardware.", true)]
    [InlineData("[W 1129 08:21:34.123 NNPACK.cpp:64] Could not initialize NNPACK! Reason: Unsupported hardware.", true)]
    [InlineData("[I Context.cpp:12] some information", true)]
    [InlineData("Could not initialize NNPACK! Reason: Unsupported hardware.", true)]
    [InlineData("error: model 'M' needs about 77.3 GB of memory", false)]
    [InlineData("[W] a line that only looks like a prefix", false)]
    [InlineData("note: Graphviz: Warning: Image size 446 x 32767 too large", false)]
    public void Libtorch_log_lines_are_noise_and_nothing_else_is(string line, bool noise)
    {
        Assert.Equal(noise, NativeNoise.IsNoise(line));
    }

    /// <summary>Written as libtorch writes, with write(2) on descriptor 2 from native code: the
    /// noise is dropped, the other lines pass through to the real standard error (here a file).</summary>
    [Fact]
    public void Native_writes_to_descriptor_2_are_filtered_line_by_line()
    {
        if (!OperatingSystem.IsLinux()) return;
        var path = Path.Combine(Path.GetTempPath(), "cnn-noise-" + Guid.NewGuid().ToString("N"));
        try
        {
            using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write))
            {
                var target = (int)file.SafeFileHandle.DangerousGetHandle();
                using (NativeNoise.Filter(target))
                {
                    Write("first line\n");
                    Write("[W NNPACK.cpp:64] Could not initialize NNPACK! Reason: Unsupported hardware.\n");
                    Write("second ");
                    Write("line\n");
                }
            }

            var text = File.ReadAllText(path);
            Assert.Contains("first line\nsecond line\n", text);
            Assert.DoesNotContain("NNPACK", text);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>The real command, as a user runs it: whatever the CPU, no libtorch log line on its
    /// standard error, and its result on standard output.</summary>
    [Fact]
    public async System.Threading.Tasks.Task Verify_prints_no_libtorch_warning()
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = CliRunner.BaseDirectory,
        };
        start.ArgumentList.Add(Path.Combine(CliRunner.BaseDirectory, "cnn.dll"));
        start.ArgumentList.Add("verify");
        start.ArgumentList.Add(Path.Combine("architectures", "lenet5.cnn"));
        start.ArgumentList.Add("--model");
        start.ArgumentList.Add("LeNet5");
        start.Environment["OMP_NUM_THREADS"] = "1";
        using var process = Process.Start(start)!;
        var errorRead = process.StandardError.ReadToEndAsync();
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await errorRead;
        await process.WaitForExitAsync();

        Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}:\n{output}\n{error}");
        Assert.Contains("Verified 1 model of", output);
        Assert.DoesNotContain("NNPACK", error);
        Assert.DoesNotContain("[W ", error);
    }

    private static void Write(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        Assert.Equal(bytes.Length, (int)Libc.write(2, bytes, (nint)bytes.Length));
    }

    private static class Libc
    {
        [DllImport("libc.so.6", SetLastError = true)]
        public static extern nint write(int fd, byte[] buffer, nint count);
    }
}
