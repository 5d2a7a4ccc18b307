using System.Collections.Generic;
using CnnDsl.Runtime;
using CnnDsl.Runtime.Convolution;
using Xunit;

namespace CnnDsl.Models.Tests.Convolution;

/// <summary>
/// The convolution guard (Runtime/Convolution): it ran in this test host, its self-test agrees
/// with an independent check of libtorch's oneDNN (the shapes of <see cref="ConvolutionFaultTests"/>
/// against the convolution written out), a generated class applies it in a fresh process, and
/// with the remedy refused (CNNDSL_CONVOLUTION=onednn) a fresh process stops with one message
/// exactly where oneDNN is wrong. On a machine where oneDNN is right the same tests require that
/// the guard leaves it on and passes.
/// </summary>
public sealed class ConvolutionGuardTests : IClassFixture<TorchFixture>
{
    private const string Mode = ConvolutionGuard.ModeVariable;

    [Fact]
    public void The_guard_ran_in_this_test_host_and_left_convolutions_right()
    {
        var report = TorchRuntime.Convolution;
        Assert.NotNull(report);
        Assert.True(report!.Right, report.Describe());
        Assert.Equal(report.OneDnnSwitchedOff, !OneDnn.Enabled);
        if (report.WithOneDnn != null && !report.WithOneDnn.Passed)
        {
            Assert.True(report.OneDnnSwitchedOff, "oneDNN failed the self-test but was left on");
            Assert.True(report.WithoutOneDnn!.Passed, report.Describe());
        }
    }

    [Fact]
    public void The_self_test_agrees_with_an_independent_check_of_oneDNN()
    {
        var (selfTest, oneDnnRight) = WithOneDnn(() => (ConvolutionSelfTest.Run(), ConvolutionFaultTests.AllRight()));
        Assert.True(selfTest.Passed == oneDnnRight,
            $"the self-test says oneDNN is {(selfTest.Passed ? "right" : "wrong")} ({selfTest.DescribeFailures()}), " +
            $"the shapes of ConvolutionFaultTests say {(oneDnnRight ? "right" : "wrong")}");
    }

    [Fact]
    public void A_generated_class_makes_convolutions_right_in_a_fresh_process()
    {
        var run = ChildProcess.Run(ChildProcessEntry.GeneratedHost, new Dictionary<string, string?> { [Mode] = null });
        Assert.True(run.ExitCode == 0, $"exit {run.ExitCode}\n{run.Out}\n{run.Error}");
        Assert.Contains("guard: right", run.Out);
    }

    [Fact]
    public void With_the_remedy_refused_a_fresh_process_stops_with_one_message_where_oneDNN_is_wrong()
    {
        bool oneDnnRight = WithOneDnn(ConvolutionFaultTests.AllRight);
        var run = ChildProcess.Run(ChildProcessEntry.GeneratedHost, new Dictionary<string, string?> { [Mode] = "onednn" });
        if (oneDnnRight)
        {
            Assert.True(run.ExitCode == 0, $"oneDNN is right here, yet: exit {run.ExitCode}\n{run.Out}\n{run.Error}");
            return;
        }

        Assert.True(run.ExitCode == 3, $"expected the guard to stop the process (exit 3): exit {run.ExitCode}\n{run.Out}\n{run.Error}");
        string message = run.Error.Trim();
        Assert.DoesNotContain('\n', message);
        Assert.StartsWith("libtorch computes float32 convolutions wrong in this process", message);
        Assert.Contains("conv2d of a 2x24x6x6 input, 3x3 kernel, 24 output channels: output off by", message);
        Assert.Contains($"unset {Mode}", message);
        Assert.Contains("DNNL_MAX_CPU_ISA=SSE41", message);
        Assert.Contains("docs/convolution-fault.md", message);
    }

    [Fact]
    public void Without_the_guard_the_generated_class_computes_what_oneDNN_computes()
    {
        bool oneDnnRight = WithOneDnn(() => System.Linq.Enumerable.All(ConvolutionFaultTests.Errors(ChildProcessEntry.Shape), e => e.Error <= 1e-4));
        var run = ChildProcess.Run(ChildProcessEntry.GeneratedHost, new Dictionary<string, string?> { [Mode] = "off" });
        Assert.Contains("guard: not checked", run.Out);
        Assert.True(run.ExitCode == (oneDnnRight ? 0 : 1), $"oneDNN is {(oneDnnRight ? "right" : "wrong")} here: exit {run.ExitCode}\n{run.Out}\n{run.Error}");
    }

    // Runs with libtorch's oneDNN on, then puts the switch back (tests here run one at a time).
    private static T WithOneDnn<T>(System.Func<T> check)
    {
        bool before = OneDnn.Enabled;
        try
        {
            OneDnn.Enabled = true;
            return check();
        }
        finally
        {
            OneDnn.Enabled = before;
        }
    }
}
