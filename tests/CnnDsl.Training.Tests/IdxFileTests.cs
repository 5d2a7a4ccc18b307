using System;
using System.Buffers.Binary;
using System.IO;
using System.IO.Compression;
using System.Linq;
using CnnDsl.Runtime.Data;
using Xunit;

namespace CnnDsl.Training.Tests;

/// <summary>The IDX reader checks every header field against the file and names the file and
/// the problem: never a crash, never a half-read data set.</summary>
public sealed class IdxFileTests : IDisposable
{
    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    private static byte[] Idx(byte type, int[] dimensions, int dataLength, byte fill = 0)
    {
        var bytes = new byte[4 + 4 * dimensions.Length + dataLength];
        bytes[2] = type;
        bytes[3] = (byte)dimensions.Length;
        for (var d = 0; d < dimensions.Length; d++) BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + 4 * d), dimensions[d]);
        bytes.AsSpan(4 + 4 * dimensions.Length).Fill(fill);
        return bytes;
    }

    private string Write(string name, byte[] bytes)
    {
        var path = folder.File(name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private string Images(int count, int rows = 28, int columns = 28, int? dataLength = null) =>
        Write(MnistFolder.TrainImages, Idx(0x08, new[] { count, rows, columns }, dataLength ?? count * rows * columns));

    private string Labels(int count, byte fill = 3, int? dataLength = null) =>
        Write(MnistFolder.TrainLabels, Idx(0x08, new[] { count }, dataLength ?? count, fill));

    private static IdxFormatException Fails(Action action, string path, params string[] parts)
    {
        var e = Assert.Throws<IdxFormatException>(action);
        Assert.Equal(path, e.FilePath);
        Assert.StartsWith(path + ": ", e.Message, StringComparison.Ordinal);
        foreach (var part in parts) Assert.Contains(part, e.Message, StringComparison.Ordinal);
        return e;
    }

    [Fact]
    public void A_valid_pair_loads()
    {
        Images(5, 28, 28);
        Labels(5);
        var set = MnistFolder.Load(folder.Path, MnistSplit.Train);
        Assert.Equal((5, 28, 28), (set.Count, set.Rows, set.Columns));
        Assert.All(set.Labels, l => Assert.Equal(3, l));
    }

    [Fact]
    public void A_missing_file_is_named()
    {
        Images(5);
        Fails(() => MnistFolder.Load(folder.Path, MnistSplit.Train), folder.File(MnistFolder.TrainLabels), "file not found");
    }

    [Fact]
    public void A_missing_folder_says_how_to_make_one()
    {
        var missing = folder.File("nowhere");
        Fails(() => MnistFolder.Load(missing, MnistSplit.Test), missing, "data folder not found", "cnn data mnist --out " + missing);
    }

    [Fact]
    public void A_bad_magic_number_is_named()
    {
        var bytes = Idx(0x08, new[] { 5, 28, 28 }, 5 * 784);
        bytes[0] = 0x12;
        var path = Write(MnistFolder.TrainImages, bytes);
        Fails(() => IdxFile.ReadImages(path), path, "bad magic number 0x12000803", "not an IDX file");
    }

    [Fact]
    public void A_gzip_file_with_the_plain_name_gets_a_hint()
    {
        using var memory = new MemoryStream();
        using (var gzip = new GZipStream(memory, CompressionLevel.Fastest, leaveOpen: true)) gzip.Write(Idx(0x08, new[] { 5 }, 5));
        var path = Write(MnistFolder.TrainLabels, memory.ToArray());
        Fails(() => IdxFile.ReadLabels(path), path, "bad magic number", "gzip");
    }

    [Fact]
    public void An_element_type_other_than_bytes_is_a_bad_magic_number()
    {
        var path = Write(MnistFolder.TrainImages, Idx(0x0D, new[] { 5, 28, 28 }, 5 * 784 * 4));
        Fails(() => IdxFile.ReadImages(path), path, "bad magic number 0x00000D03", "float");
    }

    [Fact]
    public void Wrong_dimensions_are_named_labels_read_as_images()
    {
        var path = Write(MnistFolder.TrainImages, Idx(0x08, new[] { 5 }, 5));
        Fails(() => IdxFile.ReadImages(path), path, "wrong dimensions", "declares 1 dimension", "has 3", "label file");
    }

    [Fact]
    public void Wrong_dimensions_are_named_a_zero_size()
    {
        var path = Images(5, 0, 28, dataLength: 0);
        Fails(() => IdxFile.ReadImages(path), path, "wrong dimensions", "dimension 2 of 3 (rows) is 0");
    }

    [Fact]
    public void A_truncated_header_is_named()
    {
        var path = Write(MnistFolder.TrainImages, Idx(0x08, new[] { 5, 28, 28 }, 0).Take(10).ToArray());
        Fails(() => IdxFile.ReadImages(path), path, "truncated header", "16-byte header", "10 bytes long");
    }

    [Fact]
    public void A_file_shorter_than_four_bytes_is_named()
    {
        var path = Write(MnistFolder.TrainLabels, new byte[] { 0, 0 });
        Fails(() => IdxFile.ReadLabels(path), path, "2 bytes long", "truncated");
    }

    [Fact]
    public void A_truncated_file_is_named_with_the_bytes_missing()
    {
        var path = Images(5, 28, 28, dataLength: 5 * 784 - 100);
        Fails(() => IdxFile.ReadImages(path), path, "truncated file", "5 images of 28x28 = 3,920 bytes", "only 3,820 follow", "100 missing");
    }

    [Fact]
    public void Bytes_beyond_what_the_header_declares_are_named()
    {
        var path = Labels(5, dataLength: 9);
        Fails(() => IdxFile.ReadLabels(path), path, "wrong size", "4 too many");
    }

    [Fact]
    public void Labels_and_images_disagreeing_in_count_are_named()
    {
        var images = Images(5);
        var labels = Labels(4);
        Fails(() => MnistFolder.Load(folder.Path, MnistSplit.Train), labels, "holds 4 labels but " + images + " holds 5 images");
    }

    [Fact]
    public void A_label_outside_0_to_9_is_named_with_its_index()
    {
        Images(5);
        var bytes = Idx(0x08, new[] { 5 }, 5, fill: 1);
        bytes[8 + 3] = 12;
        var labels = Write(MnistFolder.TrainLabels, bytes);
        Fails(() => MnistFolder.Load(folder.Path, MnistSplit.Train), labels, "label 12 at index 3 is outside 0-9");
    }

    [Fact]
    public void Full_size_mnist_files_load_60000_and_10000()
    {
        // The sizes TorchSharp's native loader insists on; the C# reader takes them like any other.
        var pixels = new byte[60_000 * 784];
        for (var i = 0; i < pixels.Length; i += 97) pixels[i] = (byte)i;
        var labels = Enumerable.Range(0, 60_000).Select(i => (byte)(i % 10)).ToArray();
        IdxFile.WriteImages(folder.File(MnistFolder.TrainImages), 60_000, 28, 28, pixels);
        IdxFile.WriteLabels(folder.File(MnistFolder.TrainLabels), labels);
        IdxFile.WriteImages(folder.File(MnistFolder.TestImages + ".gz"), 10_000, 28, 28, pixels.AsSpan(0, 10_000 * 784));
        IdxFile.WriteLabels(folder.File(MnistFolder.TestLabels + ".gz"), labels.AsSpan(0, 10_000));

        var train = MnistFolder.Load(folder.Path, MnistSplit.Train);
        var test = MnistFolder.Load(folder.Path, MnistSplit.Test);

        Assert.Equal(60_000, train.Count);
        Assert.Equal(10_000, test.Count);
        Assert.Equal(pixels, train.Pixels);
        Assert.Equal(labels.Take(10_000), test.Labels);
        Assert.Equal(Enumerable.Repeat(6_000, 10), train.ClassCounts());
    }

    [Fact]
    public void The_dotted_spelling_of_some_mirrors_is_found()
    {
        IdxFile.WriteImages(folder.File("t10k-images.idx3-ubyte"), 2, 3, 4, new byte[24]);
        IdxFile.WriteLabels(folder.File("t10k-labels.idx1-ubyte"), new byte[] { 7, 9 });
        var test = MnistFolder.Load(folder.Path, MnistSplit.Test);
        Assert.Equal(new byte[] { 7, 9 }, test.Labels);
        Assert.Equal((3, 4), (test.Rows, test.Columns));
    }

    [Fact]
    public void Written_files_read_back_byte_for_byte()
    {
        var pixels = Enumerable.Range(0, 3 * 5 * 7).Select(i => (byte)(i * 11)).ToArray();
        IdxFile.WriteImages(folder.File("x"), 3, 5, 7, pixels);
        var read = IdxFile.ReadImages(folder.File("x"));
        Assert.Equal(new[] { 3, 5, 7 }, read.Dimensions);
        Assert.Equal(pixels, read.Data);
        var bytes = File.ReadAllBytes(folder.File("x"));
        Assert.Equal(new byte[] { 0, 0, 8, 3, 0, 0, 0, 3, 0, 0, 0, 5, 0, 0, 0, 7 }, bytes.Take(16));
    }
}
