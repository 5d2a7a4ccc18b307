using System;
using System.Globalization;
using System.Linq;
using CnnDsl.Models.Tests.Cases;
using CnnDsl.Runtime;
using CnnDsl.Runtime.Convolution;
using TorchSharp;
using static TorchSharp.torch;

namespace CnnDsl.Models.Tests.Convolution;

/// <summary>
/// The test assembly's entry point, for tests that need a fresh process (the convolution guard
/// runs once per process). <c>dotnet exec CnnDsl.Models.Tests.dll generated-host</c> builds the
/// generated <see cref="ConvolutionFaultNet"/>, without calling TorchRuntime itself, runs a
/// batch of 2 forward and backward, and compares output and input gradient with the convolution
/// written out in float64. Exit 0: within 1e-4; 1: wrong; 3: the guard stopped the process
/// (ConvolutionFaultException, message on stderr); 2: unknown scenario.
/// </summary>
public static class ChildProcessEntry
{
    public const string GeneratedHost = "generated-host";

    /// <summary>The convolution of <see cref="ConvolutionFaultNet"/> at batch 2.</summary>
    public static readonly ConvolutionShape Shape = new(Batch: 2, InChannels: 24, OutChannels: 24, Size: 10, Kernel: 3, Padding: 1);

    public static int Main(string[] args)
    {
        if (args.Length != 1 || args[0] != GeneratedHost)
        {
            Console.Error.WriteLine($"usage: CnnDsl.Models.Tests {GeneratedHost}");
            return 2;
        }

        try
        {
            return RunGeneratedHost();
        }
        catch (ConvolutionFaultException e)
        {
            Console.Error.WriteLine(e.Message);
            return 3;
        }
    }

    private static int RunGeneratedHost()
    {
        using var model = new ConvolutionFaultNet();
        Console.WriteLine("guard: " + (TorchRuntime.Convolution?.Describe() ?? "did not run"));

        var shape = Shape;
        var random = new Random(7);
        float[] input = Values(random, shape.InputShape);
        float[] upstream = Values(random, shape.OutputShape);
        var parameters = model.parameters().ToArray();
        float[] weight = parameters[0].data<float>().ToArray();
        float[] bias = parameters[1].data<float>().ToArray();
        var expected = ConvolutionReference.Compute(shape, input, weight, bias, upstream);

        using var scope = NewDisposeScope();
        var x = tensor(input, shape.InputShape).requires_grad_(true);
        var y = model.forward(x);
        y.backward(new[] { tensor(upstream, shape.OutputShape) });
        double outputError = ConvolutionReference.RelativeError(Doubles(y), expected.Output);
        double gradientError = ConvolutionReference.RelativeError(Doubles(x.grad!), expected.InputGrad);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"errors: output {outputError:E1}, input gradient {gradientError:E1}"));
        return outputError <= 1e-4 && gradientError <= 1e-4 ? 0 : 1;
    }

    private static float[] Values(Random random, long[] shape) =>
        Enumerable.Range(0, (int)shape.Aggregate(1L, (a, b) => a * b)).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();

    private static double[] Doubles(Tensor t) => t.detach().to_type(ScalarType.Float64).contiguous().data<double>().ToArray();
}
