using System;
using System.Globalization;

namespace CnnDsl.Runtime.Convolution
{
    /// <summary>What the guard does, from the environment variable <c>CNNDSL_CONVOLUTION</c>.</summary>
    public enum ConvolutionMode
    {
        /// <summary><c>auto</c> (the default): self-test; if wrong, switch oneDNN off and test again.</summary>
        Auto,

        /// <summary><c>onednn</c>: keep oneDNN; self-test, and stop if wrong.</summary>
        OneDnn,

        /// <summary><c>native</c>: switch oneDNN off without asking; self-test, and stop if wrong.</summary>
        Native,

        /// <summary><c>off</c>: no self-test and no change (for measuring libtorch as it is).</summary>
        Off,
    }

    /// <summary>
    /// Makes libtorch's float32 convolutions right in this process, once, before the first model
    /// runs: libtorch 2.10 (oneDNN 3.7.1) computes some of them wrong on some CPUs
    /// (docs/convolution-fault.md). Run by <see cref="TorchRuntime.EnsureAvailable"/>.
    /// </summary>
    public static class ConvolutionGuard
    {
        /// <summary>The environment variable that chooses the <see cref="ConvolutionMode"/>.</summary>
        public const string ModeVariable = "CNNDSL_CONVOLUTION";

        private const string Docs = "docs/convolution-fault.md";

        /// <summary>The mode <see cref="ModeVariable"/> asks for.</summary>
        /// <exception cref="TorchUnavailableException">The variable holds another value.</exception>
        public static ConvolutionMode RequestedMode()
        {
            string? value = Environment.GetEnvironmentVariable(ModeVariable);
            switch (value?.Trim().ToLowerInvariant())
            {
                case null:
                case "":
                case "auto":
                    return ConvolutionMode.Auto;
                case "onednn":
                    return ConvolutionMode.OneDnn;
                case "native":
                    return ConvolutionMode.Native;
                case "off":
                    return ConvolutionMode.Off;
                default:
                    throw new TorchUnavailableException(
                        $"{ModeVariable}={value} is not a mode CnnDsl knows; use auto (the default), onednn, native or off (see {Docs}).");
            }
        }

        /// <summary>
        /// Self-tests libtorch's convolution and, in <see cref="ConvolutionMode.Auto"/>, switches
        /// oneDNN off where the test fails. Call once per process, after libtorch has loaded.
        /// </summary>
        /// <exception cref="ConvolutionFaultException">Convolutions stay wrong.</exception>
        /// <exception cref="TorchUnavailableException"><see cref="ModeVariable"/> is not understood.</exception>
        public static ConvolutionGuardReport Apply()
        {
            ConvolutionMode mode = RequestedMode();
            switch (mode)
            {
                case ConvolutionMode.Off:
                    return new ConvolutionGuardReport(mode, null, null);
                case ConvolutionMode.Native:
                    return Require(new ConvolutionGuardReport(mode, null, SwitchOneDnnOffAndTest()));
                case ConvolutionMode.OneDnn:
                    return Require(new ConvolutionGuardReport(mode, ConvolutionSelfTest.Run(), null));
                default:
                    SelfTestResult withOneDnn = ConvolutionSelfTest.Run();
                    SelfTestResult? withoutOneDnn = withOneDnn.Passed ? null : SwitchOneDnnOffAndTest();
                    return Require(new ConvolutionGuardReport(mode, withOneDnn, withoutOneDnn));
            }
        }

        private static SelfTestResult SwitchOneDnnOffAndTest()
        {
            OneDnn.Enabled = false;
            LibTorchLog.HideWarnings();
            return ConvolutionSelfTest.Run();
        }

