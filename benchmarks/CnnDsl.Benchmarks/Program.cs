using System;
using System.Linq;
using CnnDsl.Benchmarks;
using CnnDsl.Benchmarks.Suites;
using TorchSharp;

// CnnDsl benchmarks (issue 6). Markdown tables go to stdout, progress to stderr.
//   forward   generated vs hand-written vs interpreter   [--models ResNet50,VGG16,GoogLeNet,DenseNet121] [--batches 1,8]
//   variants  diagnosis: generated / hand-written, each with ReLUs in place and not [--models ...] [--batches 8]
//   fuse      FuseForInference before/after              [--models ResNet50,VGG16_BN] [--batches 1,8]
//   conv-config oneDNN on vs off (issue 12)           [--models ResNet50,GoogLeNet] [--batches 1,8]
//   peak      matmul GFLOP/s and model GFLOP/s, same run [--size 2048] [--batch 8]
//   fma-peak  the CPU's float32 peak: fused multiply-adds on registers, 1 and --threads threads
//   summary-static --model ResNet152 [--reps 20] [--only-model]
//   summary-hooks  --model ResNet152 [--reps 5] [--engine hand|generated]
//   generator [--reps 30]
//   call-overhead                                         cost of Module.call over Module.forward
//   noop | noop-torch                                     process floor for /usr/bin/time -v
// Common: --threads 2 --warmup 2 --min-rounds 10 --max-rounds 200 --budget 30 (seconds per table row) --verbose

if (args.Length == 0)
{
    Console.Error.WriteLine("usage: CnnDsl.Benchmarks <forward|fuse|peak|summary-static|summary-hooks|generator|call-overhead|noop|noop-torch> [options]");
    return 2;
}

var suite = args[0];
var o = new Options(args.Skip(1));

void TorchHeader()
{
    Models.InitTorch(Options.Threads);
    Report.Line($"<!-- {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; torch threads {torch.get_num_threads()} (interop {torch.get_num_interop_threads()}); " +
                $"TorchSharp {typeof(torch).Assembly.GetName().Version}; .NET {Environment.Version}; " +
                $"load avg at start {System.IO.File.ReadAllText("/proc/loadavg").Trim()} -->");
}

switch (suite)
{
    case "forward":
        TorchHeader();
        ForwardSuite.Run(o.List("models", Models.ForwardModels), o.Ints("batches", new[] { 1, 8 }), o);
        break;
    case "variants":
        TorchHeader();
        VariantsSuite.Run(o.List("models", Models.ForwardModels), o.Ints("batches", new[] { 8 }), o);
        break;
    case "fuse":
        TorchHeader();
        FuseSuite.Run(o.List("models", new[] { "ResNet50", "VGG16_BN" }), o.Ints("batches", new[] { 1, 8 }), o);
        break;
    case "conv-config":
        TorchHeader();
        ConvConfigSuite.Run(o.List("models", new[] { "ResNet50", "GoogLeNet" }), o.Ints("batches", new[] { 1, 8 }), o);
        break;
    case "onnx":
        TorchHeader();
        OnnxSuite.Run(o.List("models", new[] { "ResNet50", "MobileNetV2", "EfficientNetB0" }), o.Ints("batches", new[] { 1, 8 }), o);
        break;
    case "fma-peak":
        foreach (var count in new[] { 1, Options.Threads }.Distinct())
        {
            Report.Line($"{CnnDsl.Benchmarks.Harness.FmaPeak.InstructionSet ?? "no FMA"}, {count} thread(s): {CnnDsl.Benchmarks.Harness.FmaPeak.Measure(count):F1} GFLOP/s");
        }

        break;
    case "peak":
        TorchHeader();
        PeakSuite.Run(o.Int("size", 2048), o.Int("batch", 8), o);
        break;
    case "summary-static":
        SummarySuite.RunStatic(o.Get("model", "ResNet152"), o.Int("reps", 20), o.Flag("only-model"));
        break;
    case "summary-hooks":
        SummarySuite.RunHooks(o.Get("model", "ResNet152"), o.Int("reps", 5), o.Get("engine", "hand"));
        break;
    case "summary-header":
        Report.Line(SummarySuite.Header());
        break;
    case "generator":
        GeneratorSuite.Run(o.Int("reps", 30));
        break;
    case "call-overhead":
        TorchHeader();
        CallOverhead.Run();
        break;
    case "noop":
        break;
    case "noop-torch":
        Models.InitTorch(Options.Threads);
        using (var t = torch.ones(1)) { _ = t.sum().item<float>(); }
        break;
    default:
        Console.Error.WriteLine($"unknown suite {suite}");
        return 2;
}
Console.Out.Flush();
return 0;
