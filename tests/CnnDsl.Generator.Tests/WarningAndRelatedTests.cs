using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using CnnDsl.Dsl.Diagnostics;
using Microsoft.CodeAnalysis;
using Xunit;

namespace CnnDsl.Generator.Tests;

/// <summary>Warnings stay warnings in a build (also under TreatWarningsAsErrors), and a diagnostic
/// that involves two places reports the second as an additional location.</summary>
public sealed class WarningAndRelatedTests
{
    [Fact]
    public void A_warning_is_a_build_warning_and_the_model_is_still_generated()
    {
        const string text = "block unused = relu\nmodel Small input 1x8x8 = conv(4, 3) -> relu\n";
        var result = GeneratorHarness.Run(("/p/small.cnn", text));

        var warning = Assert.Single(result.Diagnostics);
        Assert.Equal(("CNN0040", DiagnosticSeverity.Warning), (warning.Id, warning.Severity));
        Assert.Equal(0, warning.Location.GetLineSpan().StartLinePosition.Line);
        Assert.Contains(result.GeneratedTrees, t => t.FilePath.EndsWith("small.Small.g.cs", StringComparison.Ordinal));
    }

    [Fact]
    public void The_other_side_of_a_shape_mismatch_is_an_additional_location()
    {
        const string path = "/p/residual.cnn";
        const string text = "model R input 64x56x56 =\n  relu -> residual(conv(128, 3, stride: 2, pad: 1) -> batchnorm) -> relu\n";
        var diagnostic = Assert.Single(GeneratorHarness.Run((path, text)).Diagnostics);

        Assert.Equal("CNN0038", diagnostic.Id);
        Assert.Equal(1, diagnostic.Location.GetLineSpan().StartLinePosition.Line);
        var related = diagnostic.AdditionalLocations.Select(l => l.GetLineSpan()).ToList();
        Assert.Equal(new[] { (path, 1, 19), (path, 1, 2) }, related.Select(s => (s.Path, s.StartLinePosition.Line, s.StartLinePosition.Character)));
        Assert.Equal("conv(128, 3, stride: 2, pad: 1) -> batchnorm", text.Substring(diagnostic.AdditionalLocations[0].SourceSpan.Start, diagnostic.AdditionalLocations[0].SourceSpan.Length));
        // A build log shows only the message: it names both sides too.
        Assert.Contains("(2,20): the body produces 128x28x28", diagnostic.GetMessage(), StringComparison.Ordinal);
        Assert.Contains("(2,3): the shortcut carries this, 64x56x56", diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_package_props_keeps_every_warning_code_out_of_TreatWarningsAsErrors()
    {
        var props = XDocument.Load(PropsPath);
        var codes = props.Descendants("CnnDslWarningCodes").Single().Value.Split(';', StringSplitOptions.RemoveEmptyEntries);
        var warnings = DiagnosticCodes.All.Where(d => d.Severity == Severity.Warning).Select(d => d.Code)
            .Append(DiagnosticCodes.TooManyWarnings.Code); // CNN0005 is a warning when it counts warnings
        Assert.Equal(warnings.Distinct().OrderBy(c => c, StringComparer.Ordinal), codes.OrderBy(c => c, StringComparer.Ordinal));
        Assert.Contains(props.Descendants("WarningsNotAsErrors"), e => e.Value.Contains("$(CnnDslWarningCodes)", StringComparison.Ordinal));
    }

    /// <summary>A real build of a small project that treats warnings as errors and holds a .cnn
    /// file that gives a warning: with the package's props it succeeds (and shows the warning);
    /// without them the same warning fails it, so the props are what makes the difference.</summary>
    [Fact]
    public void A_build_with_TreatWarningsAsErrors_succeeds_on_cnn_warnings()
    {
        var directory = Path.Combine(Path.GetTempPath(), "cnn-warnings-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            var bin = AppContext.BaseDirectory;
            var analyzers = string.Join(";", new[] { "CnnDsl.Generator.dll", "CnnDsl.Dsl.dll", "Superpower.dll" }.Select(f => Path.Combine(bin, f)));
            File.WriteAllText(Path.Combine(directory, "Consumer.csproj"), $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <Import Project="{PropsPath}" Condition="'$(WithProps)' == 'true'" />
                  <PropertyGroup>
                    <TargetFramework>net{Environment.Version.Major}.0</TargetFramework>
                    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                    <NuGetAudit>false</NuGetAudit>
                    <ImplicitUsings>disable</ImplicitUsings>
                  </PropertyGroup>
                  <ItemGroup>
                    <Analyzer Include="{analyzers}" />
                    <AdditionalFiles Include="empty.cnn" Condition="'$(WithProps)' != 'true'" />
                  </ItemGroup>
                </Project>
                """);
            File.WriteAllText(Path.Combine(directory, "Placeholder.cs"), "namespace Consumer { public static class Placeholder { } }\n");
            File.WriteAllText(Path.Combine(directory, "empty.cnn"), "# a model, to be written\n");

            var (withProps, withOutput) = Build(directory, withProps: true);
            Assert.True(withProps == 0, withOutput);
            Assert.Matches(new Regex(@"empty\.cnn\(1,1\): warning CNN0041"), withOutput);

            var (without, withoutOutput) = Build(directory, withProps: false);
            Assert.True(without != 0, withoutOutput);
            Assert.Matches(new Regex(@"empty\.cnn\(1,1\): error CNN0041"), withoutOutput);
        }
        finally
        {
            try { Directory.Delete(directory, recursive: true); }
            catch (IOException) { /* a leftover temporary folder is harmless */ }
        }
    }

    private static (int ExitCode, string Output) Build(string directory, bool withProps)
    {
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
        var start = new ProcessStartInfo(dotnet)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "build", "-nologo", "-nodeReuse:false", "-p:UseSharedCompilation=false", $"-p:WithProps={(withProps ? "true" : "false")}", "-o", Path.Combine(directory, withProps ? "out1" : "out2") })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["MSBUILDTERMINALLOGGER"] = "off";
        start.Environment["DOTNET_CLI_UI_LANGUAGE"] = "en";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(10)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("dotnet build did not finish in 10 minutes:\n" + output.Result);
        }

        return (process.ExitCode, output.Result + error.Result);
    }

    private static string PropsPath
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                var props = Path.Combine(dir.FullName, "Generator", "build", "CnnDsl.Generator.props");
                if (File.Exists(props)) return props;
            }

            throw new InvalidOperationException("Generator/build/CnnDsl.Generator.props not found above " + AppContext.BaseDirectory);
        }
    }
}
