using System;
using System.IO;
using System.Linq;

namespace CnnDsl.Benchmarks.Harness;

/// <summary>CPU time on this host that is not ours: the machine is shared, so each timed round
/// also records how busy the other processes kept the CPUs (from /proc/stat and /proc/self/stat,
/// in clock ticks), and the summaries can keep the quiet rounds only.</summary>
public static class HostLoad
{
    public readonly record struct Sample(long HostBusyTicks, long SelfTicks, long MinorFaults, DateTime At);

    public static bool Available => File.Exists("/proc/stat") && File.Exists("/proc/self/stat");

    public static int Cpus => Environment.ProcessorCount;

    private const double TicksPerSecond = 100.0; // USER_HZ on Linux

    public static Sample Now()
    {
        if (!Available) return new Sample(0, 0, 0, DateTime.UtcNow);
        // cpu  user nice system idle iowait irq softirq steal guest guest_nice
        var cpu = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        long F(int i) => long.Parse(cpu[i], System.Globalization.CultureInfo.InvariantCulture);
        var busy = F(1) + F(2) + F(3) + F(6) + F(7) + F(8);
        // /proc/self/stat: fields after the parenthesised command; utime and stime are fields 14 and 15.
        var self = File.ReadAllText("/proc/self/stat");
        var rest = self[(self.LastIndexOf(')') + 2)..].Split(' ');
        var selfTicks = long.Parse(rest[11], System.Globalization.CultureInfo.InvariantCulture) + long.Parse(rest[12], System.Globalization.CultureInfo.InvariantCulture);
        // minflt is field 10: minor page faults (first touch of freshly mapped memory, among others).
        var minflt = long.Parse(rest[7], System.Globalization.CultureInfo.InvariantCulture);
        return new Sample(busy, selfTicks, minflt, DateTime.UtcNow);
    }

    /// <summary>Other processes' CPU use between two samples, as a fraction of all CPUs (0..1).</summary>
    public static double Foreign(Sample a, Sample b)
    {
        var seconds = (b.At - a.At).TotalSeconds;
        if (!Available || seconds <= 0) return 0;
        var foreignTicks = (b.HostBusyTicks - a.HostBusyTicks) - (b.SelfTicks - a.SelfTicks);
        return Math.Max(0, foreignTicks / TicksPerSecond / (seconds * Cpus));
    }
}
