using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using CnnDsl.Benchmarks.Harness;
using CnnDsl.Dsl;
using TorchSharp;
using static TorchSharp.torch;

namespace CnnDsl.Benchmarks.Suites;

/// <summary>(2) A model's full layer table two ways: CnnDsl's static analysis from the .cnn text,
/// and the torchinfo way (build the TorchSharp model, register a forward hook on every module,
/// run one forward pass at batch 1, collect output shapes and parameter counts).</summary>
public static class SummarySuite
{
    /// <summary>One row: path, type, output shape, trainable parameters, multiply-adds, receptive field.</summary>
    public static List<string[]> StaticTable(string path, string text, string model)
    {
        var result = CnnCompiler.Compile(path, text);
        if (result.HasErrors) throw new InvalidOperationException(string.Join("\n", result.Diagnostics));
        var info = result.Models.Single(m => m.Name == model);
        var rows = new List<string[]>();
        foreach (var l in info.Root.DescendantsAndSelf())
        {
            rows.Add(new[]
            {
                l.Path, l.TypeName, string.Join("x", l.Output.Dimensions),
                l.Parameters.ToString(CultureInfo.InvariantCulture), l.MultiplyAdds.ToString(CultureInfo.InvariantCulture),
                l.ReceptiveField.ToString(),
            });
        }
        return rows;
    }

    /// <summary>The same .cnn text with every other <c>model</c> declaration removed.</summary>
    public static string OnlyModel(string text, string model) =>
        string.Join("\n", text.Split('\n').Where(line =>
        {
            var m = Regex.Match(line, @"^\s*model\s+(\w+)\s*=");
            return !m.Success || m.Groups[1].Value == model;
        }));

    /// <summary>torchinfo's method on the hand-written TorchSharp model. Returns the rows collected by
    /// the hooks: module name, type, output shape, own parameters.</summary>
    public static List<string[]> HookTable(string model, Func<string, nn.Module<Tensor, Tensor>> build)
    {
        using var scope = NewDisposeScope();
        using var m = build(model);
        m.eval();
        var rows = new List<string[]>();
        var removers = new List<Action>();
        foreach (var (name, module) in m.named_modules())
        {
            if (module is not nn.Module<Tensor, Tensor> hookable) continue;
            var moduleName = name;
            var ownParameters = module.parameters(recurse: false).Sum(p => p.numel());
            var remover = hookable.register_forward_hook((mod, input, output) =>
            {
                rows.Add(new[]
                {
                    moduleName, mod.GetType().Name, string.Join("x", output.shape),
                    ownParameters.ToString(CultureInfo.InvariantCulture),
                });
                return null!;
            });
            removers.Add(remover.remove);
        }
        using (no_grad())
        using (var input = zeros(1, 3, 224, 224))
        {
            m.call(input);
        }
        foreach (var r in removers) r();
        return rows;
    }

    public static void RunStatic(string model, int reps, bool onlyModel)
    {
        var (path, text) = Models.Source(model);
        if (onlyModel) text = OnlyModel(text, model);
        var sw = Stopwatch.StartNew();
        var rows = StaticTable(path, text, model);
        var cold = sw.Elapsed.TotalMilliseconds;
        var warm = new List<double>();
        for (var i = 1; i < reps; i++)
        {
            sw.Restart();
            rows = StaticTable(path, text, model);
            warm.Add(sw.Elapsed.TotalMilliseconds);
        }
        Report.Line(Report.Row("static" + (onlyModel ? " (one model in the text)" : " (whole shipped file)"), model, rows.Count,
            Text.F(cold, "F1"), warm.Count == 0 ? "-" : Summary.Of(warm).Format("F2"), warm.Count));
    }

    public static void RunHooks(string model, int reps, string engine)
    {
        Models.InitTorch(Options.Threads);
        Func<string, nn.Module<Tensor, Tensor>> build = engine == "generated" ? Models.Generated : Models.HandWritten;
        var sw = Stopwatch.StartNew();
        var rows = HookTable(model, build);
        var cold = sw.Elapsed.TotalMilliseconds;
        var warm = new List<double>();
        for (var i = 1; i < reps; i++)
        {
            sw.Restart();
            rows = HookTable(model, build);
            warm.Add(sw.Elapsed.TotalMilliseconds);
        }
        Report.Line(Report.Row($"forward hooks ({engine})", model, rows.Count,
            Text.F(cold, "F1"), warm.Count == 0 ? "-" : Summary.Of(warm).Format("F2"), warm.Count));
    }

    public static string Header() => Report.Header("method", "model", "table rows", "first call ms (cold, incl. JIT)", "later calls ms, median [p25, p75]", "later calls");
}
