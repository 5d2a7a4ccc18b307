using System;
using System.Diagnostics;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using System.Threading;

namespace CnnDsl.Benchmarks.Harness;

/// <summary>The CPU's float32 peak as measured, not as specified: each of <c>threads</c> threads
/// runs fused multiply-adds on 12 independent vector accumulators (more than an FMA unit's
/// latency times the units per core, so the units never wait), the widest the CPU has (AVX-512:
/// 16 floats; AVX2 with FMA: 8), with nothing loaded or stored. 2 FLOP per lane per
/// instruction. No real program exceeds it; a matrix product comes closest.</summary>
public static class FmaPeak
{
    private const int Accumulators = 12;

    /// <summary>The instruction set used: "AVX-512 FMA", "AVX2 FMA", or null where neither is (no figure).</summary>
    public static string? InstructionSet =>
        Avx512F.IsSupported ? "AVX-512 FMA (16 floats)" : Fma.IsSupported ? "AVX2 FMA (8 floats)" : null;

    /// <summary>GFLOP/s of <paramref name="threads"/> threads together, the best of
    /// <paramref name="rounds"/> rounds of about <paramref name="seconds"/> each; NaN when the CPU
    /// has no FMA instructions.</summary>
    public static double Measure(int threads, int rounds = 5, double seconds = 0.5)
    {
        if (InstructionSet is null) return double.NaN;
        var lanes = Avx512F.IsSupported ? 16 : 8;
        // Calibrate one thread's inner count so that a round lasts about `seconds`.
        var probe = Stopwatch.StartNew();
        Run(1 << 20);
        var perIteration = probe.Elapsed.TotalSeconds / (1 << 20);
        var iterations = (long)Math.Max(1 << 20, seconds / perIteration);

        var best = 0.0;
        for (var round = 0; round < rounds; round++)
        {
            using var start = new Barrier(threads + 1);
            var workers = Enumerable.Range(0, threads).Select(_ => new Thread(() => { start.SignalAndWait(); Run(iterations); })).ToArray();
            foreach (var worker in workers) worker.Start();
            start.SignalAndWait();
            var clock = Stopwatch.StartNew();
            foreach (var worker in workers) worker.Join();
            var flop = 2.0 * lanes * Accumulators * iterations * threads;
            best = Math.Max(best, flop / clock.Elapsed.TotalSeconds / 1e9);
        }

        return best;
    }

    /// <summary>One thread's FMA stream; returns a value from every accumulator so none is dead code.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static float Run(long iterations) => Avx512F.IsSupported ? Run512(iterations) : Run256(iterations);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static float Run512(long iterations)
    {
        // Multiplier just below 1 and a tiny addend: the values stay finite and normal forever.
        var m = Vector512.Create(0.9999999f);
        var c = Vector512.Create(1e-7f);
        Vector512<float> a0 = Vector512.Create(1f), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0,
            a6 = a0, a7 = a0, a8 = a0, a9 = a0, a10 = a0, a11 = a0;
        for (long i = 0; i < iterations; i++)
        {
            a0 = Avx512F.FusedMultiplyAdd(a0, m, c); a1 = Avx512F.FusedMultiplyAdd(a1, m, c);
            a2 = Avx512F.FusedMultiplyAdd(a2, m, c); a3 = Avx512F.FusedMultiplyAdd(a3, m, c);
            a4 = Avx512F.FusedMultiplyAdd(a4, m, c); a5 = Avx512F.FusedMultiplyAdd(a5, m, c);
            a6 = Avx512F.FusedMultiplyAdd(a6, m, c); a7 = Avx512F.FusedMultiplyAdd(a7, m, c);
            a8 = Avx512F.FusedMultiplyAdd(a8, m, c); a9 = Avx512F.FusedMultiplyAdd(a9, m, c);
            a10 = Avx512F.FusedMultiplyAdd(a10, m, c); a11 = Avx512F.FusedMultiplyAdd(a11, m, c);
        }

        var sum = a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11;
        return Vector512.Sum(sum);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static float Run256(long iterations)
    {
        var m = Vector256.Create(0.9999999f);
        var c = Vector256.Create(1e-7f);
        Vector256<float> a0 = Vector256.Create(1f), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0,
            a6 = a0, a7 = a0, a8 = a0, a9 = a0, a10 = a0, a11 = a0;
        for (long i = 0; i < iterations; i++)
        {
            a0 = Fma.MultiplyAdd(a0, m, c); a1 = Fma.MultiplyAdd(a1, m, c);
            a2 = Fma.MultiplyAdd(a2, m, c); a3 = Fma.MultiplyAdd(a3, m, c);
            a4 = Fma.MultiplyAdd(a4, m, c); a5 = Fma.MultiplyAdd(a5, m, c);
            a6 = Fma.MultiplyAdd(a6, m, c); a7 = Fma.MultiplyAdd(a7, m, c);
            a8 = Fma.MultiplyAdd(a8, m, c); a9 = Fma.MultiplyAdd(a9, m, c);
            a10 = Fma.MultiplyAdd(a10, m, c); a11 = Fma.MultiplyAdd(a11, m, c);
        }

        var sum = a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11;
        return Vector256.Sum(sum);
    }
}
