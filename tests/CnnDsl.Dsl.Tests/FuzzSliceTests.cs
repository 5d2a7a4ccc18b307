using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using CnnDsl.Fuzz;
using Xunit;

namespace CnnDsl.Dsl.Tests;

/// <summary>A fixed-seed slice of the fuzz harness (tools/CnnDsl.Fuzz, whose case generator this
/// project compiles): the same kinds of cases, a few hundred of them, on a 1 MiB stack. The
/// harness itself runs 100,000 and more; its figures are in benchmarks/RESULTS.md.</summary>
public class FuzzSliceTests
{
    private const int Cases = 400;

    [Fact]
    public void A_fixed_seed_slice_of_the_fuzz_cases_neither_throws_nor_breaks_an_invariant()
    {
        var corpus = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "architectures"), "*.cnn")
            .OrderBy(f => f, StringComparer.Ordinal)
            .Select(f => (Path.GetFileName(f), File.ReadAllText(f).Replace("\r\n", "\n")))
            .ToList();
        var cases = new FuzzCases(corpus);
        var problems = new List<string>();
        var kinds = new HashSet<string>();
        var thread = new Thread(() =>
        {
            for (var i = 0; i < Cases; i++)
            {
                var fuzzCase = cases.Make(20250601, i);
                kinds.Add(fuzzCase.Kind);
                try
                {
                    FuzzChecks.Run(fuzzCase);
                }
                catch (Exception e)
                {
                    problems.Add($"case #{i} (seed 0x{fuzzCase.Seed:X16}, {fuzzCase.Kind}): {e.GetType().Name}: {e.Message}");
                }
            }
        }, 1024 * 1024);
        thread.Start();
        thread.Join();

        Assert.True(problems.Count == 0, string.Join("\n", problems));
        Assert.Equal(new[] { "bytes", "mutation", "pathological", "program", "tokens" }, kinds.OrderBy(k => k, StringComparer.Ordinal));
    }

    [Fact]
    public void A_case_depends_only_on_its_seed_and_index()
    {
        var corpus = new[] { ("a.cnn", "model M input 1x8x8 = conv(4, 3) -> relu\n") };
        var first = new FuzzCases(corpus);
        var second = new FuzzCases(corpus);
        for (var i = 0; i < 50; i++)
        {
            var a = first.Make(7, i);
            var b = second.Make(7, 49 - i);
            var again = second.Make(7, i);
            Assert.Equal((a.Kind, a.Text, a.Bytes?.Length), (again.Kind, again.Text, again.Bytes?.Length));
            if (a.Bytes is not null) Assert.Equal(a.Bytes, again.Bytes);
            Assert.NotNull(b);
        }
    }
}
