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

bool Fails(CaseErrors e) => !(e.Worst <= threshold);
string ChannelClass(ConvCase c)
{
    int perGroup = c.InChannels / c.Groups;
    return perGroup <= 16 ? "<=16" : perGroup % 16 == 0 ? "16k" : ">16, not 16k";
}

Console.WriteLine($"<!-- {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; {configuration}; grid {grid}; {cases.Count} cases; threshold {threshold:E0} -->");
Console.WriteLine();
Console.WriteLine("| op | kernel | C_in per group | cases | failing | failing fwd / input grad / weight grad | worst error |");
Console.WriteLine("|---|---|---|---|---|---|---|");
foreach (var group in results.GroupBy(r => (r.Case.Kind, r.Case.Kernel, Class: ChannelClass(r.Case))).OrderBy(g => g.Key.Kind).ThenBy(g => g.Key.Kernel).ThenBy(g => g.Key.Class))
{
    int failing = group.Count(r => Fails(r.Errors));
    int fwd = group.Count(r => !(r.Errors.Output <= threshold));
    int gx = group.Count(r => !(r.Errors.InputGrad <= threshold));
    int gw = group.Count(r => !(r.Errors.WeightGrad <= threshold));
    double worst = group.Select(r => r.Errors.Worst).Aggregate(0.0, (a, b) => double.IsNaN(a) || double.IsNaN(b) ? double.NaN : Math.Max(a, b));
    Console.WriteLine($"| {group.Key.Kind} | {group.Key.Kernel}x{group.Key.Kernel} | {group.Key.Class} | {group.Count()} | {failing} | {fwd} / {gx} / {gw} | {E(worst)} |");
}

int total = results.Count(r => Fails(r.Errors));
Console.WriteLine();
Console.WriteLine($"{total} of {results.Count} cases over {threshold:E0}; largest error of the passing cases {E(results.Where(r => !Fails(r.Errors)).Select(r => r.Errors.Worst).DefaultIfEmpty(0).Max())}; {(DateTime.UtcNow - started).TotalSeconds:F0} s.");
return total == 0 ? 0 : 1;

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
