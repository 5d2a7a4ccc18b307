using System;
using System.Collections.Generic;
using CnnDsl.Benchmarks.Harness;
using CnnDsl.Runtime.Convolution;
using TorchSharp;
using static TorchSharp.torch;

namespace CnnDsl.Benchmarks.Suites;

/// <summary>(6) The convolution fault's workarounds (issue 12): the same model forward with
/// libtorch's oneDNN on and off, interleaved in one process; each output compared with the same
/// model in float64. The oneDNN ISA limit (DNNL_MAX_CPU_ISA) is fixed per process, so a run
/// with it set in the environment measures "oneDNN (limited)" against the same "oneDNN off",
/// which does not depend on it: scripts/conv-config.sh chains the ratios.</summary>
public static class ConvConfigSuite
{
    public static void Run(IReadOnlyList<string> models, IReadOnlyList<int> batches, Options o)
    {
        string isa = Environment.GetEnvironmentVariable("DNNL_MAX_CPU_ISA") ?? "default";
        Report.Line($"<!-- DNNL_MAX_CPU_ISA {isa} -->");
        Report.Line(Report.Header("model", "batch", "DNNL_MAX_CPU_ISA", "rounds", "others' CPU share", "oneDNN ms", "oneDNN off ms", "oneDNN off / oneDNN", "oneDNN rel. error", "oneDNN off rel. error"));
        foreach (var name in models)
        {
            Report.Progress($"{name}: building");
            using var model = Models.Generated(name);
            Models.RandomizeBatchNorms(model);
            model.eval();
            using var reference = Models.Generated(name);
            Models.CopyWeights(model, reference);
            reference.to(ScalarType.Float64).eval();

            foreach (var batch in batches)
            {
                using var noGrad = no_grad();
                using var input = randn(batch, 3, 224, 224);
                double onError, offError;
                using (var scope = NewDisposeScope())
                {
                    OneDnn.Enabled = false;
                    var expected = reference.forward(input.to_type(ScalarType.Float64));
                    offError = Models.RelativeDifference(model.forward(input), expected);
                    OneDnn.Enabled = true;
                    onError = Models.RelativeDifference(model.forward(input), expected);
                }

                var run = new Interleaved(new List<Case>
                {
                    new("on", () => { OneDnn.Enabled = true; using var s = NewDisposeScope(); model.forward(input); }),
                    new("off", () => { OneDnn.Enabled = false; using var s = NewDisposeScope(); model.forward(input); }),
                }).Run(o.Warmup, o.MinRounds, o.MaxRounds, o.BudgetSeconds, o.Verbose ? Report.Progress : null);
                Report.Line(Report.Row(name, batch, isa, run.RoundsText, Text.F(run.ForeignMedian, "P0"),
                    run.Of("on").Format("F1"), run.Of("off").Format("F1"), run.Ratio("off", "on").FormatWithCi("F3"),
                    Text.F(onError, "E1"), Text.F(offError, "E1")));
            }
        }
    }
}
