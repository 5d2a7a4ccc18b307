using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Xml.Linq;
using Xunit;

namespace CnnDsl.Cli.Tests;

/// <summary>Every figure cnn derives is exact or refused: a model whose counts pass 2^53 is a
/// located CNN0037 error in <c>check</c> as in <c>summary</c>, a <c>--batch</c> or <c>--count</c>
/// that takes a figure past 64 bits is a usage error naming the option, and nothing prints a
/// wrapped (negative) count or stops halfway with an internal error.</summary>
public sealed class FigureLimitTests
{
    [Fact]
    public void A_conv_with_five_quintillion_multiply_adds_is_CNN0037_at_the_conv_in_check_and_summary()
    {
        // 11400 * 11400 positions * 65536 * 65536 connections * 9 = 5,023,565,548,093,440,000 > 2^53.
        using var file = new TempCnnFile("model Big input 65536x11400x11400 = conv(65536, 3, pad: 1, bias: false)\n");

        var check = CliRunner.Run("check", file.Path);
        var summary = CliRunner.Run("summary", file.Path, "--format", "csv");

        Assert.Equal(1, check.ExitCode);
        Assert.Contains(":1:37: error[CNN0037]: in model `Big`, layer `0` (conv): it costs 5,023,565,548,093,440,000 multiply-adds per sample, more than 2^53", check.Out);
        Assert.Equal(1, summary.ExitCode);
        Assert.Equal("", summary.Out);
        Assert.Contains("error[CNN0037]", summary.Error);
    }

    [Fact]
    public void A_linear_layer_of_1_2e18_features_is_CNN0037_at_the_linear_layer()
    {
        using var file = new TempCnnFile("model Lin input 1x1x1 = flatten -> linear(1200000000000000000)\n");

        var check = CliRunner.Run("check", file.Path);

        Assert.Equal(1, check.ExitCode);
        Assert.Contains(
            ":1:36: error[CNN0037]: in model `Lin`, layer `1` (linear): its output, 1200000000000000000 features, has 1,200,000,000,000,000,000 elements per sample",
            check.Out);

        // Every other command reads the same analysis: the same located error, exit 1, and
        // nothing built (verify and train would have allocated the layer).
        foreach (var command in new[]
        {
            new[] { "summary", file.Path, "--format", "json" },
            new[] { "summary", file.Path, "--format", "csv", "--batch", "62000" },
            new[] { "verify", file.Path },
            new[] { "train", file.Path, "--data", "missing-data-folder" },
        })
        {
            var run = CliRunner.Run(command);
            Assert.True(run.ExitCode == 1, $"{string.Join(" ", command)}: exit {run.ExitCode}\n{run.Out}\n{run.Error}");
            Assert.Contains("error[CNN0037]", run.Out + run.Error);
            Assert.DoesNotContain("-1", run.Out);
        }
    }

    [Fact]
    public void A_batch_that_takes_FLOPs_past_64_bits_is_a_usage_error_with_the_largest_batch_that_fits()
    {
        // 2048 * 2048 positions * 8192 * 8192 connections * 9 = 2,533,274,790,395,904 MACs per
        // sample, under 2^53. FLOPs for a batch b are 2 * b * that: the largest b under 2^63 is
        // floor((2^63 - 1) / 5,066,549,580,791,808) = 1,820 (the byte figures allow far more). At
        // 62,000 samples the multiply-adds alone pass 2^63, and they are what the message names.
        using var file = new TempCnnFile("model Large input 8192x2048x2048 = conv(8192, 3, pad: 1)\n");

        Assert.Equal(0, CliRunner.Run("summary", file.Path, "--batch", "1820", "--format", "json").ExitCode);
        var run = CliRunner.Run("summary", file.Path, "--batch", "62000");

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("", run.Out);
        Assert.Equal(
            "error: --batch 62,000: at this batch the multiply-adds of model 'Large' would not fit in 64 bits; the largest batch at which every figure fits is 1,820.\n"
            + "Run 'cnn summary --help' for usage.\n",
            run.Error);
    }