        private static ConvolutionGuardReport Require(ConvolutionGuardReport report)
        {
            if (report.Right)
            {
                return report;
            }

            string isa = Environment.GetEnvironmentVariable("DNNL_MAX_CPU_ISA") is string set && set.Length > 0
                ? $" (DNNL_MAX_CPU_ISA is {set})"
                : string.Empty;
            string what = report.Mode == ConvolutionMode.OneDnn
                ? $"{ModeVariable}=onednn keeps libtorch's oneDNN on, and oneDNN{isa} gets it wrong: {report.WithOneDnn!.DescribeFailures()}. "
                  + $"What to do: unset {ModeVariable} (or set it to auto) so that CnnDsl runs convolutions without oneDNN, "
                  + "or start the process with DNNL_MAX_CPU_ISA=SSE41 in its environment."
                : $"{(report.WithOneDnn == null ? string.Empty : $"with oneDNN{isa}: {report.WithOneDnn.DescribeFailures()}; ")}"
                  + $"without oneDNN too: {report.WithoutOneDnn!.DescribeFailures()}. "
                  + "What to do: start the process with DNNL_MAX_CPU_ISA=SSE41 in its environment and "
                  + $"{ModeVariable}=onednn, and report the machine (docs/convolution-fault.md says what to include).";
            throw new ConvolutionFaultException(
                $"libtorch computes float32 convolutions wrong in this process ({ConvolutionSelfTest.Tolerance.ToString("0e0", CultureInfo.InvariantCulture)} relative tolerance): {what} See {Docs}.",
                report);
        }
    }

    /// <summary>What <see cref="ConvolutionGuard.Apply"/> found and did.</summary>
    public sealed class ConvolutionGuardReport
    {
        internal ConvolutionGuardReport(ConvolutionMode mode, SelfTestResult? withOneDnn, SelfTestResult? withoutOneDnn)
        {
            Mode = mode;
            WithOneDnn = withOneDnn;
            WithoutOneDnn = withoutOneDnn;
        }

        /// <summary>The mode the guard ran in.</summary>
        public ConvolutionMode Mode { get; }

        /// <summary>The self-test with libtorch's oneDNN on; null where it was not run.</summary>
        public SelfTestResult? WithOneDnn { get; }

        /// <summary>The self-test with oneDNN switched off; null where oneDNN was not switched off.</summary>
        public SelfTestResult? WithoutOneDnn { get; }

        /// <summary>Whether the guard switched oneDNN off.</summary>
        public bool OneDnnSwitchedOff => WithoutOneDnn != null;

        /// <summary>Whether the last self-test passed (true in <see cref="ConvolutionMode.Off"/>, which tests nothing).</summary>
        public bool Right => (WithoutOneDnn ?? WithOneDnn)?.Passed ?? true;

        /// <summary>One line for a user, e.g. "oneDNN gets float32 convolutions wrong here
        /// (...); CnnDsl switched it off and libtorch's own convolution passes the self-test".</summary>
        public string Describe()
        {
            if (Mode == ConvolutionMode.Off)
            {
                return $"not checked: {ConvolutionGuard.ModeVariable}=off leaves libtorch as it is, right or wrong.";
            }

            if (!Right)
            {
                return "libtorch computes float32 convolutions wrong here: "
                    + (WithoutOneDnn ?? WithOneDnn)!.DescribeFailures() + ".";
            }

            if (WithOneDnn != null && WithOneDnn.Passed)
            {
                return $"right: libtorch's oneDNN passes the self-test (worst error {Format(WithOneDnn.WorstError)}, {Milliseconds(WithOneDnn)}); convolutions run through oneDNN.";
            }

            string before = WithOneDnn == null
                ? $"{ConvolutionGuard.ModeVariable}=native switched libtorch's oneDNN off"
                : $"libtorch's oneDNN gets float32 convolutions wrong here ({WithOneDnn.DescribeFailures()}), so CnnDsl switched it off";
            return $"right: {before}; libtorch's own convolution passes the self-test (worst error {Format(WithoutOneDnn!.WorstError)}, {Milliseconds(WithoutOneDnn)}).";
        }

        private static string Format(double error) => error.ToString("0.0e0", CultureInfo.InvariantCulture);

        private static string Milliseconds(SelfTestResult result) =>
            result.Elapsed.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture) + " ms";
    }
}
