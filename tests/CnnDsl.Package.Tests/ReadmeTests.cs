using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Xunit;

namespace CnnDsl.Package.Tests;

/// <summary>
/// The README's "Use CnnDsl in your project": its commands pack the packages the tests pack and
/// add the packages the sample references, and its example (the .cnn file, Program.cs, the
/// output, the error) is what a new console project with those packages builds, runs and prints.
/// </summary>
[Collection(PackagesCollection.Name)]
public sealed class ReadmeTests
{
    private readonly SamplePackages packages;
    private readonly string section;

    public ReadmeTests(SamplePackages packages)
    {
        this.packages = packages;
        var readme = File.ReadAllText(Path.Combine(packages.RepositoryRoot, "README.md")).Replace("\r\n", "\n", StringComparison.Ordinal);
        var start = readme.IndexOf("\n## Use CnnDsl in your project\n", StringComparison.Ordinal);
        Assert.True(start >= 0, "README.md has no section 'Use CnnDsl in your project'");
        var end = readme.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        section = end < 0 ? readme[start..] : readme[start..end];
    }

    [Fact]
    public void The_commands_pack_every_package_and_add_what_the_sample_references()
    {
        var packed = Regex.Matches(section, @"^dotnet pack (\S+) -c Release -o artifacts/packages$", RegexOptions.Multiline)
            .Select(m => "CnnDsl." + m.Groups[1].Value).OrderBy(id => id, StringComparer.Ordinal);
        Assert.Equal(SamplePackages.PackageIds.OrderBy(id => id, StringComparer.Ordinal), packed);

        var added = AddedPackages();
        var sample = XDocument.Load(Path.Combine(packages.RepositoryRoot, "samples", "CnnDsl.Sample", "CnnDsl.Sample.csproj"))
            .Descendants("PackageReference")
            .ToDictionary(e => (string)e.Attribute("Include")!, e => (string)e.Attribute("Version")!);
        Assert.Equal(added.Keys.OrderBy(k => k, StringComparer.Ordinal), sample.Keys.OrderBy(k => k, StringComparer.Ordinal));
        foreach (var (id, version) in added)
        {
            Assert.Equal(version ?? "$(CnnDslVersion)", sample[id]);
        }
    }

    [Fact]
    public void The_example_builds_runs_and_prints_what_the_readme_shows()
    {
        // `dotnet new console -n Digits`, then the packages as `dotnet add package` writes them,
        // under samples/ so that samples/nuget.config is its package source configuration.
        var created = DotnetProcess.Run(packages.Samples, "new", "console", "-n", "Digits", "-o", "Digits");
        Assert.True(created.ExitCode == 0, created.ToString());
        var project = Path.Combine(packages.Samples, "Digits");
        var csproj = Path.Combine(project, "Digits.csproj");
        var document = XDocument.Load(csproj);
        var references = new XElement("ItemGroup", AddedPackages().Select(p =>
            new XElement("PackageReference", new XAttribute("Include", p.Key), new XAttribute("Version", p.Value ?? packages.Version))));
        document.Root!.Add(references);
        document.Save(csproj);

        var blocks = Regex.Matches(section, "```(\\w*)\n(.*?)```", RegexOptions.Singleline).Select(m => (Language: m.Groups[1].Value, Text: m.Groups[2].Value)).ToList();
        var cnn = blocks.Single(b => b.Language == "" && b.Text.StartsWith("# LeNet-5", StringComparison.Ordinal)).Text;
        var program = blocks.Single(b => b.Language == "csharp").Text;
        var run = blocks.Single(b => b.Text.StartsWith("$ dotnet run\n", StringComparison.Ordinal)).Text["$ dotnet run\n".Length..];
        var error = blocks.Single(b => b.Text.StartsWith("lenet.cnn(", StringComparison.Ordinal)).Text.Trim();
        File.WriteAllText(Path.Combine(project, "lenet.cnn"), cnn);
        File.WriteAllText(Path.Combine(project, "Program.cs"), program);

        var build = packages.Build(project);
        Assert.True(build.ExitCode == 0, build.ToString());
        var output = DotnetProcess.Run(project, "bin/Release/net10.0/Digits.dll");
        Assert.True(output.ExitCode == 0, output.ToString());
        Assert.Equal(run, output.Output);
        Assert.Contains("61706 parameters", run, StringComparison.Ordinal); // DESIGN.md's LeNet-5 figure

        // The mistake the README names, in the file it shows.
        var broken = cnn.Replace("linear(84)", "linear(84, bais: false)", StringComparison.Ordinal);
        Assert.NotEqual(cnn, broken);
        File.WriteAllText(Path.Combine(project, "lenet.cnn"), broken);
        var failed = packages.Build(project);
        Assert.True(failed.ExitCode != 0, failed.ToString());
        Assert.Contains(Path.DirectorySeparatorChar + error + " [", failed.Output, StringComparison.Ordinal);
    }

    /// <summary>The README's <c>dotnet add package ID [--version V]</c> lines: id and version (null
    /// when the command takes the newest, which for CnnDsl's packages is the one just packed).</summary>
    private System.Collections.Generic.Dictionary<string, string?> AddedPackages() =>
        Regex.Matches(section, @"^dotnet add package (\S+)(?: --version (\S+))?$", RegexOptions.Multiline)
            .ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Success ? m.Groups[2].Value : null);
}