    [Fact]
    public void VGG16_at_4096_pixels_and_a_million_samples_names_the_batch_it_fits_at()
    {
        // Every VGG16 layer at 4096x4096 sees (4096/224)^2 times the positions it sees at 224
        // (the sizes halve exactly five times either way): conv multiply-adds 15,346,630,656 / 50,176
        // * 16,777,216 = 5,131,412,176,896; the classifier after adaptive pooling to 7x7 is
        // unchanged: 25,088 * 4,096 + 4,096 * 4,096 + 4,096 * 1,000 = 123,633,664.
        const long macs = 5_131_412_176_896 + 123_633_664;
        var largest = long.MaxValue / (2 * macs);

        var run = CliRunner.Run("summary", CliRunner.Architecture("vgg.cnn"), "--model", "VGG16", "--batch", "1000000", "--input", "3x4096x4096");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"the largest batch at which every figure fits is {largest.ToString("N0", CultureInfo.InvariantCulture)}.", run.Error);
        Assert.Equal(898_695, largest);
        var fits = CliRunner.Run("summary", CliRunner.Architecture("vgg.cnn"), "--model", "VGG16", "--batch", "898695", "--input", "3x4096x4096", "--format", "json");
        Assert.Equal(0, fits.ExitCode);
        Assert.Equal(2 * macs * largest, JsonDocument.Parse(fits.Out).RootElement.GetProperty("flops").GetInt64());
    }

    /// <summary>Random models, from tiny to as large as the count limit allows, summarised in every
    /// format at random batches, element types and counting conventions: the exit code is 0, 1 or 2
    /// (never 4), a model <c>check</c> accepts is summarised at the defaults, and no number printed
    /// is negative.</summary>
    [Fact]
    public void Random_large_models_and_options_never_overflow_a_figure()
    {
        var random = new Random(20260101);
        var formats = new[] { "text", "json", "csv", "markdown" };
        var counts = new[] { "torchvision", "fvcore", "ptflops", "torchinfo", "all" };
        var dtypes = new[] { "float32", "float16", "bfloat16" };
        var exits = new Dictionary<int, int>();
        for (var i = 0; i < 60; i++)
        {
            var source = RandomModel(random);
            using var file = new TempCnnFile(source);
            var check = CliRunner.Run("check", file.Path);
            Assert.True(check.ExitCode is 0 or 1, $"check exited {check.ExitCode} on\n{source}\n{check.Out}{check.Error}");
            if (check.ExitCode == 0)
            {
                var plain = CliRunner.Run("summary", file.Path, "--format", "json");
                Assert.True(plain.ExitCode == 0, $"check passed but summary exited {plain.ExitCode} on\n{source}\n{plain.Error}");
                AssertNoNegativeNumber(plain.Out, "json", source);
            }

            var format = formats[random.Next(formats.Length)];
            var batch = random.Next(3) == 0 ? "1000000" : random.Next(1, 100_000).ToString(CultureInfo.InvariantCulture);
            var run = CliRunner.Run("summary", file.Path, "--format", format, "--batch", batch,
                "--count", counts[random.Next(counts.Length)], "--dtype", dtypes[random.Next(dtypes.Length)]);
            Assert.True(run.ExitCode is 0 or 1 or 2, $"summary exited {run.ExitCode} on\n{source}\n{run.Error}");
            Assert.DoesNotContain("internal error", run.Error);
            if (run.ExitCode == 0) AssertNoNegativeNumber(run.Out, format, source);
            else Assert.Equal("", run.Out);
            exits[run.ExitCode] = exits.GetValueOrDefault(run.ExitCode) + 1;
        }

        // The generator reaches every outcome: figures that fit, models beyond the limit, batches beyond 64 bits.
        Assert.True(exits.Keys.Order().SequenceEqual(new[] { 0, 1, 2 }), string.Join(", ", exits.Select(e => $"exit {e.Key}: {e.Value}")));
    }

    [Fact]
    public void The_projects_that_derive_figures_check_their_arithmetic()
    {
        foreach (var project in new[] { "Dsl/CnnDsl.Dsl.csproj", "Generator/CnnDsl.Generator.csproj", "Cli/CnnDsl.Cli.csproj" })
        {
            var xml = XDocument.Load(Path.Combine(RepositoryRoot(), project));
            Assert.Equal("true", xml.Descendants("CheckForOverflowUnderflow").Single().Value);
        }
    }

    /// <summary>A chain of 1 to 6 layers on an input whose sizes are drawn on a log scale, so
    /// that some models are small, some near 2^53 and some beyond it.</summary>
    private static string RandomModel(Random random)
    {
        long Size(int maxBits) => Math.Max(1, (long)Math.Pow(2, random.NextDouble() * maxBits));
        var channels = Size(16);
        var side = Size(15);
        var layers = new List<string>();
        var flat = false;
        for (var n = random.Next(1, 7); layers.Count < n;)
        {
            switch (random.Next(flat ? 3 : 8))
            {
                case 0:
                    layers.Add("relu");
                    break;
                case 1:
                    layers.Add("batchnorm");
                    break;
                case 2:
                    if (!flat) layers.Add("flatten");
                    flat = true;
                    layers.Add($"linear({Size(40)})");
                    break;
                case 3:
                    layers.Add($"conv({Size(16)}, {random.Next(1, 4) * 2 - 1}, pad: same)");
                    break;
                case 4:
                    layers.Add("maxpool(2, ceil: true)");
                    break;
                case 5:
                    layers.Add($"upsample({random.Next(1, 5)}, mode: bilinear)");
                    break;
                case 6:
                    layers.Add($"lrn({random.Next(1, 6)})");
                    break;
                default:
                    layers.Add($"residual(conv({Size(12)}, 3, pad: 1) -> batchnorm, shortcut: projection)");
                    break;
            }
        }

        return $"model R input {channels}x{side}x{side} = {string.Join(" -> ", layers)}\n";
    }

    private static void AssertNoNegativeNumber(string output, string format, string source)
    {
        var numbers = format switch
        {
            "json" => JsonNumbers(JsonDocument.Parse(output).RootElement),
            "csv" => output.Split('\n').Skip(1).SelectMany(l => l.Split(',')).Where(f => long.TryParse(f, out _)).Select(long.Parse),
            _ => System.Text.RegularExpressions.Regex.Matches(output, @"(?<![\w.])-\d").Select(_ => -1L),
        };
        Assert.True(numbers.All(n => n >= 0), $"a negative number in the {format} summary of\n{source}\n{output}");
    }

    private static IEnumerable<long> JsonNumbers(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().SelectMany(p => JsonNumbers(p.Value)),
        JsonValueKind.Array => element.EnumerateArray().SelectMany(JsonNumbers),
        JsonValueKind.Number => new[] { element.TryGetInt64(out var value) ? value : (long)Math.Sign(element.GetDouble()) },
        _ => Array.Empty<long>(),
    };

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "CnnDsl.sln"))) directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException("CnnDsl.sln not found above " + AppContext.BaseDirectory);
    }
}
