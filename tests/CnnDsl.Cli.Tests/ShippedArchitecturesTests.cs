using System;
using System.Diagnostics;
using System.IO;
using System.Reflection;
using CnnDsl.Cli.Input;
using Xunit;

namespace CnnDsl.Cli.Tests;

/// <summary>The architectures shipped inside the tool: <c>cnn list</c> without FILE lists them, and
/// every command finds one by name from any folder, while a file of that name where the user is
/// still comes first.</summary>
public class ShippedArchitecturesTests
{
    [Fact]
    public void List_without_a_file_lists_the_shipped_architectures()
    {
        var shipped = CliRunner.Run("list", "--format", "csv");
        var folder = CliRunner.Run("list", ShippedArchitectures.Folder, "--format", "csv");

        Assert.Equal(0, shipped.ExitCode);
        Assert.Equal("", shipped.Error);
        Assert.Equal(folder.Out, shipped.Out);
        foreach (var file in Directory.GetFiles(Path.Combine(RepositoryRoot(), "architectures"), "*.cnn"))
        {
            Assert.Contains($"architectures/{Path.GetFileName(file)},", shipped.Out);
        }

        var text = CliRunner.Run("list");
        Assert.Contains("Shipped with cnn, in ", text.Out);
    }

    [Fact]
    public void The_built_tool_finds_shipped_architectures_from_any_folder()
    {
        using var elsewhere = new TempCnnFile("model Mine input 1x8x8 = flatten -> linear(2)\n", "resnet.cnn");
        var folder = Path.GetDirectoryName(elsewhere.Path)!;
        File.Delete(elsewhere.Path);

        var summary = RunTool(folder, "summary", "resnet.cnn", "--model", "ResNet18");
        Assert.True(summary.ExitCode == 0, summary.Error);
        Assert.Contains("Total parameters                  11,689,512", summary.Out); // torchvision's resnet18

        var repositoryPath = RunTool(folder, "summary", "architectures/vgg.cnn", "--model", "VGG16", "--depth", "1");
        Assert.True(repositoryPath.ExitCode == 0, repositoryPath.Error);
        Assert.Contains("Total parameters                  138,357,544", repositoryPath.Out);

        var list = RunTool(folder, "list", "architectures", "--format", "csv");
        Assert.True(list.ExitCode == 0, list.Error);
        Assert.Contains("architectures/densenet.cnn,DenseNet121,", list.Out);

        // A file of the same name where the user is wins over the shipped one.
        File.WriteAllText(elsewhere.Path, elsewhere.Text);
        var local = RunTool(folder, "list", "resnet.cnn", "--format", "csv");
        Assert.True(local.ExitCode == 0, local.Error);
        Assert.Contains("resnet.cnn,Mine,", local.Out);
        Assert.DoesNotContain("ResNet18", local.Out);

        var missing = RunTool(folder, "check", "no-such-architecture.cnn");
        Assert.Equal(ExitCodes.FileError, missing.ExitCode);
    }

    /// <summary>Runs the Cli project's own build output (cnn.dll with its architectures folder
    /// beside it, the layout of the installed tool) in <paramref name="workingDirectory"/>.</summary>
    private static CliRun RunTool(string workingDirectory, params string[] arguments)
    {
        var configuration = typeof(ShippedArchitecturesTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";
        var tool = Path.Combine(RepositoryRoot(), "Cli", "bin", configuration, "net10.0", "cnn.dll");
        Assert.True(File.Exists(tool), $"the built tool is not at {tool}");
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
        var start = new ProcessStartInfo(dotnet)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(tool);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"cnn {string.Join(" ", arguments)} did not finish in 2 minutes");
        }

        process.WaitForExit();
        return new CliRun(process.ExitCode, output.Result, error.Result);
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
