using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using CnnDsl.Cli.Rendering;
using Xunit;

namespace CnnDsl.Cli.Tests;

/// <summary>Every command README.md and docs/ show is run, in order, as a user at the repository
/// root would type it: it succeeds (or fails as the document says it does), and the output the
/// document shows under it is what it prints. docs/training.md has tests of its own (the training
/// workflow's); the few commands that are not <c>cnn</c>'s are listed here with why no test runs
/// them, and a new one fails until it is run or listed.</summary>
[Collection(GraphvizEnvironment.Name)]
public sealed class DocCommandTests
{
    /// <summary>Commands shown but not run here, each with the reason.</summary>
    private static readonly Dictionary<string, string> NotRun = new(StringComparer.Ordinal)
    {
        ["dotnet test CnnDsl.sln                                                     # every test"] = "the whole suite, which is what CI runs (.ci/run)",
        ["dotnet pack Cli -c Release -o artifacts"] = "packs the tool; installing it changes the machine, not the repository",
        ["dotnet tool install --global --add-source artifacts CnnDsl.Cli"] = "installs the tool on the machine",
        ["dotnet tool install --global --add-source artifacts CnnDsl.Cli     # then: cnn --help"] = "installs the tool on the machine",
        ["dotnet run --project Cli -- data mnist --out artifacts/mnist"] = "the training workflow: tests/CnnDsl.Training.Tests",
        ["dotnet run --project Cli -- train architectures/lenet5.cnn --model LeNet5 --data artifacts/mnist --out artifacts/LeNet5.ckpt"] = "the training workflow: tests/CnnDsl.Training.Tests",
        ["dotnet run --project Cli -- test architectures/lenet5.cnn --model LeNet5 --checkpoint artifacts/LeNet5.ckpt --data artifacts/mnist"] = "the training workflow: tests/CnnDsl.Training.Tests",
        ["dotnet run --project Cli -- predict architectures/resnet.cnn --model ResNet50 --weights resnet50.pth --image cat.jpg --labels imagenet.txt"] = "needs torchvision's weights and an image: PredictCommandTests run predict",
        ["cnn predict architectures/resnet.cnn --model ResNet18 --weights resnet18.pth --image cat.jpg --top 3 --labels imagenet.txt"] = "needs torchvision's weights and an image: PredictCommandTests run predict",
        ["dotnet pack Export -c Release -o artifacts/packages"] = "the package route: CnnDsl.Package.Tests packs the packages and builds and runs a consumer as README says",
        ["dotnet run --project Cli -- export architectures/resnet.cnn --model ResNet50 --weights resnet50.pth --onnx resnet50.onnx"] = "needs torchvision's weights: ExportCommandTests export with weights files they write",
        ["cnn export architectures/resnet.cnn --model ResNet50 --weights resnet50.pth --onnx resnet50.onnx"] = "needs torchvision's weights: ExportCommandTests export with weights files they write",
        ["cnn test architectures/lenet5.cnn --model LeNet5 --weights lenet5-ddp.pth --data artifacts/mnist"] = "needs the weights the torchrun run writes: CnnDsl.Export.Tests' DistributedTrainingTests run the recipe",
        ["cnn data mnist --out artifacts/mnist"] = "the training workflow: tests/CnnDsl.Training.Tests",
        ["dotnet pack Dsl -c Release -o artifacts/packages"] = "the package route: CnnDsl.Package.Tests packs the packages and builds and runs a consumer as README says",
        ["dotnet pack Runtime -c Release -o artifacts/packages"] = "the package route: CnnDsl.Package.Tests packs the packages and builds and runs a consumer as README says",
        ["dotnet pack Generator -c Release -o artifacts/packages"] = "the package route: CnnDsl.Package.Tests packs the packages and builds and runs a consumer as README says",
        ["dotnet new console -n Digits"] = "the package route: CnnDsl.Package.Tests packs the packages and builds and runs a consumer as README says",
        ["dotnet new nugetconfig"] = "the package route: CnnDsl.Package.Tests packs the packages and builds and runs a consumer as README says",
        ["dotnet nuget add source /path/to/CnnDsl/artifacts/packages --name cnndsl-local --configfile nuget.config"] = "the package route: CnnDsl.Package.Tests packs the packages and builds and runs a consumer as README says",
        ["dotnet add package CnnDsl.Generator"] = "the package route: CnnDsl.Package.Tests packs the packages and builds and runs a consumer as README says",
        ["dotnet add package CnnDsl.Runtime"] = "the package route: CnnDsl.Package.Tests packs the packages and builds and runs a consumer as README says",
        ["dotnet add package libtorch-cpu-linux-x64 --version 2.10.0"] = "the package route: CnnDsl.Package.Tests packs the packages and builds and runs a consumer as README says",
        ["dotnet run"] = "the package route: CnnDsl.Package.Tests packs the packages and builds and runs a consumer as README says",
        ["cnn summary resnet.cnn --model ResNet50"] = "reads the tool's shipped copy of a file named from another folder, which needs the built tool: ShippedArchitecturesTests run it",
        ["cnn list"] = "lists the tool's shipped copies, which needs the built tool: ShippedArchitecturesTests run it",
        ["cnn verify lenet5.cnn"] = "reads the tool's shipped copy of a file named from another folder, which needs the built tool: ShippedArchitecturesTests run it",
        ["cnn summary vgg.cnn --model VGG16"] = "reads the tool's shipped copy of a file named from another folder, which needs the built tool: ShippedArchitecturesTests run it",
        ["dotnet run --project Cli -- doctor"] = "its output is the machine's (CPU, errors, timings): DoctorCommandTests run it",
        ["cnn doctor"] = "its output is the machine's (CPU, errors, timings): DoctorCommandTests run it",
    };

