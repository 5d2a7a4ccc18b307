using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using CnnDsl.Benchmarks.Harness;
using CnnDsl.Generator.Pipeline;

namespace CnnDsl.Benchmarks.Suites;

/// <summary>(3) Generator cost in process: FileGeneration.Run, the generator's per-file step
/// (parse, evaluate, analyse, emit C#), over every shipped architecture file.</summary>
public static class GeneratorSuite
{
    public static void Run(int reps)
    {
        var files = Directory.GetFiles(Models.ArchitecturesDirectory, "*.cnn").OrderBy(f => f, System.StringComparer.Ordinal)
            .Select(f => new CnnFile(f, File.ReadAllText(f))).ToList();

        var perFile = files.ToDictionary(f => f.Path, _ => new List<double>());
        var totals = new List<double>();
        var sw = new Stopwatch();
        var models = 0;
        long chars = 0;
        double cold = 0;
        for (var r = 0; r < reps; r++)
        {
            double total = 0;
            models = 0;
            chars = 0;
            foreach (var f in files)
            {
                sw.Restart();
                var g = FileGeneration.Run(f, null, CancellationToken.None);
                sw.Stop();
                if (g.Diagnostics.Any(d => d.IsError)) throw new System.InvalidOperationException($"{f.Path}: {g.Diagnostics.First(d => d.IsError).Message}");
                total += sw.Elapsed.TotalMilliseconds;
                models += g.Sources.Count;
                chars += g.Sources.Sum(s => (long)s.Text.Length);
                if (r > 0) perFile[f.Path].Add(sw.Elapsed.TotalMilliseconds);
            }
            if (r == 0) cold = total; else totals.Add(total);
        }

        Report.Line($"{files.Count} files, {models} model classes, {chars:N0} characters of C# per pass.");
        Report.Line();
        Report.Line(Report.Header("what", "ms"));
        Report.Line(Report.Row("all files, first pass (cold: JIT of Dsl + Generator included)", Text.F(cold, "F1")));
        Report.Line(Report.Row($"all files, later passes, median [p25, p75] of {totals.Count}", Summary.Of(totals).Format("F1")));
        foreach (var f in files)
            Report.Line(Report.Row("  " + Path.GetFileName(f.Path) + ", later passes", Summary.Of(perFile[f.Path]).Format("F2")));
    }
}
