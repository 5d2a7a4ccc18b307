using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace CnnDsl.Benchmarks;

/// <summary>Command-line options: <c>--name value</c> pairs and <c>--flag</c>s after the suite name.</summary>
public sealed class Options
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _flags = new(StringComparer.Ordinal);

    /// <summary>Torch intra-op threads, the same for every contender (set once per process).</summary>
    public static int Threads { get; private set; } = 2;

    public Options(IEnumerable<string> args)
    {
        var list = args.ToList();
        for (var i = 0; i < list.Count; i++)
        {
            if (!list[i].StartsWith("--", StringComparison.Ordinal)) throw new ArgumentException($"unexpected argument {list[i]}");
            var key = list[i][2..];
            if (i + 1 < list.Count && !list[i + 1].StartsWith("--", StringComparison.Ordinal)) _values[key] = list[++i];
            else _flags.Add(key);
        }
        Threads = Int("threads", 2);
    }

    public string Get(string key, string fallback) => _values.TryGetValue(key, out var v) ? v : fallback;
    public int Int(string key, int fallback) => _values.TryGetValue(key, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
    public double Double(string key, double fallback) => _values.TryGetValue(key, out var v) ? double.Parse(v, CultureInfo.InvariantCulture) : fallback;
    public bool Flag(string key) => _flags.Contains(key);
    public IReadOnlyList<string> List(string key, IEnumerable<string> fallback) =>
        _values.TryGetValue(key, out var v) ? v.Split(',', StringSplitOptions.RemoveEmptyEntries) : fallback.ToList();
    public IReadOnlyList<int> Ints(string key, IEnumerable<int> fallback) =>
        _values.TryGetValue(key, out var v) ? v.Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToList() : fallback.ToList();

    public int Warmup => Int("warmup", 2);
    public int MinRounds => Int("min-rounds", 10);
    public int MaxRounds => Int("max-rounds", 200);
    public double BudgetSeconds => Double("budget", 30);
    public bool Verbose => Flag("verbose");
    public bool Interpreter => !Flag("no-interpreter");
}
