using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading;
using CnnDsl.Dsl.Diagnostics;
using CnnDsl.Fuzz;
using Xunit;

namespace CnnDsl.Dsl.Tests;

/// <summary>The inputs the robustness issue names: each gets a located diagnostic, on a 1 MiB
/// stack, within bounded time and memory (measured as the compiling thread's own CPU time and
/// allocations, so a busy machine does not make the test flaky).</summary>
public class InputRobustnessTests
{
    /// <summary>Far above what any of these takes (a fraction of a second), far below a hang.</summary>
    private const double MaxCpuMilliseconds = 10_000;

    /// <summary>Bytes allocated while compiling one input (not kept: allocated in all).</summary>
    private const long MaxAllocatedBytes = 1_500_000_000;

    public static TheoryData<string> Names() => new(Inputs.Keys);

    private static readonly Dictionary<string, Func<object>> Inputs = new()
    {
        ["100,000 levels of brackets"] = () => "model M input 1x8x8 = " + new string('(', 100_000) + "relu" + new string(')', 100_000),
        ["100,000 levels of lists"] = () => "let a = " + new string('[', 100_000) + new string(']', 100_000) + "\nmodel M input 1x8x8 = relu",
        ["100,000 levels of blocks { }"] = () => "model M input 1x8x8 = " + string.Concat(Enumerable.Repeat("if true { ", 100_000)) + "relu" + new string('}', 100_000),
        ["10,000 blocks calling the next"] = () => string.Join("\n", Enumerable.Range(0, 10_000).Select(i => $"block b{i} = b{i + 1}")) + "\nblock b10000 = relu\nmodel M input 1x8x8 = b0",
        ["20,000 levels of if { }"] = () => "model M input 1x8x8 = " + string.Concat(Enumerable.Repeat("if true { ", 20_000)) + "relu" + new string('}', 20_000),
        ["100,000 blocks calling the next"] = () => string.Join("\n", Enumerable.Range(0, 100_000).Select(i => $"block b{i} = b{i + 1}")) + "\nblock b100000 = relu\nmodel M input 1x8x8 = b0",
        ["a block that calls itself"] = () => "block b(n) = conv(8, 3, pad: 1) -> b(n + 1)\nmodel M input 1x8x8 = b(0)",
        ["blocks that call each other"] = () => "block a(n) = relu -> c(n)\nblock c(n) = tanh -> a(n)\nmodel M input 1x8x8 = a(1)",
        ["a block that calls itself twice"] = () => "block t(n) = if n > 0 { t(n - 1) -> t(n - 1) } else { relu if false }\nmodel M input 1x8x8 = relu -> t(60)",
        ["an integer beyond 64 bits"] = () => "model M input 1x8x8 = conv(123456789012345678901234567890, 3)",
        ["an input size beyond 64 bits"] = () => "model M input 99999999999999999999x8x8 = conv(8, 3)",
        ["arithmetic that overflows"] = () => "let big = 9223372036854775807\nmodel M input 1x8x8 = conv(big + 1, 3)",
        ["a parameter count that overflows"] = () => "model M input 4000000000x4000000000x4000000000 = flatten -> linear(4000000000)",
        ["a zero size"] = () => "model M input 0x8x8 = conv(8, 3)",
        ["a negative size"] = () => "model M input 1x8x8 = conv(-8, 3)",
        ["a negative input size"] = () => "model M input -1x8x8 = conv(8, 3)",
        ["a kernel larger than its input"] = () => "model M input 1x4x4 = conv(8, 9)",
        ["an empty file"] = () => "",
        ["binary garbage"] = () => Garbage(65_536, 256).Select(c => (byte)c).ToArray(),
        ["binary garbage as text"] = () => new string(Garbage(65_536, 0x3000)),
        ["a 10 MB file"] = () => string.Concat(Enumerable.Repeat("model M input 3x32x32 = conv(16, 3) -> relu # 10 MB of this\n", 10_000_000 / 56)),
        ["a 10 MB file of bytes"] = () => Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("let a = [1, 2, 3]\n", 10_000_000 / 18))),
        ["a file just under the size limit"] = () => "let l = [" + string.Join(", ", Enumerable.Repeat("1", (CnnCompiler.MaxFileLength - 100) / 3)) + "]\nmodel M input 1x8x8 = conv(len(l), 1) -> rleu",
        ["a file that is not UTF-8"] = () => Encoding.Latin1.GetBytes("# Réseau\nmodel M input 1x8x8 = conv(8, 3) # é\n"),
        ["a UTF-16 file"] = () => Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes("model M input 1x8x8 = relu")).ToArray(),
        ["a huge repeat"] = () => "model M input 1x8x8 = repeat 1000000000 { conv(1, 1) }",
        ["loops inside loops"] = () => "model M input 1x8x8 = relu -> for i in range(100000) { for j in range(100000) { relu if false } }",
        ["lists doubled again and again"] = () => "let a0 = range(100000)\n" + string.Join("\n", Enumerable.Range(1, 200).Select(i => $"let a{i} = a{i - 1} + []")) + "\nmodel M input 1x8x8 = conv(len(a200), 1)",
        ["one line of 10 MB"] = () => "model M input 1x8x8 = relu" + new string(' ', 10_000_000) + "$",
    };

    private static char[] Garbage(int length, int below)
    {
        var random = new Random(4);
        return Enumerable.Range(0, length).Select(_ => (char)random.Next(below)).ToArray();
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Each_gets_a_located_diagnostic_within_bounded_time_and_memory(string name)
    {
        var input = Inputs[name]();
        var (result, cpu, allocated) = OnSmallStack(() => input is byte[] bytes ? CnnCompiler.Compile("input.cnn", bytes) : CnnCompiler.Compile("input.cnn", (string)input));

        Assert.NotEmpty(result.Diagnostics);
        Assert.InRange(result.Diagnostics.Count, 1, DiagnosticBag.MaxDiagnostics + 1);
        Assert.All(result.Diagnostics, d =>
        {
            Assert.InRange(d.Location.Range.Start, 0, result.Source.Text.Length);
            Assert.InRange(d.Location.Range.End, d.Location.Range.Start, result.Source.Text.Length);
            Assert.False(string.IsNullOrWhiteSpace(d.Message));
        });
        if (name != "an empty file") Assert.True(result.HasErrors, name);
        if (!double.IsNaN(cpu)) Assert.True(cpu < MaxCpuMilliseconds, $"{name}: {cpu:F0} ms of CPU");
        Assert.True(allocated < MaxAllocatedBytes, $"{name}: {allocated:N0} bytes allocated");

        // Rendering is bounded too, and never sends a control character to a terminal.
        var rendered = DiagnosticRenderer.Render(result.Diagnostics);
        Assert.True(rendered.Length < 200_000, $"{name}: {rendered.Length} characters rendered");
        Assert.DoesNotContain(rendered, c => char.IsControl(c) && c != '\n');
    }

    [Fact]
    public void The_named_inputs_give_the_codes_that_explain_them()
    {
        string CodesOf(string name)
        {
            var input = Inputs[name]();
            var result = OnSmallStack(() => input is byte[] bytes ? CnnCompiler.Compile("input.cnn", bytes) : CnnCompiler.Compile("input.cnn", (string)input)).Result;
            return string.Join(",", result.Diagnostics.Select(d => d.Code).Distinct());
        }

        Assert.Equal("CNN0003", CodesOf("100,000 levels of brackets"));
        Assert.Equal("CNN0017", CodesOf("10,000 blocks calling the next"));
        Assert.Equal("CNN0003", CodesOf("20,000 levels of if { }"));
        Assert.Equal("CNN0007", CodesOf("100,000 blocks calling the next")); // 2 MB: over the size limit
        Assert.Equal("CNN0017", CodesOf("blocks that call each other"));
        Assert.Equal("CNN0025", CodesOf("a block that calls itself twice"));
        Assert.Equal("CNN0004", CodesOf("an integer beyond 64 bits"));
        Assert.Equal("CNN0004", CodesOf("arithmetic that overflows"));
        Assert.Equal("CNN0037", CodesOf("a parameter count that overflows"));
        Assert.Equal("CNN0018", CodesOf("a zero size"));
        Assert.Equal("CNN0031", CodesOf("a kernel larger than its input"));
        Assert.Equal("CNN0041", CodesOf("an empty file"));
        Assert.Equal("CNN0007", CodesOf("a 10 MB file"));
        Assert.Equal("CNN0006", CodesOf("a file that is not UTF-8"));
        Assert.Equal("CNN0006", CodesOf("a UTF-16 file"));
        Assert.Equal("CNN0018", CodesOf("a huge repeat"));
        Assert.Equal("CNN0025", CodesOf("loops inside loops"));
    }

    [Fact]
    public void Bytes_that_are_not_utf8_are_reported_where_they_are()
    {
        // "é" in Latin-1 is the single byte 0xE9: in a comment on line 1, and inside a name on line 2.
        var bytes = Encoding.Latin1.GetBytes("# Réseau\nmodel M input 1x8x8 = conv(8, 3) -> reé\n");
        var result = CnnCompiler.Compile("latin1.cnn", bytes);
        Assert.Equal(new[] { ("CNN0006", 0, 3), ("CNN0006", 1, 38) },
            result.Diagnostics.Select(d => (d.Code, d.Location.StartLine, d.Location.StartColumn)));
        Assert.Equal("byte 0xE9 (at byte offset 3) is not valid UTF-8", result.Diagnostics[0].Message);
        Assert.Empty(result.Models); // the hole in model M leaves it out, without another report

        // The same text in UTF-8, with or without a byte order mark, is fine (é in a comment).
        var good = Encoding.UTF8.GetBytes("# Réseau\nmodel M input 1x8x8 = conv(8, 3)\n");
        Assert.Empty(CnnCompiler.Compile("utf8.cnn", good).Diagnostics);
        Assert.Empty(CnnCompiler.Compile("bom.cnn", Encoding.UTF8.GetPreamble().Concat(good).ToArray()).Diagnostics);
    }

    [Theory]
    [InlineData(new byte[] { 0xC0, 0xAF }, 2)] // overlong '/'
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 }, 3)] // a surrogate
    [InlineData(new byte[] { 0xF4, 0x90, 0x80, 0x80 }, 4)] // above U+10FFFF
    [InlineData(new byte[] { 0xE2, 0x82 }, 2)] // cut short
    [InlineData(new byte[] { 0x80 }, 1)] // a continuation byte alone
    public void Strict_utf8_rejects_what_the_standard_rejects(byte[] invalid, int length)
    {
        var bytes = Encoding.ASCII.GetBytes("# x").Concat(invalid).Concat(Encoding.ASCII.GetBytes("\nmodel M input 1x8x8 = relu\n")).ToArray();
        var diagnostic = Assert.Single(CnnCompiler.Compile("bad.cnn", bytes).Diagnostics);
        Assert.Equal(("CNN0006", 3, 3 + length), (diagnostic.Code, diagnostic.Location.Range.Start, diagnostic.Location.Range.End));
    }

    [Fact]
    public void A_file_over_the_size_limit_is_reported_at_the_limit_and_not_read()
    {
        var line = "model M input 3x32x32 = conv(16, 3) -> relu\n";
        var text = string.Concat(Enumerable.Repeat(line, CnnCompiler.MaxFileLength / line.Length + 1));
        var diagnostic = Assert.Single(CnnCompiler.Compile("big.cnn", text).Diagnostics);
        Assert.Equal(("CNN0007", CnnCompiler.MaxFileLength), (diagnostic.Code, diagnostic.Location.Range.Start));
        Assert.Equal((CnnCompiler.MaxFileLength / line.Length, CnnCompiler.MaxFileLength % line.Length),
            (diagnostic.Location.StartLine, diagnostic.Location.StartColumn));
    }

    [Fact]
    public void At_most_the_first_hundred_diagnostics_of_a_file_are_kept_then_a_count()
    {
        // 300 stray characters, then (earlier in the file, but found later) 50 unknown names.
        var text = string.Join("\n", Enumerable.Range(0, 50).Select(i => $"model M{i} input 1x8x8 = rleu"))
            + "\n" + string.Concat(Enumerable.Repeat("; ", 300));
        var result = CnnCompiler.Compile("many.cnn", text);
        Assert.Equal(DiagnosticBag.MaxDiagnostics + 1, result.Diagnostics.Count);
        // The first hundred in the file: all 50 unknown names, then the first 50 `;`.
        Assert.Equal(50, result.Diagnostics.Count(d => d.Code == "CNN0010"));
        var last = result.Diagnostics[^1];
        Assert.Equal(("CNN0005", Severity.Error), (last.Code, last.Severity));
        Assert.Equal("250 more errors not shown: only the first 100 of a file are reported", last.Message);
        Assert.Equal(text.IndexOf(';') + 2 * 50, last.Location.Range.Start);
    }

    [Fact]
    public void The_count_of_warnings_left_out_is_a_warning()
    {
        var text = string.Join("\n", Enumerable.Range(0, 120).Select(i => $"let unused{i} = {i}")) + "\nmodel M input 1x8x8 = relu";
        var result = CnnCompiler.Compile("warnings.cnn", text);
        Assert.False(result.HasErrors);
        Assert.Equal(("CNN0005", Severity.Warning), (result.Diagnostics[^1].Code, result.Diagnostics[^1].Severity));
        Assert.Equal("20 more warnings not shown: only the first 100 of a file are reported", result.Diagnostics[^1].Message);
        Assert.Equal("M", Assert.Single(result.Models).Name);
    }

    /// <summary>Runs on a thread with a 1 MiB stack; returns the result, the thread's CPU time
    /// (NaN where the OS does not say) and the bytes it allocated.</summary>
    private static (T Result, double CpuMilliseconds, long AllocatedBytes) OnSmallStack<T>(Func<T> compile)
    {
        T result = default!;
        double cpu = double.NaN;
        long allocated = 0;
        Exception? error = null;
        var thread = new Thread(() =>
        {
            try
            {
                var cpuStart = ThreadCpu.Milliseconds();
                var allocatedStart = GC.GetAllocatedBytesForCurrentThread();
                result = compile();
                allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedStart;
                cpu = ThreadCpu.Milliseconds() - cpuStart;
            }
            catch (Exception e)
            {
                error = e;
            }
        }, 1024 * 1024);
        thread.Start();
        thread.Join();
        if (error is not null) throw new Xunit.Sdk.XunitException("the compiler threw: " + error);
        return (result, cpu, allocated);
    }
}
