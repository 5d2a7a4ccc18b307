using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading;
using CnnDsl.Dsl.Diagnostics;
using CnnDsl.Generator.Pipeline;

namespace CnnDsl.Fuzz;

/// <summary>Runs the fuzz cases: <c>--cases N --seed S</c> (defaults 100000 and 1), <c>--limit-ms
/// L</c> (default 200) measured as <c>--clock cpu</c> (the case's own thread CPU time, the
/// default where Linux provides it: a shared machine's load does not count) or <c>wall</c>;
/// <c>--case I</c> replays one case and prints it and its diagnostics; <c>--corpus DIR</c>
/// (default: the repository's architectures/). Exits 0 when no case threw, broke an invariant,
/// or took longer than the limit.</summary>
public static class Program
{
    /// <summary>Cases run on a thread with this stack: Windows' default, smaller than Linux's, as a
    /// compiler host may give. A recursion the compiler does not bound shows up here.</summary>
    private const int StackSize = 1024 * 1024;

    /// <summary>A case that runs this long (wall clock, on a machine that may be shared) is a
    /// hang: the run stops and names it.</summary>
    private const int HangSeconds = 600;

    public static int Main(string[] args)
    {
        var options = Options.Parse(args);
        if (options is null) return 2;
        var corpus = LoadCorpus(options.Corpus);
        if (corpus is null) return 2;
        var cases = new FuzzCases(corpus);

        var exit = 0;
        var worker = new Thread(() => exit = options.Case is { } one ? Replay(cases, options, one) : RunAll(cases, corpus, options), StackSize);
        worker.Start();
        worker.Join();
        return exit;
    }

    private static int Replay(FuzzCases cases, Options options, long index)
    {
        var fuzzCase = cases.Make(options.Seed, index);
        Console.WriteLine($"case #{index} of seed {options.Seed}: kind {fuzzCase.Kind}, case seed 0x{fuzzCase.Seed:X16}, {fuzzCase.Length} {(fuzzCase.Text is null ? "bytes" : "characters")}");
        Console.WriteLine("---- input");
        Console.WriteLine(fuzzCase.Text ?? string.Join(" ", fuzzCase.Bytes!.Take(4096).Select(b => b.ToString("X2", CultureInfo.InvariantCulture))));
        Console.WriteLine("---- diagnostics");
        var watch = Stopwatch.StartNew();
        var result = FuzzChecks.Run(fuzzCase);
        var elapsed = watch.Elapsed.TotalMilliseconds;
        Console.Write(DiagnosticRenderer.Render(result.Diagnostics));
        Console.WriteLine($"---- {result.Models.Count} model(s), {result.Diagnostics.Count} diagnostic(s), {elapsed:F1} ms");
        return 0;
    }

