using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;

namespace CnnDsl.Inference;

/// <summary>The ONNX Runtime process: <c>run MODEL.onnx INPUT OUTPUT [--threads N]</c> runs the
/// model on a tensor file (<see cref="TensorFile"/>) and writes the output as one;
/// <c>bench MODEL.onnx BATCH WARMUP RUNS THREADS</c> times forward passes on random input and
/// prints one line per run in milliseconds.</summary>
public static class Program
{
    public static int Main(string[] args)
    {
        try
        {
            if (args.Length >= 4 && args[0] == "run")
            {
                var threads = args.Length >= 6 && args[4] == "--threads" ? int.Parse(args[5], CultureInfo.InvariantCulture) : 0;
                using var model = new OnnxModel(args[1], new OnnxModelOptions { Threads = threads });
                var input = TensorFile.Read(args[2]);
                var output = model.Run(input.Values, checked((int)input.Shape[0]));
                new TensorFile(new[] { input.Shape[0] }.Concat(model.OutputShape).ToArray(), output).Write(args[3]);
                return 0;
            }

            if (args.Length == 6 && args[0] == "bench")
            {
                var (batch, warmup, runs, threads) = (Whole(args[2]), Whole(args[3]), Whole(args[4]), Whole(args[5]));
                using var model = new OnnxModel(args[1], new OnnxModelOptions { Threads = threads });
                var random = new Random(1);
                var input = new float[batch * model.InputShape.Aggregate(1L, (a, d) => a * d)];
                for (var i = 0; i < input.Length; i++) input[i] = (float)(random.NextDouble() * 2 - 1);
                for (var i = 0; i < warmup; i++) model.Run(input, batch);
                for (var i = 0; i < runs; i++)
                {
                    var watch = Stopwatch.StartNew();
                    model.Run(input, batch);
                    Console.WriteLine(watch.Elapsed.TotalMilliseconds.ToString("F3", CultureInfo.InvariantCulture));
                }

                return 0;
            }

            Console.Error.WriteLine("usage: CnnDsl.Inference run MODEL.onnx INPUT OUTPUT [--threads N] | bench MODEL.onnx BATCH WARMUP RUNS THREADS");
            return 2;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException or FormatException
            or InvalidOperationException or Microsoft.ML.OnnxRuntime.OnnxRuntimeException)
        {
            Console.Error.WriteLine(e.Message);
            return 1;
        }
    }

    private static int Whole(string text) => int.Parse(text, CultureInfo.InvariantCulture);
}
