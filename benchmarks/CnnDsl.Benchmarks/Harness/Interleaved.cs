using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;

namespace CnnDsl.Benchmarks.Harness;

/// <summary>One contender: a name and one timed operation.</summary>
public sealed record Case(string Name, Action Run);

/// <summary>Times several cases side by side: after warm-up, each round runs every case once, in
/// the orders of a Williams design (a Latin square balanced for first-order carry-over: every case
/// follows every other case equally often, which matters because a forward pass inherits the
/// allocator state its predecessor left), so that slow drift of the machine (other load, thermal,
/// allocator state) falls on all cases alike. Ratios are taken per round (paired), then
/// summarised, which cancels drift that a ratio of two medians would keep. Each round also
/// records the share of the CPUs that other processes used meanwhile; a round is "quiet" when
/// that share is at most <see cref="QuietThreshold"/>, and the summaries use the quiet rounds
/// when there are at least <see cref="MinQuiet"/> of them.</summary>
public sealed class Interleaved
{
    public const double QuietThreshold = 0.15;
    public const int MinQuiet = 5;

    private readonly IReadOnlyList<Case> _cases;
    private readonly Dictionary<string, List<double>> _ms = new();
    private readonly Dictionary<string, List<double>> _faults = new();
    private readonly List<double> _foreign = new();

    private readonly List<int[]> _orders;

    public Interleaved(IReadOnlyList<Case> cases)
    {
        _cases = cases;
        _orders = Williams(cases.Count);
        foreach (var c in cases)
        {
            _ms[c.Name] = new List<double>();
            _faults[c.Name] = new List<double>();
        }
    }

    public int Rounds { get; private set; }

    public int QuietRounds => _foreign.Count(f => f <= QuietThreshold);

    /// <summary>Whether the summaries below are over quiet rounds only.</summary>
    public bool UsingQuiet => QuietRounds >= MinQuiet;

    /// <summary>Median share of the CPUs used by other processes during the rounds summarised.</summary>
    public double ForeignMedian => Summary.Of(Selected(_foreign)).Median;

    /// <summary>"n quiet of m" for reports.</summary>
    public string RoundsText => UsingQuiet ? $"{QuietRounds} of {Rounds} (quiet)" : $"{Rounds} (all; {QuietRounds} quiet)";

    /// <summary>Runs <paramref name="warmup"/> untimed rounds, then timed rounds until
    /// <paramref name="minRounds"/> rounds (quiet ones, when <paramref name="wantQuiet"/>) and
    /// <paramref name="budgetSeconds"/> are both reached, or <paramref name="maxRounds"/>.</summary>
    public Interleaved Run(int warmup, int minRounds, int maxRounds, double budgetSeconds, Action<string>? log = null, bool wantQuiet = true)
    {
        for (var w = 0; w < warmup; w++)
            foreach (var c in _cases) c.Run();

        var total = Stopwatch.StartNew();
        var n = _cases.Count;
        for (var r = 0; r < maxRounds; r++)
        {
            var enough = (wantQuiet ? QuietRounds : Rounds) >= minRounds;
            // Past the budget, stop once there are enough rounds; past three budgets, stop anyway.
            if (total.Elapsed.TotalSeconds >= budgetSeconds && (enough || total.Elapsed.TotalSeconds >= 3 * budgetSeconds) && Rounds >= Math.Min(minRounds, 3)) break;
            var foreign = 0.0;
            var order = _orders[r % _orders.Count];
            for (var k = 0; k < n; k++)
            {
                var c = _cases[order[k]];
                // Collect managed garbage outside the timed region, for every case alike.
                GC.Collect();
                GC.WaitForPendingFinalizers();
                var before = HostLoad.Now();
                var sw = Stopwatch.StartNew();
                c.Run();
                sw.Stop();
                var after = HostLoad.Now();
                foreign = Math.Max(foreign, HostLoad.Foreign(before, after));
                _ms[c.Name].Add(sw.Elapsed.TotalMilliseconds);
                _faults[c.Name].Add(after.MinorFaults - before.MinorFaults);
            }
            _foreign.Add(foreign);
            Rounds = r + 1;
            log?.Invoke($"  round {Rounds} (others used {foreign:P0} of the CPUs): " + string.Join(", ", _cases.Select(c => $"{c.Name} {Text.F(_ms[c.Name][^1], "F1")} ms")));
        }
        return this;
    }

    /// <summary>Williams design for n treatments: n rows when n is even, 2n (each row and its
    /// reverse) when n is odd. Row 0 is 0, 1, n-1, 2, n-2, ...; row r adds r modulo n.</summary>
    public static List<int[]> Williams(int n)
    {
        var first = new int[n];
        for (int k = 0, lo = 1, hi = n - 1; k < n; k++)
            first[k] = k == 0 ? 0 : k % 2 == 1 ? lo++ : hi--;
        var rows = new List<int[]>();
        for (var r = 0; r < n; r++) rows.Add(first.Select(v => (v + r) % n).ToArray());
        if (n % 2 == 1) rows.AddRange(rows.Select(row => row.Reverse().ToArray()).ToList());
        return rows;
    }

    private IEnumerable<double> Selected(IReadOnlyList<double> values) =>
        UsingQuiet ? values.Where((_, i) => _foreign[i] <= QuietThreshold) : values;

    public IReadOnlyList<double> Times(string name) => Selected(_ms[name]).ToList();

    public Summary Of(string name) => Summary.Of(Selected(_ms[name]));

    /// <summary>Minor page faults of this process during one run of the case.</summary>
    public Summary Faults(string name) => Summary.Of(Selected(_faults[name]));

    /// <summary>Per-round ratio numerator / denominator, summarised.</summary>
    public Summary Ratio(string numerator, string denominator) =>
        Summary.Of(Selected(_ms[numerator].Zip(_ms[denominator], (a, b) => a / b).ToList()));
}