    private static int RunAll(FuzzCases cases, IReadOnlyList<(string Name, string Text)> corpus, Options options)
    {
        var useCpu = options.Clock == "cpu" && !double.IsNaN(ThreadCpu.Milliseconds());
        Console.WriteLine($"CnnDsl fuzz: seed {options.Seed}, {options.Cases:N0} cases, limit {options.LimitMs} ms per case ({(useCpu ? "thread CPU time" : "wall-clock time")})");
        Console.WriteLine($"corpus: {string.Join(", ", corpus.Select(c => c.Name))}");
        Console.WriteLine($"machine: {Environment.ProcessorCount} logical CPUs, {RuntimeInformation.OSDescription.Trim()}, .NET {Environment.Version}{LoadAverage()}");

        var kinds = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var crashes = new List<string>();
        var failures = new List<string>();
        var slow = new List<string>();
        var times = new double[options.Cases];
        (double Time, double Wall, double Cpu, long Index, FuzzCase? Case) slowest = (0, 0, 0, -1, null);
        double maxWall = 0;
        long generated = 0;
        (double Cpu, long Index) slowestGeneration = (0, -1);
        var current = -1L;
        var started = Stopwatch.GetTimestamp();
        var caseStart = Stopwatch.GetTimestamp();

        var watchdog = new Thread(() =>
        {
            while (true)
            {
                Thread.Sleep(1000);
                var index = Interlocked.Read(ref current);
                if (index == long.MaxValue) return;
                if (index >= 0 && Stopwatch.GetElapsedTime(Interlocked.Read(ref caseStart)).TotalSeconds > HangSeconds)
                {
                    Console.WriteLine($"HANG: case #{index} has run for over {HangSeconds} s; replay: --seed {options.Seed} --case {index}");
                    Environment.Exit(3);
                }
            }
        });
        watchdog.IsBackground = true;
        watchdog.Start();

        // Warm up (JIT) on a few cases of another seed, so the first measured cases are not slow
        // for reasons that have nothing to do with their input.
        for (var i = 0; i < 200; i++)
        {
            try { RunCase(cases.Make(options.Seed ^ 0xFFFF_FFFFUL, i), options); }
            catch (Exception) { /* counted in the real run, if it happens there */ }
        }

        for (long i = 0; i < options.Cases; i++)
        {
            var fuzzCase = cases.Make(options.Seed, i);
            kinds[fuzzCase.Kind] = kinds.TryGetValue(fuzzCase.Kind, out var k) ? k + 1 : 1;
            Interlocked.Exchange(ref caseStart, Stopwatch.GetTimestamp());
            Interlocked.Exchange(ref current, i);
            var (wall, cpu, outcome, generationCpu) = Measure(fuzzCase, options);
            if (!double.IsNaN(generationCpu))
            {
                generated++;
                if (generationCpu > slowestGeneration.Cpu) slowestGeneration = (generationCpu, i);
            }
            if (outcome is { } problem)
            {
                var line = $"#{i} (case seed 0x{fuzzCase.Seed:X16}, {fuzzCase.Kind}): {problem.Message}";
                (problem.IsCrash ? crashes : failures).Add(line);
                Console.WriteLine((problem.IsCrash ? "EXCEPTION " : "FAILURE ") + line);
            }

            var time = useCpu ? cpu : wall;
            if (time > options.LimitMs)
            {
                // Over the limit once may be the machine (a GC, a cold cache, another process):
                // measure again and keep the best. A case that is slow every time is a finding.
                for (var again = 0; again < 4 && time > options.LimitMs; again++)
                {
                    var retry = Measure(fuzzCase, options);
                    var retryTime = useCpu ? retry.Cpu : retry.Wall;
                    if (retryTime < time) (time, wall, cpu) = (retryTime, retry.Wall, retry.Cpu);
                }

                if (time > options.LimitMs)
                {
                    var line = $"#{i} (case seed 0x{fuzzCase.Seed:X16}, {fuzzCase.Kind}, {fuzzCase.Length:N0} chars): {time:F1} ms";
                    slow.Add(line);
                    Console.WriteLine("SLOW " + line);
                }
            }

            times[i] = time;
            maxWall = Math.Max(maxWall, wall);
            if (time > slowest.Time) slowest = (time, wall, cpu, i, fuzzCase);
            if ((i + 1) % 10_000 == 0)
            {
                Console.WriteLine($"  {i + 1,9:N0} cases, {Stopwatch.GetElapsedTime(started).TotalSeconds,8:F1} s, slowest so far #{slowest.Index}: {slowest.Time:F1} ms{LoadAverage()}");
            }
        }

        Interlocked.Exchange(ref current, long.MaxValue);
        var total = Stopwatch.GetElapsedTime(started).TotalSeconds;
        Array.Sort(times);
        double Percentile(double p) => times.Length == 0 ? 0 : times[Math.Min(times.Length - 1, (int)(p * times.Length))];

        Console.WriteLine();
        Console.WriteLine($"cases:                  {options.Cases:N0} ({string.Join(", ", kinds.Select(p => $"{p.Key} {p.Value:N0}"))})");
        Console.WriteLine($"also generated C# for:  {generated:N0} cases without errors (not in the times below; the longest took {slowestGeneration.Cpu:F1} ms CPU, case #{slowestGeneration.Index})");
        Console.WriteLine($"unhandled exceptions:   {crashes.Count}");
        Console.WriteLine($"invariant failures:     {failures.Count}");
        Console.WriteLine($"total time:             {total:F1} s ({options.Cases / Math.Max(total, 1e-9):F0} cases/s)");
        Console.WriteLine($"per case ({(useCpu ? "CPU" : "wall")}):         median {Percentile(0.5):F2} ms, p99 {Percentile(0.99):F2} ms, p99.9 {Percentile(0.999):F2} ms, max {times.LastOrDefault():F1} ms");
        if (slowest.Case is { } worst)
        {
            Console.WriteLine($"slowest case:           #{slowest.Index} ({worst.Kind}, {worst.Length:N0} {(worst.Text is null ? "bytes" : "chars")}, case seed 0x{worst.Seed:X16}): "
                + $"{(double.IsNaN(slowest.Cpu) ? "" : $"{slowest.Cpu:F1} ms CPU, ")}{slowest.Wall:F1} ms wall");
            Console.WriteLine($"replay it:              dotnet run --project tools/CnnDsl.Fuzz -c Release -- --seed {options.Seed} --case {slowest.Index}");
        }

        Console.WriteLine($"longest wall time:      {maxWall:F1} ms (one case, this machine, load included){LoadAverage()}");
        Console.WriteLine($"cases over {options.LimitMs} ms:      {slow.Count} ({(useCpu ? "CPU" : "wall")} time; each measured up to 5 times, best kept)");
        foreach (var line in crashes.Concat(failures).Concat(slow).Take(20)) Console.WriteLine("  " + line);
        var ok = crashes.Count == 0 && failures.Count == 0 && slow.Count == 0;
        Console.WriteLine(ok ? "OK" : "FAILED");
        return ok ? 0 : 1;
    }

    private sealed record Problem(string Message, bool IsCrash);

