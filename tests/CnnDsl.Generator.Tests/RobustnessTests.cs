using System;
using System.Linq;
using Microsoft.CodeAnalysis;
using Xunit;

namespace CnnDsl.Generator.Tests;

/// <summary>No input may make the generator throw (the compiler would report CS8785 and drop all
/// generated code) or overflow the stack (the compiler would die): each gets CNN diagnostics.</summary>
public sealed class RobustnessTests
{
    public static TheoryData<string, string> Inputs() => new()
    {
        { "empty", "" },
        { "deep brackets", "model M input 1x8x8 = " + new string('(', 100_000) + "relu" + new string(')', 100_000) },
        { "deep lists", "let a = " + new string('[', 100_000) + new string(']', 100_000) },
        { "huge integer", "model M input 1x8x8 = conv(99999999999999999999999999, 3)" },
        { "huge input", "model M input 99999999999x99999999999x99999999999 = conv(8, 3)" },
        { "count overflow", "model M input 4000000000x4000000000x4000000000 = flatten -> linear(4000000000)" },
        { "self recursion", "block b(n) = conv(8, 3) -> b(n)\nmodel M input 1x8x8 = b(1)" },
        { "mutual recursion", "block a = b\nblock b = a\nmodel M input 1x8x8 = a" },
        { "binary garbage", new string(Enumerable.Range(0, 4096).Select(i => (char)((i * 7919) % 65000)).ToArray()) },
        { "kernel too large", "model M input 1x4x4 = conv(8, 9)" },
        { "zero size", "model M input 0x8x8 = conv(8, 3)" },
        { "stray character", "model A input 1x8x8 = conv(8, 3) $ relu\nmodel B input 1x8x8 = conv(8, 3) -> rleu" },
        { "not UTF-8, as the compiler decodes it", "# R\u00e9seau\nmodel M input 1x8x8 = conv(8, 3) -> re\u00e9" },
        { "10 MB", string.Concat(System.Linq.Enumerable.Repeat("model M input 3x32x32 = conv(16, 3) -> relu\n", 240_000)) },
        { "positional after named", "model M input 1x8x8 = conv(out: 8, 3)" },
    };

    [Theory]
    [MemberData(nameof(Inputs))]
    public void Bad_input_becomes_diagnostics_never_an_exception(string name, string text)
    {
        var result = GeneratorHarness.Run(("/p/bad.cnn", text));

        Assert.Null(result.Results.Single().Exception);
        Assert.DoesNotContain(result.Diagnostics, d => d.Id is "CS8785" or "CNN9000");
        if (name != "empty") Assert.Contains(result.Diagnostics, d => d.Id.StartsWith("CNN", StringComparison.Ordinal) && d.Severity == DiagnosticSeverity.Error);
    }
}
