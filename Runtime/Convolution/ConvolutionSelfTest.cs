using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace CnnDsl.Runtime.Convolution
{
    /// <summary>
    /// Runs small float32 convolutions forward and backward through libtorch, as it is set up
    /// now, and compares output, input gradient and weight gradient with a float64 computation
    /// written out in C# (no libtorch in the reference). Takes a few milliseconds; leaves the torch
    /// random generator and grad mode as they were.
    /// </summary>
    public static class ConvolutionSelfTest
    {
        /// <summary>
        /// Largest error accepted: max |float32 - float64| over max |float64|, per tensor. Right
        /// float32 results of these probes are within 1e-6; the fault gives 0.1 and more or NaN.
        /// </summary>
        public const double Tolerance = 1e-3;

        /// <summary>
        /// The probes: 24 channels with a 3x3 kernel at batch 2 and 20 channels with a 5x5 kernel
        /// at batch 1, both wrong on the machine the fault was found on, forward (input channels)
        /// and for the input gradient (output channels).
        /// </summary>
        public static IReadOnlyList<ConvolutionProbe> Probes { get; } = new[]
        {
            new ConvolutionProbe(batch: 2, channels: 24, size: 6, kernel: 3),
            new ConvolutionProbe(batch: 1, channels: 20, size: 6, kernel: 5),
        };

        /// <summary>Runs every probe and returns every error.</summary>
        public static SelfTestResult Run()
        {
            var timer = Stopwatch.StartNew();
            TimeSpan processorTime = Process.GetCurrentProcess().TotalProcessorTime;
            var errors = new List<ProbeError>();
            foreach (ConvolutionProbe probe in Probes)
            {
                errors.AddRange(RunProbe(probe));
            }

            return new SelfTestResult(errors, timer.Elapsed, Process.GetCurrentProcess().TotalProcessorTime - processorTime);
        }

        private static IEnumerable<ProbeError> RunProbe(ConvolutionProbe probe)
        {
            ProbeData data = probe.Data();
            ProbeResult expected = probe.Reference(data);
            ProbeResult actual = RunTorch(probe, data);
            return new[]
            {
                new ProbeError(probe, "output", RelativeError(actual.Output, expected.Output)),
                new ProbeError(probe, "input gradient", RelativeError(actual.InputGrad, expected.InputGrad)),
                new ProbeError(probe, "weight gradient", RelativeError(actual.WeightGrad, expected.WeightGrad)),
            };
        }

        private static ProbeResult RunTorch(ConvolutionProbe probe, ProbeData data)
        {
            long n = probe.Batch, c = probe.Channels, s = probe.Size, k = probe.Kernel;
            using var scope = NewDisposeScope();
            using var grad = enable_grad();
            Tensor input = tensor(data.Input, new[] { n, c, s, s }).requires_grad_(true);
            Tensor weight = tensor(data.Weight, new[] { c, c, k, k }).requires_grad_(true);
            Tensor bias = tensor(data.Bias, new[] { c });
            Tensor upstream = tensor(data.Upstream, new[] { n, c, s, s });
            Tensor output = nn.functional.conv2d(input, weight, bias, padding: new long[] { probe.Padding, probe.Padding });
            IList<Tensor> gradients = autograd.grad(new[] { output }, new[] { input, weight }, new[] { upstream });
            return new ProbeResult(ToDoubles(output), ToDoubles(gradients[0]), ToDoubles(gradients[1]));
        }

        private static double[] ToDoubles(Tensor t) =>
            t.detach().to_type(ScalarType.Float64).contiguous().data<double>().ToArray();

        // max |actual - expected| / max |expected|; NaN or infinity in actual gives infinity.
        private static double RelativeError(double[] actual, double[] expected)
        {
            double scale = 0, error = 0;
            for (int i = 0; i < expected.Length; i++)
            {
                scale = Math.Max(scale, Math.Abs(expected[i]));
                double difference = Math.Abs(actual[i] - expected[i]);
                if (double.IsNaN(difference) || double.IsInfinity(difference))
                {
                    return double.PositiveInfinity;
                }

                error = Math.Max(error, difference);
            }

            return scale == 0 ? error : error / scale;
        }
    }

    /// <summary>The error of one tensor of one probe: max |float32 - float64| / max |float64|
    /// (infinity where libtorch gave NaN or infinity).</summary>
    public sealed class ProbeError
    {
        internal ProbeError(ConvolutionProbe probe, string tensor, double relativeError)
        {
            Probe = probe;
            Tensor = tensor;
            RelativeError = relativeError;
        }

        /// <summary>The convolution.</summary>
        public ConvolutionProbe Probe { get; }

        /// <summary><c>output</c>, <c>input gradient</c> or <c>weight gradient</c>.</summary>
        public string Tensor { get; }

        /// <summary>The error, a fraction of the largest value of the float64 result.</summary>
        public double RelativeError { get; }

        /// <summary>Whether the error is within <see cref="ConvolutionSelfTest.Tolerance"/>.</summary>
        public bool Passed => RelativeError <= ConvolutionSelfTest.Tolerance;

        /// <summary>The error as a percentage of the largest value, or "NaN".</summary>
        public string Describe() => double.IsInfinity(RelativeError)
            ? "not a number"
            : RelativeError.ToString("0.##%", CultureInfo.InvariantCulture) + " of its largest value";
    }

    /// <summary>What <see cref="ConvolutionSelfTest.Run"/> found.</summary>
    public sealed class SelfTestResult
    {
        internal SelfTestResult(IReadOnlyList<ProbeError> errors, TimeSpan elapsed, TimeSpan processorTime)
        {
            Errors = errors;
            Elapsed = elapsed;
            ProcessorTime = processorTime;
        }

        /// <summary>Every probe's output, input gradient and weight gradient error.</summary>
        public IReadOnlyList<ProbeError> Errors { get; }

        /// <summary>Wall-clock time of the whole test.</summary>
        public TimeSpan Elapsed { get; }

        /// <summary>Processor time the process spent during the test, all threads (on a busy
        /// machine a steadier measure of its cost than <see cref="Elapsed"/>).</summary>
        public TimeSpan ProcessorTime { get; }

        /// <summary>Whether every error is within tolerance.</summary>
        public bool Passed => Errors.All(e => e.Passed);

        /// <summary>The largest error.</summary>
        public double WorstError => Errors.Max(e => e.RelativeError);

        /// <summary>The failures, one probe per clause, e.g. "conv2d of a 2x24x8x8 input, 3x3
        /// kernel, 24 output channels: output off by 39% of its largest value, input gradient
        /// by 41%"; empty when passed.</summary>
        public string DescribeFailures()
        {
            var clauses = new List<string>();
            foreach (var probe in Errors.Where(e => !e.Passed).GroupBy(e => e.Probe))
            {
                clauses.Add(probe.Key + ": " + string.Join(", ", probe.Select(e => e.Tensor + " off by " + e.Describe())));
            }

            return string.Join("; ", clauses);
        }
    }
}
