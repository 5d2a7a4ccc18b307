using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;

namespace CnnDsl.Package.Tests;

/// <summary>
/// CnnDsl's packages packed once into a folder feed, and the samples folder copied beside it,
/// in a temporary folder laid out like the repository (<c>artifacts/packages</c>,
/// <c>samples/</c>), so the samples' own nuget.config finds the feed as it does in a checkout.
/// The packages get a version of their own (<c>0.1.0-ci…</c>), so a package of the same
/// version restored earlier can never stand in for the one just packed; the sample takes it
/// through its CnnDslVersion property. Restores go to a packages folder inside the temporary
/// folder, with the machine's NuGet cache as a read-only fallback (TorchSharp and libtorch are
/// read from there, nothing is downloaded and nothing is added to it).
/// </summary>
public sealed class SamplePackages : IDisposable
{
    public static readonly string[] PackageIds = { "CnnDsl.Dsl", "CnnDsl.Export", "CnnDsl.Runtime", "CnnDsl.Generator" };

    private readonly Lazy<DotnetResult> sampleBuild;

    public SamplePackages()
    {
        RepositoryRoot = FindRepositoryRoot();
        Configuration = typeof(SamplePackages).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";
        Version = "0.1.0-ci" + Guid.NewGuid().ToString("N")[..12];
        WorkDirectory = Path.Combine(Path.GetTempPath(), "cnndsl-package-" + Guid.NewGuid().ToString("N"));
        Feed = Path.Combine(WorkDirectory, "artifacts", "packages");
        Samples = Path.Combine(WorkDirectory, "samples");
        Directory.CreateDirectory(Feed);
        CopyFolder(Path.Combine(RepositoryRoot, "samples"), Samples);

        PackResults = PackageIds.Select(Pack).ToList();
        sampleBuild = new Lazy<DotnetResult>(() => Build(Path.Combine(Samples, "CnnDsl.Sample")));
    }

    public string RepositoryRoot { get; }

    public string Configuration { get; }

    public string Version { get; }

    public string WorkDirectory { get; }

    public string Feed { get; }

    public string Samples { get; }

    public IReadOnlyList<DotnetResult> PackResults { get; }

    /// <summary>The sample built from the packages (restore included), once.</summary>
    public DotnetResult SampleBuild => sampleBuild.Value;

    public string SampleProject => Path.Combine(Samples, "CnnDsl.Sample");

    public string PackagePath(string id) => Path.Combine(Feed, $"{id}.{Version}.nupkg");

    /// <summary>A copy of the sample beside it (same nuget.config), for a variant to break.</summary>
    public string CopyOfSample(string name)
    {
        var target = Path.Combine(Samples, name);
        CopyFolder(SampleProject, target);
        return target;
    }

    /// <summary><c>dotnet build</c> of a project folder, restoring from the feed.</summary>
    public DotnetResult Build(string projectDirectory) =>
        DotnetProcess.Run(projectDirectory, "build", "-c", "Release", "-nodeReuse:false", "-p:UseSharedCompilation=false",
            $"-p:CnnDslVersion={Version}",
            $"-p:RestorePackagesPath={Path.Combine(WorkDirectory, "packages")}",
            $"-p:RestoreFallbackFolders={GlobalPackagesFolder()}");

    public void Dispose()
    {
        try
        {
            Directory.Delete(WorkDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temporary folder is harmless.
        }
        catch (UnauthorizedAccessException)
        {
            // Likewise.
        }
    }

    private DotnetResult Pack(string id)
    {
        var project = Path.Combine(RepositoryRoot, id["CnnDsl.".Length..], id + ".csproj");
        return DotnetProcess.Run(RepositoryRoot, "pack", project, "-c", Configuration, "--no-build", "-nodeReuse:false",
            "-o", Feed, $"-p:Version={Version}", $"-p:NuspecOutputPath={Path.Combine(WorkDirectory, "nuspec", id)}/");
    }

    private static string GlobalPackagesFolder() =>
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "CnnDsl.sln"))) return directory.FullName;
        }

        throw new InvalidOperationException("CnnDsl.sln not found above " + AppContext.BaseDirectory);
    }

    private static void CopyFolder(string source, string target)
    {
        Directory.CreateDirectory(target);
        foreach (var file in Directory.GetFiles(source))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        }

        foreach (var directory in Directory.GetDirectories(source))
        {
            var name = Path.GetFileName(directory);
            if (name is "bin" or "obj") continue;
            CopyFolder(directory, Path.Combine(target, name));
        }
    }
}
