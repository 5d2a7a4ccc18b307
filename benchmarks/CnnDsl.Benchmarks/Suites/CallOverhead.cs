using System.Diagnostics;
using CnnDsl.Benchmarks.Harness;
using TorchSharp;
using static TorchSharp.torch;

namespace CnnDsl.Benchmarks.Suites;

/// <summary>What Module.call (runs forward hooks, as PyTorch's module(x)) costs over a direct
/// Module.forward, per invocation, with no hook registered: the hand-written baselines use call,
/// the generated classes forward.</summary>
public static class CallOverhead
{
    public static void Run()
    {
        using var module = nn.Identity();
        using var x = zeros(1);
        const int n = 200_000;
        var forward = new System.Collections.Generic.List<double>();
        var call = new System.Collections.Generic.List<double>();
        for (var r = 0; r < 11; r++)
        {
            var sw = Stopwatch.StartNew();
            for (var i = 0; i < n; i++) module.forward(x).Dispose();
            forward.Add(sw.Elapsed.TotalMilliseconds * 1e6 / n);
            sw.Restart();
            for (var i = 0; i < n; i++) module.call(x).Dispose();
            call.Add(sw.Elapsed.TotalMilliseconds * 1e6 / n);
        }
        Report.Line($"Identity module, {n} invocations x 11 rounds: forward {Summary.Of(forward).Format("F0")} ns, call {Summary.Of(call).Format("F0")} ns per invocation.");
    }
}
