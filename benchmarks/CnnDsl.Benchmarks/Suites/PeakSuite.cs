using System.Collections.Generic;
using CnnDsl.Benchmarks.Harness;
using TorchSharp;
using static TorchSharp.torch;

namespace CnnDsl.Benchmarks.Suites;

/// <summary>(4) Distance to the machine's limit: FP32 matrix-product rate through TorchSharp,
/// interleaved in the same run with generated ResNet-50 and VGG16 forward passes at batch 8, whose
/// FLOP count is 2 x the multiply-adds of the static analysis.</summary>
public static class PeakSuite
{
    public static void Run(int size, int batch, Options o)
    {
        using var noGrad = no_grad();
        using var a = randn(size, size);
        using var b = randn(size, size);
        const int products = 4;
        double matmulFlop = 2.0 * size * size * (double)size * products;

        var names = new[] { "ResNet50", "VGG16" };
        var models = new Dictionary<string, nn.Module<Tensor, Tensor>>();
        var flop = new Dictionary<string, double>();
        foreach (var n in names)
        {
            var m = Models.Generated(n);
            m.eval();
            models[n] = m;
            flop[n] = 2.0 * Models.Analysis(n).MultiplyAdds * batch;
        }
        using var input = randn(batch, 3, 224, 224);

        var cases = new List<Case> { new("matmul", () => { for (var i = 0; i < products; i++) { using var c = a.mm(b); } }) };
        foreach (var n in names)
        {
            var m = models[n];
            cases.Add(new(n, () => { using var s = NewDisposeScope(); m.forward(input); }));
        }
        var run = new Interleaved(cases).Run(o.Warmup, o.MinRounds, o.MaxRounds, o.BudgetSeconds, o.Verbose ? Report.Progress : null);

        var mm = Summary.Of(ToRate(run.Times("matmul"), matmulFlop));
        Report.Line($"FP32 {size}x{size} matrix product (torch.mm, {products} per sample): {mm.Format("F1")} GFLOP/s, rounds: {run.RoundsText}, others' CPU share {Text.F(run.ForeignMedian, "P0")}");
        Report.Line();
        Report.Line(Report.Header("model (generated)", "batch", "GFLOP per pass (2 x MACs)", "ms per pass", "GFLOP/s", "fraction of matmul rate (paired per round)"));
        foreach (var n in names)
        {
            var rate = ToRate(run.Times(n), flop[n]);
            var matmulRate = ToRate(run.Times("matmul"), matmulFlop);
            var fractions = new List<double>();
            for (var i = 0; i < rate.Count; i++) fractions.Add(rate[i] / matmulRate[i]);
            Report.Line(Report.Row(n, batch, Text.F(flop[n] / 1e9, "F2"), run.Of(n).Format("F0"), Summary.Of(rate).Format("F1"), Summary.Of(fractions).Format("F3")));
        }
        foreach (var m in models.Values) m.Dispose();
    }

    private static List<double> ToRate(IReadOnlyList<double> ms, double flop)
    {
        var r = new List<double>();
        foreach (var t in ms) r.Add(flop / (t / 1000.0) / 1e9);
        return r;
    }
}