    public static TheoryData<string> Documents()
    {
        var data = new TheoryData<string>();
        foreach (var name in DocumentNames()) data.Add(name);
        return data;
    }

    /// <summary>README.md and every page of docs/ but docs/training.md.</summary>
    private static IEnumerable<string> DocumentNames()
    {
        var root = DocCommands.RepositoryRoot();
        yield return "README.md";
        foreach (var file in Directory.GetFiles(Path.Combine(root, "docs"), "*.md").OrderBy(f => f, StringComparer.Ordinal))
        {
            var name = "docs/" + Path.GetFileName(file);
            if (name != "docs/training.md") yield return name;
        }
    }

    [Theory]
    [MemberData(nameof(Documents))]
    public void Every_command_a_document_shows_runs_as_shown(string document)
    {
        var text = File.ReadAllText(Path.Combine(DocCommands.RepositoryRoot(), document));
        var workspace = DocCommands.Workspace();
        try
        {
            foreach (var command in DocCommands.Extract(document, text))
            {
                var arguments = DocCommands.CnnArguments(command.Text);
                if (arguments is null || NotRun.ContainsKey(command.Text))
                {
                    Assert.True(NotRun.ContainsKey(command.Text), $"{document}:{command.Line}: `{command.Text}` is neither a cnn command nor listed in DocCommandTests.NotRun");
                    continue;
                }

                var run = DocCommands.Run(arguments, workspace);
                var output = run.Out + run.Error;
                var where = $"{document}:{command.Line}: `{command.Text}` exited {run.ExitCode}:\n{output}";
                var draws = arguments.Contains(".png", StringComparison.Ordinal) || arguments.Contains(".svg", StringComparison.Ordinal)
                    || arguments.Contains("--format png", StringComparison.Ordinal) || arguments.Contains("--format svg", StringComparison.Ordinal);
                if (arguments.StartsWith("graph", StringComparison.Ordinal) && draws && Graphviz.Find() is null)
                {
                    // Drawing needs Graphviz: without it the command says so and fails.
                    Assert.True(run.ExitCode == ExitCodes.ExternalFailure, where);
                    Assert.Contains("Graphviz's 'dot' is not installed", run.Error);
                    continue;
                }

                var showsError = command.ShownOutput.Any(l => l.Contains("error", StringComparison.Ordinal));
                Assert.True(showsError ? run.ExitCode == ExitCodes.SourceErrors : run.ExitCode == ExitCodes.Success, where);
                DocCommands.AssertShown(command, output);
            }
        }
        finally
        {
            try
            {
                Directory.Delete(workspace, recursive: true);
            }
            catch (IOException)
            {
                // Best effort: a leftover temporary folder is harmless.
            }
        }
    }

    [Fact]
    public void The_commands_not_run_are_all_still_shown()
    {
        var root = DocCommands.RepositoryRoot();
        var shown = DocumentNames()
            .SelectMany(d => DocCommands.Extract(d, File.ReadAllText(Path.Combine(root, d))))
            .Select(c => c.Text)
            .ToHashSet(StringComparer.Ordinal);

        var gone = NotRun.Keys.Where(k => !shown.Contains(k)).ToList();
        Assert.True(gone.Count == 0, "listed in NotRun but no longer shown: " + string.Join(", ", gone));
    }
}
