using System.Collections.Generic;
using CnnDsl.Benchmarks.Harness;
using TorchSharp;
using static TorchSharp.torch;

namespace CnnDsl.Benchmarks.Suites;

/// <summary>(1) Generated class vs hand-written TorchSharp, and runtime interpreter vs generated
/// class: forward pass, eval mode, no_grad, identical weights. Each comparison is its own
/// interleaved pair (A B, B A, ...), so that neither side ever inherits the memory state left by
/// the third engine.</summary>
public static class ForwardSuite
{
    public static void Run(IReadOnlyList<string> models, IReadOnlyList<int> batches, Options o)
    {
        var rows = new List<string>();
        var interpRows = new List<string>();
        foreach (var name in models)
        {
            Report.Progress($"{name}: building the three engines");
            using var generated = Models.Generated(name);
            using var hand = Models.HandWritten(name);
            using var interpreted = o.Interpreter ? Models.Interpreted(name) : null;
            Models.RandomizeBatchNorms(generated);
            Models.CopyWeights(generated, hand);
            if (interpreted is not null) Models.CopyWeights(generated, interpreted);
            generated.eval();
            hand.eval();
            interpreted?.eval();

            foreach (var batch in batches)
            {
                using var noGrad = no_grad();
                using var input = randn(batch, 3, 224, 224);

                double diffHand, diffInterp = double.NaN;
                using (var scope = NewDisposeScope())
                {
                    var reference = generated.forward(input);
                    diffHand = Models.RelativeDifference(hand.forward(input), reference);
                    if (interpreted is not null) diffInterp = Models.RelativeDifference(interpreted.forward(input), reference);
                }

                Report.Progress($"{name} batch {batch}: generated vs hand-written");
                var pair = new Interleaved(new List<Case>
                {
                    new("generated", () => { using var s = NewDisposeScope(); generated.forward(input); }),
                    new("hand", () => { using var s = NewDisposeScope(); hand.forward(input); }),
                }).Run(o.Warmup, o.MinRounds, o.MaxRounds, o.BudgetSeconds, o.Verbose ? Report.Progress : null);
                rows.Add(Report.Row(name, batch, pair.RoundsText, Text.F(pair.ForeignMedian, "P0"),
                    pair.Of("generated").Format("F1"), pair.Of("hand").Format("F1"),
                    pair.Ratio("generated", "hand").FormatWithCi("F3"), Text.F(diffHand, "E1"),
                    $"{Text.F(pair.Faults("generated").Median, "F0")} / {Text.F(pair.Faults("hand").Median, "F0")}"));

                if (interpreted is null) continue;
                Report.Progress($"{name} batch {batch}: interpreter vs generated");
                var second = new Interleaved(new List<Case>
                {
                    new("interpreter", () => { using var s = NewDisposeScope(); interpreted.forward(input); }),
                    new("generated", () => { using var s = NewDisposeScope(); generated.forward(input); }),
                }).Run(o.Warmup, o.MinRounds / 2, o.MaxRounds, o.BudgetSeconds / 2, o.Verbose ? Report.Progress : null);
                interpRows.Add(Report.Row(name, batch, second.RoundsText, Text.F(second.ForeignMedian, "P0"),
                    second.Of("interpreter").Format("F1"), second.Of("generated").Format("F1"),
                    second.Ratio("interpreter", "generated").FormatWithCi("F3"), Text.F(diffInterp, "E1"),
                    $"{Text.F(second.Faults("interpreter").Median, "F0")} / {Text.F(second.Faults("generated").Median, "F0")}"));
            }
        }

        Report.Line(Report.Header("model", "batch", "rounds", "others' CPU share", "generated ms", "hand-written ms",
            "generated / hand-written, median (95% CI) [p25, p75]", "max rel. diff", "minor page faults per pass, gen / hand"));
        foreach (var r in rows) Report.Line(r);
        if (interpRows.Count == 0) return;
        Report.Line();
        Report.Line(Report.Header("model", "batch", "rounds", "others' CPU share", "interpreter ms", "generated ms",
            "interpreter / generated, median (95% CI) [p25, p75]", "max rel. diff", "minor page faults per pass, interp / gen"));
        foreach (var r in interpRows) Report.Line(r);
    }
}
