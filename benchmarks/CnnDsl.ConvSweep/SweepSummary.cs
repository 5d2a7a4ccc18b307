using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace CnnDsl.ConvSweep;

/// <summary>The sweep's Markdown tables: the forward pass by input channels per group, the input
/// gradient by output channels per group (the channels each one sums over), and every factor.</summary>
public static class SweepSummary
{
    /// <summary>Prints the tables; returns the number of failing cases.</summary>
    public static int Print(IReadOnlyList<(ConvCase Case, CaseErrors Errors)> results, double threshold)
    {
        bool Bad(double e) => !(e <= threshold);
        string Class(int channels) => channels <= 16 ? "<=16" : channels % 16 == 0 ? "16k" : ">16, not 16k";

        Console.WriteLine();
        Console.WriteLine("| op | kernel | groups | C_in per group | failing forward | C_out per group | failing input gradient | failing weight gradient | worst error |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|");
        var byKind = results.GroupBy(r => (r.Case.Kind, r.Case.Kernel, Grouped: r.Case.Groups > 1))
            .OrderBy(g => g.Key.Kind).ThenBy(g => g.Key.Kernel).ThenBy(g => g.Key.Grouped);
        foreach (var kind in byKind)
        {
            foreach (var inClass in kind.GroupBy(r => Class(r.Case.InChannels / r.Case.Groups)).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                var first = true;
                foreach (var outClass in inClass.GroupBy(r => Class(r.Case.OutChannels / r.Case.Groups)).OrderBy(g => g.Key, StringComparer.Ordinal))
                {
                    Console.WriteLine(string.Join(" | ", new[]
                    {
                        "", kind.Key.Kind, $"{kind.Key.Kernel}x{kind.Key.Kernel}", kind.Key.Grouped ? ">1" : "1",
                        inClass.Key, first ? Count(inClass, r => Bad(r.Errors.Output)) : "\"",
                        outClass.Key, Count(outClass, r => Bad(r.Errors.InputGrad)), Count(outClass, r => Bad(r.Errors.WeightGrad)),
                        E(Worst(outClass)), "",
                    }).Trim());
                    first = false;
                }
            }
        }

        Console.WriteLine();
        Console.WriteLine("| factor | value | cases | failing (any of the three) | worst error |");
        Console.WriteLine("|---|---|---|---|---|");
        var factors = new (string Name, Func<ConvCase, string> Value)[]
        {
            ("batch", c => c.Batch.ToString(CultureInfo.InvariantCulture)),
            ("stride", c => c.Stride.ToString(CultureInfo.InvariantCulture)),
            ("dilation", c => c.Dilation.ToString(CultureInfo.InvariantCulture)),
            ("groups", c => c.Groups == 1 ? "1" : c.Groups == c.InChannels ? "depthwise" : "2 or 4"),
            ("input size", c => $"{c.Size}x{c.Size}"),
            ("padding", c => c.Padding == 0 ? "0" : "K/2 x dilation"),
        };
        foreach (var (name, value) in factors)
        {
            foreach (var group in results.GroupBy(r => value(r.Case)).OrderBy(g => g.Key.Length).ThenBy(g => g.Key, StringComparer.Ordinal))
            {
                Console.WriteLine($"| {name} | {group.Key} | {group.Count()} | {group.Count(r => Bad(r.Errors.Worst))} | {E(Worst(group))} |");
            }
        }

        int failing = results.Count(r => Bad(r.Errors.Worst));
        var passing = results.Where(r => !Bad(r.Errors.Worst)).Select(r => r.Errors.Worst).DefaultIfEmpty(0).Max();
        var failingErrors = results.Where(r => Bad(r.Errors.Worst)).Select(r => r.Errors.Worst).ToList();
        Console.WriteLine();
        Console.WriteLine($"{failing} of {results.Count} cases over {threshold:E0} ({failingErrors.Count(double.IsNaN)} of them NaN; " +
            $"smallest failing error {E(failingErrors.Where(e => !double.IsNaN(e)).DefaultIfEmpty(double.NaN).Min())}); largest error of the passing cases {E(passing)}.");
        return failing;
    }

    private static string Count(IEnumerable<(ConvCase Case, CaseErrors Errors)> rows, Func<(ConvCase Case, CaseErrors Errors), bool> bad)
    {
        var list = rows.ToList();
        return $"{list.Count(bad)} of {list.Count}";
    }

    private static double Worst(IEnumerable<(ConvCase Case, CaseErrors Errors)> rows) =>
        rows.Select(r => r.Errors.Worst).Aggregate(0.0, (a, b) => double.IsNaN(a) || double.IsNaN(b) ? double.NaN : Math.Max(a, b));

    private static string E(double v) => double.IsNaN(v) ? "NaN" : v.ToString("0.0E+0", CultureInfo.InvariantCulture);
}
