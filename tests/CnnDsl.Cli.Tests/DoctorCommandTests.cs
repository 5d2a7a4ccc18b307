using System.Linq;
using CnnDsl.Runtime;
using Xunit;

namespace CnnDsl.Cli.Tests;

/// <summary><c>cnn doctor</c> reports the convolution self-test this process ran (the guard of
/// docs/convolution-fault.md) and what it did, consistently with the guard's own report.</summary>
public class DoctorCommandTests
{
    [Fact]
    public void Doctor_reports_the_self_test_and_the_remedy()
    {
        var run = CliRunner.Run("doctor");

        Assert.True(run.ExitCode == 0, run.Out + run.Error);
        Assert.Equal("", run.Error);
        var lines = run.Out.Split('\n');
        Assert.StartsWith("CPU          ", lines[0]);
        Assert.StartsWith("TorchSharp   0.107.0, libtorch 2.10.0", lines[1]);
        Assert.Contains(lines, l => l.StartsWith("self-test with", System.StringComparison.Ordinal));
        Assert.Contains("conv2d of a 2x24x6x6 input, 3x3 kernel, 24 output channels: output ", run.Out);

        var report = TorchRuntime.Convolution!;
        Assert.Contains("convolution  " + report.Describe(), run.Out);
        Assert.StartsWith("right: ", report.Describe());
        // Every probe line says right or WRONG, and WRONG only in the run with oneDNN that the guard replaced.
        var probeLines = lines.Where(l => l.StartsWith("  conv2d", System.StringComparison.Ordinal)).ToList();
        Assert.Equal(report.OneDnnSwitchedOff && report.WithOneDnn != null ? 4 : 2, probeLines.Count);
        Assert.All(probeLines.Skip(probeLines.Count - 2), l => Assert.EndsWith("  right", l));
    }
}
