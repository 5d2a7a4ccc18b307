using System;
using System.Collections.Generic;
using CnnDsl.Architectures;
using CnnDsl.Benchmarks.Harness;
using TorchSharp;
using static TorchSharp.torch;

namespace CnnDsl.Benchmarks.Suites;

/// <summary>(5) FuseForInference: the same weights, unfused vs folded instance, interleaved;
/// outputs compared before timing.</summary>
public static class FuseSuite
{
    public static void Run(IReadOnlyList<string> models, IReadOnlyList<int> batches, Options o)
    {
        Report.Line(Report.Header("model", "batch", "rounds", "others' CPU share", "unfused ms", "fused ms", "fused / unfused", "max rel. diff", "within 1e-4"));
        foreach (var name in models)
        {
            Report.Progress($"{name}: building, folding");
            using var plain = Models.Generated(name);
            using var fused = Models.Generated(name);
            Models.RandomizeBatchNorms(plain);
            Models.CopyWeights(plain, fused);
            plain.eval();
            Fuse(fused);

            foreach (var batch in batches)
            {
                using var noGrad = no_grad();
                using var input = randn(batch, 3, 224, 224);
                double diff;
                using (var scope = NewDisposeScope())
                    diff = Models.RelativeDifference(fused.forward(input), plain.forward(input));

                var run = new Interleaved(new List<Case>
                {
                    new("unfused", () => { using var s = NewDisposeScope(); plain.forward(input); }),
                    new("fused", () => { using var s = NewDisposeScope(); fused.forward(input); }),
                }).Run(o.Warmup, o.MinRounds, o.MaxRounds, o.BudgetSeconds, o.Verbose ? Report.Progress : null);
                Report.Line(Report.Row(name, batch, run.RoundsText, Text.F(run.ForeignMedian, "P0"), run.Of("unfused").Format("F1"), run.Of("fused").Format("F1"),
                    run.Ratio("fused", "unfused").FormatWithCi("F3"), Text.F(diff, "E2"), diff <= 1e-4 ? "yes" : "NO"));
            }
        }
    }

    private static void Fuse(nn.Module<Tensor, Tensor> model)
    {
        switch (model)
        {
            case ResNet50 m: m.FuseForInference(); break;
            case ResNet152 m: m.FuseForInference(); break;
            case VGG16_BN m: m.FuseForInference(); break;
            case CnnDsl.Architectures.GoogLeNet m: m.FuseForInference(); break;
            case DenseNet121 m: m.FuseForInference(); break;
            default: throw new ArgumentException($"{model.GetType().Name} has nothing to fold");
        }
    }
}
