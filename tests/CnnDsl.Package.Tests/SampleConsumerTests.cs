using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Xunit;

namespace CnnDsl.Package.Tests;

/// <summary>
/// samples/CnnDsl.Sample, a project outside the solution, restored from a folder feed of the
/// packages just packed: it builds (the generator runs from the package's analyzer folder),
/// runs a forward pass of the model of its own .cnn file, reports a .cnn error as a build error
/// at its line and column, and stops with CNNDSL001 when no libtorch backend is referenced.
/// </summary>
[Collection(PackagesCollection.Name)]
public sealed class SampleConsumerTests
{
    private readonly SamplePackages packages;

    public SampleConsumerTests(SamplePackages packages)
    {
        this.packages = packages;
        foreach (var pack in packages.PackResults)
        {
            Assert.True(pack.ExitCode == 0, pack.ToString());
        }
    }

    [Fact]
    public void The_generator_package_carries_its_dependencies_in_the_analyzer_folder_and_the_props()
    {
        var entries = Entries("CnnDsl.Generator");
        Assert.Contains("analyzers/dotnet/cs/CnnDsl.Generator.dll", entries);
        Assert.Contains("analyzers/dotnet/cs/CnnDsl.Dsl.dll", entries);
        Assert.Contains("analyzers/dotnet/cs/Superpower.dll", entries);
        Assert.Contains("build/CnnDsl.Generator.props", entries);
        Assert.DoesNotContain(entries, e => e.StartsWith("lib/", StringComparison.Ordinal));

        using var archive = ZipFile.OpenRead(packages.PackagePath("CnnDsl.Generator"));
        using var reader = new StreamReader(archive.GetEntry("build/CnnDsl.Generator.props")!.Open());
        Assert.Contains("<AdditionalFiles Include=\"**/*.cnn\"", reader.ReadToEnd(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_runtime_package_depends_on_TorchSharp_and_carries_the_native_step_as_buildTransitive()
    {
        var entries = Entries("CnnDsl.Runtime");
        Assert.Contains("lib/net10.0/CnnDsl.Runtime.dll", entries);
        Assert.Contains("buildTransitive/CnnDsl.Runtime.targets", entries);

        var dependencies = Nuspec("CnnDsl.Runtime").Descendants().Where(e => e.Name.LocalName == "dependency")
            .ToDictionary(e => (string)e.Attribute("id")!, e => (string)e.Attribute("version")!);
        Assert.Equal("0.107.0", dependencies["TorchSharp"]);
        Assert.Equal(packages.Version, dependencies["CnnDsl.Dsl"]);
        Assert.DoesNotContain(dependencies.Keys, id => id.StartsWith("libtorch", StringComparison.OrdinalIgnoreCase) || id == "TorchSharp-cpu");
    }

    [Theory]
    [InlineData("CnnDsl.Dsl")]
    [InlineData("CnnDsl.Runtime")]
    [InlineData("CnnDsl.Generator")]
    public void Every_package_has_a_licence_a_readme_tags_and_its_commit(string id)
    {
        var metadata = Nuspec(id).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        string Value(string name) => (string?)metadata.Elements().SingleOrDefault(e => e.Name.LocalName == name) ?? "";

        Assert.Equal(packages.Version, Value("version"));
        var license = metadata.Elements().Single(e => e.Name.LocalName == "license");
        Assert.Equal("expression", (string?)license.Attribute("type"));
        Assert.Equal("MIT", license.Value);
        Assert.Equal("README.md", Value("readme"));
        Assert.Contains("torchsharp", Value("tags").Split(' '));
        Assert.False(string.IsNullOrWhiteSpace(Value("description")));
        Assert.Equal("git", (string?)metadata.Elements().Single(e => e.Name.LocalName == "repository").Attribute("type"));
        Assert.Contains("README.md", Entries(id));
        Assert.Contains("LICENSE", Entries(id));
    }

    [Fact]
    public void The_sample_builds_from_the_packages_and_runs_a_forward_pass()
    {
        var build = packages.SampleBuild;
        Assert.True(build.ExitCode == 0, build.ToString());

        // The CnnDsl packages came from the feed, at the version just packed.
        var assets = File.ReadAllText(Path.Combine(packages.SampleProject, "obj", "project.assets.json"));
        foreach (var id in SamplePackages.PackageIds)
        {
            Assert.Contains($"\"{id}/{packages.Version}\"", assets, StringComparison.Ordinal);
        }

        var run = DotnetProcess.Run(packages.SampleProject, "bin/Release/net10.0/CnnDsl.Sample.dll");
        Assert.True(run.ExitCode == 0, run.ToString());

        // digits.cnn by hand: stem 1*16*9 + bn 2*16 = 176; layer1 two 16->16 3x3 convs (2*2,304)
        // and two bn (2*32) = 4,672; layer2 16->32 and 32->32 3x3 convs (4,608 + 9,216), two bn
        // (2*64), the projection's 1x1 conv 16*32 = 512 and its bn 64 = 14,528; fc 32*10+10 = 330.
        Assert.Contains("DigitResNet: 19706 parameters, input 1x28x28, output 10", run.Output, StringComparison.Ordinal);
        Assert.Contains("forward: 4x1x28x28 -> 4x10, predicted classes ", run.Output, StringComparison.Ordinal);
        Assert.Contains("all logits finite: True", run.Output, StringComparison.Ordinal);
        Assert.Matches(new Regex(@"^  layer2\.downsample\.0\s+Conv2d$", RegexOptions.Multiline), run.Output);
    }

    [Fact]
    public void A_cnn_error_is_a_build_error_at_its_line_and_column()
    {
        var project = packages.CopyOfSample("Broken");
        var file = Path.Combine(project, "digits.cnn");
        var text = File.ReadAllText(file).Replace("adaptive_avgpool(1)", "adaptive_avgpol(1)", StringComparison.Ordinal);
        File.WriteAllText(file, text);
        var lines = text.Split('\n');
        var line = Array.FindIndex(lines, l => l.Contains("adaptive_avgpol(", StringComparison.Ordinal));
        var column = lines[line].IndexOf("adaptive_avgpol(", StringComparison.Ordinal);

        var build = packages.Build(project);

        Assert.True(build.ExitCode != 0, build.ToString());
        Assert.Matches(
            new Regex($@"digits\.cnn\({line + 1},{column + 1}\): error CNN0010: unknown name `adaptive_avgpol`"),
            build.Output);
    }

    [Fact]
    public void Without_a_libtorch_backend_the_build_stops_with_a_clear_error()
    {
        var project = packages.CopyOfSample("NoBackend");
        var csproj = Path.Combine(project, "CnnDsl.Sample.csproj");
        var document = XDocument.Load(csproj);
        document.Descendants("PackageReference").Single(e => (string?)e.Attribute("Include") == "libtorch-cpu-linux-x64").Remove();
        document.Save(csproj);

        var build = packages.Build(project);

        Assert.True(build.ExitCode != 0, build.ToString());
        Assert.Matches(new Regex(@"error CNNDSL001: CnnDsl\.Sample runs TorchSharp models .* no libtorch backend package"), build.Output);
        Assert.Contains("dotnet add package libtorch-cpu-linux-x64 --version 2.10.0", build.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void With_only_the_generator_package_the_build_says_to_add_the_runtime()
    {
        var project = packages.CopyOfSample("GeneratorOnly");
        var csproj = Path.Combine(project, "CnnDsl.Sample.csproj");
        var document = XDocument.Load(csproj);
        document.Descendants("PackageReference").Single(e => (string?)e.Attribute("Include") == "CnnDsl.Runtime").Remove();
        document.Save(csproj);
        // The user's own code does not use the runtime yet, so every error left is the generator's.
        File.WriteAllText(Path.Combine(project, "Program.cs"), "System.Console.WriteLine(\"no model yet\");\n");

        var build = packages.Build(project);

        Assert.True(build.ExitCode != 0, build.ToString());
        Assert.Matches(new Regex(@"digits\.cnn\(\d+,\d+\): error CNN9003: .*dotnet add package CnnDsl\.Runtime"), build.Output);
        Assert.DoesNotContain("error CS0246", build.Output, StringComparison.Ordinal);
    }

    private string[] Entries(string id)
    {
        using var archive = ZipFile.OpenRead(packages.PackagePath(id));
        return archive.Entries.Select(e => e.FullName).ToArray();
    }

    private XDocument Nuspec(string id)
    {
        using var archive = ZipFile.OpenRead(packages.PackagePath(id));
        using var stream = archive.GetEntry(id + ".nuspec")!.Open();
        return XDocument.Load(stream);
    }
}
