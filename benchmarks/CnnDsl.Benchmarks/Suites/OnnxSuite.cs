using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using CnnDsl.Benchmarks.Harness;
using CnnDsl.Inference;
using CnnDsl.Runtime.Export;
using TorchSharp;
using static TorchSharp.torch;

namespace CnnDsl.Benchmarks.Suites;

/// <summary>(7) Issue 15: ONNX Runtime (the model exported by <c>ExportOnnx</c>, run by
/// CnnDsl.Inference's program in a process of its own, as ONNX Runtime cannot share a process with
/// libtorch here) against the generated class and the hand-written TorchSharp model, same weights,
/// same threads, side by side in one run: per batch, torch rounds, the ONNX Runtime process, torch
/// rounds again. The hand-written contender is the torchvision-structured reference of
/// tests/CnnDsl.Models.Tests/Reference where there is one (all three defaults: ResNet-50,
/// MobileNetV2, EfficientNet-B0); both other engines' outputs are compared with the generated
/// class's first. The float32 peak is the CPU's fused multiply-add rate (<see cref="FmaPeak"/>);
/// beside it, one 2048 x 2048 matrix product in ONNX Runtime (benchmarks/onnx/matmul_model.py),
/// 2 N^3 FLOP a run; each engine's rate is 2 x the model's multiply-adds (the analysis's) per
/// sample, with its share of the peak.</summary>
public static class OnnxSuite
{
    public static void Run(IReadOnlyList<string> models, IReadOnlyList<int> batches, Options o)
    {
        var threads = Options.Threads;
        var folder = Directory.CreateTempSubdirectory("cnndsl-onnx-bench-").FullName;
        try
        {
            var peak = FmaPeak.Measure(threads);
            var matmul = MatMulRate(folder, o.Int("size", 2048), threads, o);
            Report.Line($"Float32 peak ({FmaPeak.InstructionSet ?? "no FMA"} on {threads} threads, measured: see Harness/FmaPeak.cs): {Text.F(peak, "F0")} GFLOP/s; "
                + $"ONNX Runtime MatMul {o.Int("size", 2048)}^2 on {threads} threads: {Text.F(matmul, "F0")} GFLOP/s ({Text.F(100 * matmul / peak, "F0")}% of peak)");
            Report.Line();
            Report.Line(Report.Header("model", "batch", "ONNX Runtime ms", "generated ms", "hand-written ms", "generated / ORT", "hand-written / ORT",
                "ORT GFLOP/s (% of peak)", "generated GFLOP/s (% of peak)", "hand-written GFLOP/s (% of peak)", "ORT vs generated max rel diff", "hand-written vs generated max rel diff"));
            foreach (var name in models)
            {
                Report.Progress($"{name}: building");
                using var generated = Models.Generated(name);
                using var hand = Models.HasHandWritten(name) ? Models.HandWritten(name) : null;
                Models.RandomizeBatchNorms(generated);
                if (hand is not null) Models.CopyWeights(generated, hand);
                generated.eval();
                hand?.eval();
                var path = Path.Combine(folder, name + ".onnx");
                generated.GetType().GetMethod("ExportOnnx")!.Invoke(generated, new object[] { path, 17 });
                var flop = 2.0 * Models.Analysis(name).MultiplyAdds;
                foreach (var batch in batches)
                {
                    using var noGrad = no_grad();
                    using var input = randn(batch, 3, 224, 224);
                    double difference, handDifference = double.NaN;
                    using (var scope = NewDisposeScope())
                    {
                        var reference = generated.forward(input);
                        var ort = OnnxProcess.Run(path, new TensorFile(input.shape, input.data<float>().ToArray()), threads);
                        difference = Models.RelativeDifference(torch.tensor(ort.Values, ort.Shape), reference);
                        if (hand is not null) handDifference = Models.RelativeDifference(hand.forward(input), reference);
                    }

                    var cases = new List<Case> { new("generated", () => { using var s = NewDisposeScope(); generated.forward(input); }) };
                    if (hand is not null) cases.Add(new("hand", () => { using var s = NewDisposeScope(); hand.forward(input); }));
                    Report.Progress($"{name} batch {batch}: torch, ONNX Runtime, torch");
                    var first = new Interleaved(cases).Run(o.Warmup, o.MinRounds, o.MaxRounds, o.BudgetSeconds / 2, null);
                    var ortTimes = OnnxTimes(path, batch, o.Warmup, o.MinRounds, threads);
                    var second = new Interleaved(cases).Run(o.Warmup, o.MinRounds, o.MaxRounds, o.BudgetSeconds / 2, null);
                    var generatedMs = Summary.Of(first.Times("generated").Concat(second.Times("generated"))).Median;
                    var handMs = hand is null ? double.NaN : Summary.Of(first.Times("hand").Concat(second.Times("hand"))).Median;
                    var ortMs = Summary.Of(ortTimes).Median;
                    string Rate(double ms)
                    {
                        var rate = flop * batch / (ms / 1000) / 1e9;
                        return $"{Text.F(rate, "F0")} ({Text.F(100 * rate / peak, "F0")}%)";
                    }

                    Report.Line(Report.Row(name, batch, Text.F(ortMs, "F1"), Text.F(generatedMs, "F1"), hand is null ? "-" : Text.F(handMs, "F1"),
                        Text.F(generatedMs / ortMs, "F2"), hand is null ? "-" : Text.F(handMs / ortMs, "F2"),
                        Rate(ortMs), Rate(generatedMs), hand is null ? "-" : Rate(handMs), Text.F(difference, "E1"),
                        hand is null ? "-" : Text.F(handDifference, "E1")));
                }
            }

            Report.Line();
            Report.Line($"<!-- load avg at end {File.ReadAllText("/proc/loadavg").Trim()} -->");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Forward-pass times in milliseconds from ONNX Runtime's own process.</summary>
    private static double[] OnnxTimes(string path, int batch, int warmup, int runs, int threads) =>
        OnnxProcess.Start("bench", path, I(batch), I(warmup), I(runs), I(threads))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => double.Parse(l, CultureInfo.InvariantCulture)).ToArray();

    private static double MatMulRate(string folder, int size, int threads, Options o)
    {
        var model = Path.Combine(folder, "matmul.onnx");
        var script = Path.Combine(AppContext.BaseDirectory, "onnx", "matmul_model.py");
        using (var process = Process.Start(new ProcessStartInfo("/usr/bin/python3", new[] { script, model, I(size) }) { UseShellExecute = false })!)
        {
            process.WaitForExit();
            if (process.ExitCode != 0) throw new InvalidOperationException("matmul_model.py failed");
        }

        var times = OnnxTimes(model, size, o.Warmup, Math.Max(o.MinRounds, 10), threads);
        return 2.0 * size * size * size / (times.Min() / 1000) / 1e9;
    }

    private static string I(int value) => value.ToString(CultureInfo.InvariantCulture);
}