    /// <summary>Runs one case. The time measured is the front end's: compiling, checking and
    /// rendering. A text without errors is then also turned into C# by the generator's pipeline
    /// (which must not fall back to its internal-error diagnostic); that is timed apart, since
    /// its cost is the emitter's and grows with the model (a mutated DenseNet of 6,000 layers).</summary>
    private static (double Wall, double Cpu, Problem? Problem, double GenerationCpu) Measure(FuzzCase fuzzCase, Options options)
    {
        var cpuStart = ThreadCpu.Milliseconds();
        var start = Stopwatch.GetTimestamp();
        Problem? problem = null;
        CnnDsl.Dsl.CompilationResult? result = null;
        try
        {
            result = FuzzChecks.Run(fuzzCase);
        }
        catch (FuzzFailure failure)
        {
            problem = new Problem(failure.Message, false);
        }
        catch (Exception exception)
        {
            problem = new Problem($"{exception.GetType().Name}: {exception.Message}{Environment.NewLine}{exception.StackTrace}", true);
        }

        var wall = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        var cpu = ThreadCpu.Milliseconds() - cpuStart;
        var generationCpu = double.NaN;
        if (problem is null && result is not null && options.Generate && fuzzCase.Text is not null && !result.HasErrors)
        {
            var generationStart = ThreadCpu.Milliseconds();
            try
            {
                Generate(fuzzCase.Text, result);
            }
            catch (FuzzFailure failure)
            {
                problem = new Problem(failure.Message, false);
            }
            catch (Exception exception)
            {
                problem = new Problem($"{exception.GetType().Name}: {exception.Message}{Environment.NewLine}{exception.StackTrace}", true);
            }

            generationCpu = ThreadCpu.Milliseconds() - generationStart;
        }

        return (wall, cpu, problem, generationCpu);
    }

    private static void RunCase(FuzzCase fuzzCase, Options options)
    {
        var result = FuzzChecks.Run(fuzzCase);
        if (options.Generate && fuzzCase.Text is not null && !result.HasErrors) Generate(fuzzCase.Text, result);
    }

    private static void Generate(string text, CnnDsl.Dsl.CompilationResult result)
    {
        var generation = FileGeneration.Run(new CnnFile("fuzz.cnn", text), null, CancellationToken.None);
        var internalError = generation.Diagnostics.FirstOrDefault(d => d.Code == "CNN9000");
        if (internalError is not null) throw new FuzzFailure("the generator failed: " + internalError.Message);
        if (generation.Sources.Count != result.Models.Count) throw new FuzzFailure($"{result.Models.Count} models but {generation.Sources.Count} generated files");
    }

    private static IReadOnlyList<(string Name, string Text)>? LoadCorpus(string? directory)
    {
        directory ??= FindArchitectures();
        if (directory is null || !Directory.Exists(directory))
        {
            Console.Error.WriteLine("error: no corpus: pass --corpus DIR (a folder of .cnn files), or run inside the repository");
            return null;
        }

        var files = Directory.GetFiles(directory, "*.cnn").OrderBy(f => f, StringComparer.Ordinal).ToList();
        if (files.Count == 0)
        {
            Console.Error.WriteLine($"error: no .cnn files in '{directory}'");
            return null;
        }

        return files.Select(f => (Path.GetFileName(f), File.ReadAllText(f).Replace("\r\n", "\n"))).ToList();
    }

    private static string? FindArchitectures()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Dsl", "CnnDsl.Dsl.csproj"))) return Path.Combine(dir.FullName, "architectures");
            }
        }

        return null;
    }

    /// <summary>", load average 1.2 3.4 5.6" on Linux: the run's times mean little on a busy machine.</summary>
    private static string LoadAverage()
    {
        try
        {
            var parts = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ') : Array.Empty<string>();
            return parts.Length >= 3 ? $", load average {parts[0]} {parts[1]} {parts[2]}" : "";
        }
        catch (IOException)
        {
            return "";
        }
    }

    private sealed record Options(long Cases, ulong Seed, double LimitMs, long? Case, string? Corpus, bool Generate, string Clock)
    {
        public static Options? Parse(string[] args)
        {
            var options = new Options(100_000, 1, 200, null, null, true, "cpu");
            for (var i = 0; i < args.Length; i++)
            {
                string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
                try
                {
                    options = args[i] switch
                    {
                        "--cases" => options with { Cases = long.Parse(Value(), CultureInfo.InvariantCulture) },
                        "--seed" => options with { Seed = ulong.Parse(Value(), CultureInfo.InvariantCulture) },
                        "--limit-ms" => options with { LimitMs = double.Parse(Value(), CultureInfo.InvariantCulture) },
                        "--case" => options with { Case = long.Parse(Value(), CultureInfo.InvariantCulture) },
                        "--corpus" => options with { Corpus = Value() },
                        "--no-generator" => options with { Generate = false },
                        "--clock" => Value() is "cpu" or "wall" ? options with { Clock = args[i] } : throw new ArgumentException("--clock takes cpu or wall"),
                        _ => throw new ArgumentException($"unknown option '{args[i]}'"),
                    };
                }
                catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
                {
                    Console.Error.WriteLine($"error: {e.Message}");
                    Console.Error.WriteLine("usage: cnn-fuzz [--cases N] [--seed S] [--limit-ms L] [--clock cpu|wall] [--case I] [--corpus DIR] [--no-generator]");
                    return null;
                }
            }

            return options;
        }
    }
}
