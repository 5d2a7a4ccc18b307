using System.Collections.Generic;
using System.Linq;
using CnnDsl.Benchmarks.Harness;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CnnDsl.Benchmarks.Suites;

/// <summary>Diagnosis of a generated / hand-written gap: the same two models, each also with every
/// ReLU module switched to the other in-place setting (torchvision's ReLUs are in place, the
/// generated ones are not). Four instances, identical weights, interleaved; minor page faults
/// per forward pass show the allocator at work.</summary>
public static class VariantsSuite
{
    public static void Run(IReadOnlyList<string> models, IReadOnlyList<int> batches, Options o)
    {
        Report.Line(Report.Header("model", "batch", "rounds", "others' CPU share", "variant", "ms, median [p25, p75]", "/ hand-written (paired)", "minor page faults per pass"));
        foreach (var name in models)
        {
            var generated = Models.Generated(name);
            var generatedInplace = Models.Generated(name);
            var hand = Models.HandWritten(name);
            var handNotInplace = Models.HandWritten(name);
            Models.RandomizeBatchNorms(generated);
            foreach (var m in new nn.Module[] { generatedInplace, hand, handNotInplace }) Models.CopyWeights(generated, m);
            var flipped = SetInplace(generatedInplace, true);
            var unflipped = SetInplace(handNotInplace, false);
            var all = new (string Name, nn.Module<Tensor, Tensor> Model)[]
            {
                ("generated (ReLU not in place, as emitted)", generated),
                ($"generated, {flipped} ReLUs switched to in place", generatedInplace),
                ("hand-written (torchvision: ReLU in place)", hand),
                ($"hand-written, {unflipped} ReLUs switched to not in place", handNotInplace),
            };
            foreach (var (_, m) in all) m.eval();

            foreach (var batch in batches)
            {
                using var noGrad = no_grad();
                using var input = randn(batch, 3, 224, 224);
                var diffs = new List<double>();
                using (var scope = NewDisposeScope())
                {
                    var reference = generated.forward(input);
                    foreach (var (_, m) in all.Skip(1)) diffs.Add(Models.RelativeDifference(m.forward(input), reference));
                }
                Report.Progress($"{name} batch {batch}: max rel. diff of the variants {string.Join(", ", diffs.Select(d => Text.F(d, "E1")))}");

                var cases = all.Select(v => new Case(v.Name, () => { using var s = NewDisposeScope(); v.Model.forward(input); })).ToList();
                var run = new Interleaved(cases).Run(o.Warmup, o.MinRounds, o.MaxRounds, o.BudgetSeconds, o.Verbose ? Report.Progress : null);
                foreach (var (variant, _) in all)
                {
                    Report.Line(Report.Row(name, batch, run.RoundsText, Text.F(run.ForeignMedian, "P0"), variant, run.Of(variant).Format("F1"),
                        run.Ratio(variant, all[2].Name).FormatWithCi("F3"), Text.F(run.Faults(variant).Median, "F0")));
                }
            }
            foreach (var (_, m) in all) m.Dispose();
        }
    }

    /// <summary>Sets <c>inplace</c> on every ReLU module; returns how many there are.</summary>
    public static int SetInplace(nn.Module model, bool inplace)
    {
        var count = 0;
        foreach (var (_, module) in model.named_modules())
        {
            if (module is ReLU relu)
            {
                relu.inplace = inplace;
                count++;
            }
        }
        return count;
    }
}
