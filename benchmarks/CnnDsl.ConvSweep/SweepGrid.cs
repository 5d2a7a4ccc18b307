using System.Collections.Generic;
using System.Linq;

namespace CnnDsl.ConvSweep;

/// <summary>The shapes swept: a core grid (input channels x kernel x batch) and one-factor
/// variations of it (stride, dilation, groups, output channels, input size, padding, transposed).</summary>
public static class SweepGrid
{
    private static readonly int[] CoreChannels =
        { 1, 3, 4, 8, 12, 15, 16, 17, 20, 24, 28, 31, 32, 33, 40, 48, 56, 64, 72, 80, 96, 112, 120, 128, 144, 160, 192 };
    private static readonly int[] CoreKernels = { 1, 2, 3, 5, 7 };
    private static readonly int[] CoreBatches = { 1, 2, 3, 4, 8, 16 };

    private static readonly int[] VariedChannels = { 16, 20, 24, 32, 40, 64, 72 };
    private static readonly int[] VariedKernels = { 1, 3, 5 };
    private static readonly int[] VariedBatches = { 1, 2, 8 };

    /// <summary>The shapes of the named grid: <c>full</c> (every case) or <c>quick</c> (a slice
    /// that still holds every factor).</summary>
    public static IReadOnlyList<ConvCase> Cases(string grid)
    {
        var cases = new List<ConvCase>();
        bool quick = grid == "quick";
        int[] channels = quick ? new[] { 3, 16, 17, 20, 24, 32, 40, 64, 72 } : CoreChannels;
        int[] batches = quick ? new[] { 1, 2, 8 } : CoreBatches;

        foreach (int c in channels)
            foreach (int k in CoreKernels)
                foreach (int n in batches)
                    cases.Add(new ConvCase(n, c, 32, 14, k));

        foreach (int c in VariedChannels)
            foreach (int k in VariedKernels)
                foreach (int n in VariedBatches)
                {
                    cases.Add(new ConvCase(n, c, 32, 14, k, Stride: 2));
                    cases.Add(new ConvCase(n, c, 32, 15, k, Stride: 3));
                    if (k > 1) cases.Add(new ConvCase(n, c, 32, 14, k, Dilation: 2));
                    if (c % 2 == 0) cases.Add(new ConvCase(n, c, 32, 14, k, Groups: 2));
                    if (c % 4 == 0) cases.Add(new ConvCase(n, c, 32, 14, k, Groups: 4));
                    cases.Add(new ConvCase(n, c, c, 14, k, Groups: c));
                    cases.Add(new ConvCase(n, c, c * 2, 14, k, Groups: c));
                    foreach (int cout in new[] { 8, 24, 64, 100 }) cases.Add(new ConvCase(n, c, cout, 14, k));
                    foreach (int size in new[] { 7, 28 }) cases.Add(new ConvCase(n, c, 32, size, k));
                    if (k > 1) cases.Add(new ConvCase(n, c, 32, 14, k, Padding: 0));
                    cases.Add(new ConvCase(n, c, 32, 7, k, Stride: 2, Transposed: true));
                    cases.Add(new ConvCase(n, c, 24, 14, k, Transposed: true));
                }

        return cases.Distinct().ToList();
    }
}
