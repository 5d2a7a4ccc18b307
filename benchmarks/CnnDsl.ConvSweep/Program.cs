using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using CnnDsl.ConvSweep;
using CnnDsl.Runtime.Convolution;
using TorchSharp;

// Maps libtorch's float32 convolution errors against float64 (issue 12, part 1).
//   conv-sweep [--grid quick|full] [--threads 1] [--onednn on|off] [--isa AVX2] [--layout nchw|nhwc]
//              [--threshold 1e-4] [--tsv FILE] [--dump DIR --dump-every 40]
// --isa sets DNNL_MAX_CPU_ISA in the C environment from inside the process, before the first
// torch call (the alternative is to set it in the shell). Markdown on stdout, progress on stderr.

if (args.Length > 0 && args[0] == "self-test-cost")
{
    // The guard's self-test, several times in one process: the first run pays for loading and
    // compiling (.NET and oneDNN), the later ones are its own cost.
    using (torch.Tensor load = torch.zeros(1)) { }
    torch.set_num_threads(int.Parse(args.Length > 1 ? args[1] : "1", CultureInfo.InvariantCulture));
    foreach (bool on in new[] { true, true, true, false, false, false })
    {
        OneDnn.Enabled = on;
        SelfTestResult result = ConvolutionSelfTest.Run();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"oneDNN {(on ? "on " : "off")}: {result.Elapsed.TotalMilliseconds,7:F1} ms wall, {result.ProcessorTime.TotalMilliseconds,7:F1} ms processor, {(result.Passed ? "right" : "wrong")}"));
    }
    return 0;
}

if (args.Length == 2 && args[0] == "summarize")
{
    // Tables again from a --tsv file of an earlier run.
    var rows = File.ReadAllLines(args[1]).Skip(1).Select(line => line.Split('\t'))
        .Select(cells => (ConvCase.Parse(cells), new CaseErrors(Number(cells[10]), Number(cells[11]), Number(cells[12]), Number(cells[13]))))
        .ToList();
    return SweepSummary.Print(rows, 1e-4) == 0 ? 0 : 1;
}

if (args.Length == 2 && args[0] == "isa-timing")
{
    // When does DNNL_MAX_CPU_ISA take effect? Set through .NET (a managed copy on Unix), through
    // libc before the first convolution (libtorch already loaded), or after it.
    string value = args[1];
    using (torch.Tensor load = torch.zeros(1)) { }
    torch.set_num_threads(1);
    Environment.SetEnvironmentVariable("DNNL_MAX_CPU_ISA", value);
    Console.WriteLine($"after Environment.SetEnvironmentVariable: self-test {(ConvolutionSelfTest.Run().Passed ? "right" : "wrong")}");
    NativeSettings.SetNativeEnvironment("DNNL_MAX_CPU_ISA", value);
    Console.WriteLine($"after libc setenv, following a first convolution: self-test {(ConvolutionSelfTest.Run().Passed ? "right" : "wrong")}");
    return 0;
}

if (args.Length == 2 && args[0] == "isa-early")
{
    using (torch.Tensor load = torch.zeros(1)) { }
    NativeSettings.SetNativeEnvironment("DNNL_MAX_CPU_ISA", args[1]);
    torch.set_num_threads(1);
    Console.WriteLine($"libc setenv after libtorch loaded, before any convolution: self-test {(ConvolutionSelfTest.Run().Passed ? "right" : "wrong")}");
    return 0;
}

var options = ParseOptions(args);
string grid = Get("grid", "full");
int threads = int.Parse(Get("threads", "1"), CultureInfo.InvariantCulture);
double threshold = double.Parse(Get("threshold", "1e-4"), CultureInfo.InvariantCulture);
bool channelsLast = Get("layout", "nchw") == "nhwc";
string? tsv = options.GetValueOrDefault("tsv");
string? dump = options.GetValueOrDefault("dump");
int dumpEvery = int.Parse(Get("dump-every", "40"), CultureInfo.InvariantCulture);

if (options.TryGetValue("isa", out string? isa))
{
    NativeSettings.SetNativeEnvironment("DNNL_MAX_CPU_ISA", isa);
}
using (torch.Tensor probe = torch.zeros(1)) { }
torch.set_num_threads(threads);
string onednn = Get("onednn", "on");
if (onednn == "off") OneDnn.Enabled = false;
if (dump != null) Directory.CreateDirectory(dump);

string configuration = string.Create(CultureInfo.InvariantCulture,
    $"threads {threads}, oneDNN {onednn}, DNNL_MAX_CPU_ISA {Environment.GetEnvironmentVariable("DNNL_MAX_CPU_ISA") ?? isa ?? "(unset)"}, layout {(channelsLast ? "channels-last" : "NCHW")}");
Console.Error.WriteLine($"conv-sweep: {configuration}; grid {grid}");

IReadOnlyList<ConvCase> cases = SweepGrid.Cases(grid);
var runner = new CaseRunner(channelsLast, dump);
var results = new List<(ConvCase Case, CaseErrors Errors)>();
using TextWriter? table = tsv == null ? null : new StreamWriter(tsv);
table?.WriteLine(string.Join('\t', ConvCase.ColumnNames.Concat(new[] { "output", "input_grad", "weight_grad", "ms" })));
var started = DateTime.UtcNow;
for (int i = 0; i < cases.Count; i++)
{
    CaseErrors errors = runner.Run(cases[i], i, dump != null && i % dumpEvery == 0);
    results.Add((cases[i], errors));
    table?.WriteLine(string.Join('\t', cases[i].Columns().Concat(new[] { E(errors.Output), E(errors.InputGrad), E(errors.WeightGrad), errors.Milliseconds.ToString("F2", CultureInfo.InvariantCulture) })));
    if (i % 200 == 199) Console.Error.WriteLine($"  {i + 1}/{cases.Count} cases, {(DateTime.UtcNow - started).TotalSeconds:F0} s");
}

Console.WriteLine($"<!-- {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; {configuration}; grid {grid}; {cases.Count} cases; threshold {threshold:E0} -->");
int total = SweepSummary.Print(results, threshold);
Console.WriteLine($"{(DateTime.UtcNow - started).TotalSeconds:F0} s.");
return total == 0 ? 0 : 1;

static double Number(string text) => text == "NaN" ? double.NaN : double.Parse(text, CultureInfo.InvariantCulture);

string E(double v) => double.IsNaN(v) ? "NaN" : v.ToString("0.0E+0", CultureInfo.InvariantCulture);

string Get(string key, string fallback) => options.TryGetValue(key, out string? v) ? v : fallback;

static Dictionary<string, string> ParseOptions(string[] args)
{
    var parsed = new Dictionary<string, string>(StringComparer.Ordinal);
    for (int i = 0; i < args.Length; i++)
    {
        if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            throw new ArgumentException($"expected --name value, got {args[i]}");
        parsed[args[i][2..]] = args[++i];
    }
    return parsed;
}
