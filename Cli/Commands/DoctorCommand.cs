using System;
using System.CommandLine;
using System.Globalization;
using System.IO;
using System.Linq;
using CnnDsl.Runtime;
using CnnDsl.Runtime.Convolution;
using TorchSharp;

namespace CnnDsl.Cli.Commands;

/// <summary><c>cnn doctor</c>: loads libtorch and runs the convolution self-test as every CnnDsl
/// process does (docs/convolution-fault.md), then says what it found, what CnnDsl did about it
/// and which CPU this is. Exit 0 when convolutions are right, 6 when they are not or libtorch
/// does not load.</summary>
public static class DoctorCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("doctor",
            "Check that TorchSharp's libtorch loads and computes float32 convolutions right on this machine (the self-test every CnnDsl process runs), and say what CnnDsl does about it.");
        command.SetAction(_ => Run(context));
        return command;
    }

    public static int Run(CliContext context)
    {
        var output = context.Out;
        output.WriteLine($"CPU          {CpuDescription()}");
        output.WriteLine($"TorchSharp   {typeof(torch).Assembly.GetName().Version?.ToString(3)}, libtorch 2.10.0 (CPU)");
        output.WriteLine($"environment  {Variable(ConvolutionGuard.ModeVariable)}, {Variable("DNNL_MAX_CPU_ISA")}");

        ConvolutionGuardReport? report;
        TorchUnavailableException? failure = null;
        try
        {
            TorchRuntime.EnsureAvailable();
            report = TorchRuntime.Convolution;
        }
        catch (ConvolutionFaultException e)
        {
            report = e.Report;
            failure = e;
        }
        catch (TorchUnavailableException e)
        {
            context.ErrorPrinter.ToolError(e.Message);
            return ExitCodes.ExternalFailure;
        }

        if (report != null)
        {
            output.WriteLine();
            Print(output, "with oneDNN", report.WithOneDnn);
            Print(output, "without oneDNN", report.WithoutOneDnn);
            output.WriteLine($"convolution  {report.Describe()}");
        }

        if (failure != null)
        {
            context.ErrorPrinter.ToolError(failure.Message);
            return ExitCodes.ExternalFailure;
        }

        return ExitCodes.Success;
    }

    private static void Print(TextWriter output, string title, SelfTestResult? result)
    {
        if (result == null)
        {
            return;
        }

        output.WriteLine($"self-test {title} ({Milliseconds(result.Elapsed)} ms, processor {Milliseconds(result.ProcessorTime)} ms; error = max |float32 - float64| / max |float64|, tolerance {ConvolutionSelfTest.Tolerance.ToString("0e0", CultureInfo.InvariantCulture)}):");
        foreach (var probe in result.Errors.GroupBy(e => e.Probe))
        {
            var cells = probe.Select(e => $"{e.Tensor} {Format(e.RelativeError)}");
            output.WriteLine($"  {probe.Key}: {string.Join(", ", cells)}  {(probe.All(e => e.Passed) ? "right" : "WRONG")}");
        }
    }

    private static string Milliseconds(TimeSpan time) => time.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture);

    private static string Format(double error) =>
        double.IsInfinity(error) ? "NaN" : error.ToString("0.0e0", CultureInfo.InvariantCulture);

    private static string Variable(string name) =>
        Environment.GetEnvironmentVariable(name) is string value && value.Length > 0 ? $"{name}={value}" : $"{name} unset";

    // The model name and the vector extensions that decide oneDNN's code paths (Linux only).
    private static string CpuDescription()
    {
        const string cpuInfo = "/proc/cpuinfo";
        if (!File.Exists(cpuInfo))
        {
            return $"{Environment.ProcessorCount} logical processors";
        }

        try
        {
            string[] lines = File.ReadAllLines(cpuInfo);
            string Field(string key) => lines.FirstOrDefault(l => l.StartsWith(key, StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "?";
            string[] wanted = { "avx", "avx2", "avx512f", "avx512_vnni", "avx512_bf16", "amx_tile" };
            var flags = Field("flags").Split(' ').Where(f => wanted.Contains(f));
            return $"{Field("model name")}, {Environment.ProcessorCount} logical processors; {string.Join(" ", flags)}";
        }
        catch (IOException)
        {
            return $"{Environment.ProcessorCount} logical processors";
        }
    }
}
