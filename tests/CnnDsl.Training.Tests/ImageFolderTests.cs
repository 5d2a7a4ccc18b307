using System;
using System.IO;
using System.Linq;
using CnnDsl.Runtime.Data;
using TorchSharp;
using Xunit;

namespace CnnDsl.Training.Tests;

/// <summary>Image folders: the layout, the decoded images, the transforms, and the batches they
/// make, checked against the IDX digits and against hand-computed pixels.</summary>
public sealed class ImageFolderTests : IClassFixture<TorchFixture>
{
    private static long[] Order(int count) => Enumerable.Range(0, count).Select(i => (long)i).ToArray();

    private static byte[] Bytes(torch.Tensor t) => t.contiguous().bytes.ToArray();

    [Theory]
    [InlineData(28, 0)]   // LeNet5: 1x28x28 as they are
    [InlineData(32, 2)]   // LeNet5_1998: 1x32x32, padded by 2 as the IDX path pads
    public void The_png_folder_of_the_digits_gives_the_same_tensors_as_the_idx_files(int side, int pad)
    {
        var digits = TestData.Train.Take(300);
        using var folder = new TempFolder();
        ImageFolderWriter.Write(folder.File("train"), digits);

        var set = ImageDataset.Load(ImageFolder.Scan(folder.File("train")), 1, new ImagePreprocessing(Pad: pad), side, side, 1 << 30, 2);
        using var scope = torch.NewDisposeScope();
        var batches = new ImageBatches(set, side, side, null, Normalization.Mnist, workers: 2)
            .Batches(Order(set.Count), 64, 0).ToList();
        var fromFolder = torch.cat(batches.Select(b => b.Images).ToList(), 0);
        var folderLabels = torch.cat(batches.Select(b => b.Labels).ToList(), 0);
        var (fromIdx, idxLabels) = DigitTensors.Create(digits, new long[] { 1, side, side });

        Assert.Equal(new[] { "0", "1", "2", "3", "4", "5", "6", "7", "8", "9" }, set.ClassNames);
        Assert.Equal(fromIdx.shape, fromFolder.shape);
        Assert.Equal(Bytes(idxLabels), Bytes(folderLabels));
        Assert.Equal(Bytes(fromIdx), Bytes(fromFolder));   // bit for bit, every pixel of every digit
    }

    [Fact]
    public void The_folder_layout_has_one_sub_folder_per_class_ordered_by_name()
    {
        using var folder = new TempFolder();
        WritePng(folder.File("dog/b.png"), 4, 4, 3, 10);
        WritePng(folder.File("cat/a.png"), 4, 4, 3, 20);
        WritePng(folder.File("cat/deeper/c.PNG"), 4, 4, 3, 30);
        File.WriteAllText(folder.File("cat/notes.txt"), "not an image");

        var scanned = ImageFolder.Scan(folder.Path);

        Assert.Equal(new[] { "cat", "dog" }, scanned.ClassNames);
        Assert.Equal(new[] { ("a.png", 0), ("b.png", 1), ("c.PNG", 0) }, scanned.Samples.Select(s => (Path.GetFileName(s.Path), s.Label)));
    }

    [Fact]
    public void An_empty_class_folder_is_an_error_that_names_it()
    {
        using var folder = new TempFolder();
        WritePng(folder.File("cat/a.png"), 4, 4, 3, 20);
        Directory.CreateDirectory(folder.File("dog"));
        File.WriteAllText(folder.File("dog/readme.txt"), "no images here");

        var e = Assert.Throws<ImageDataException>(() => ImageFolder.Scan(folder.Path));

        Assert.Equal(folder.File("dog"), e.FilePath);
        Assert.Equal($"{folder.File("dog")}: class folder with no images (.png, .jpg, .jpeg, .bmp, .gif, .webp); add images of class `dog` or remove the folder", e.Message);
    }

    [Fact]
    public void A_single_class_is_an_error()
    {
        using var folder = new TempFolder();
        WritePng(folder.File("cat/a.png"), 4, 4, 3, 20);

        var e = Assert.Throws<ImageDataException>(() => ImageFolder.Scan(folder.Path));

        Assert.Equal($"{folder.Path}: has one class folder (cat); a classifier needs images of at least two classes, each in its own sub-folder", e.Message);
    }

    [Fact]
    public void Images_without_class_folders_are_an_error_that_says_how_to_arrange_them()
    {
        using var folder = new TempFolder();
        WritePng(folder.File("a.png"), 4, 4, 3, 20);

        var e = Assert.Throws<ImageDataException>(() => ImageFolder.Scan(folder.Path));

        Assert.Contains("holds 1 image but no class folders; put the images of each class in a sub-folder", e.Message);
    }

    [Fact]
    public void Corrupt_files_are_skipped_with_a_warning_each_and_counted()
    {
        using var folder = new TempFolder();
        for (var i = 0; i < 3; i++)
        {
            WritePng(folder.File($"cat/{i}.png"), 8, 8, 3, 40);
            WritePng(folder.File($"dog/{i}.png"), 8, 8, 3, 200);
        }

        File.WriteAllBytes(folder.File("cat/broken.png"), new byte[] { 1, 2, 3, 4 });
        var good = File.ReadAllBytes(folder.File("dog/0.png"));
        File.WriteAllBytes(folder.File("dog/cut.png"), good.Take(good.Length / 2).ToArray());
        var warnings = new System.Collections.Generic.List<string>();

        var set = ImageDataset.Load(ImageFolder.Scan(folder.Path), 3, new ImagePreprocessing(), 8, 8, 1 << 20, 1, warnings.Add);

        Assert.Equal(6, set.Count);
        Assert.Equal(new[] { "broken.png", "cut.png" }, set.Skipped.Select(s => Path.GetFileName(s.Path)).OrderBy(n => n, StringComparer.Ordinal));
        Assert.Equal(2, warnings.Count);
        Assert.All(warnings, w => Assert.Contains(": skipped: ", w));
        Assert.Contains(warnings, w => w.StartsWith(folder.File("cat/broken.png") + ": skipped: ", StringComparison.Ordinal));
    }

    [Fact]
    public void A_class_whose_every_file_is_corrupt_is_an_error()
    {
        using var folder = new TempFolder();
        WritePng(folder.File("cat/a.png"), 8, 8, 3, 40);
        Directory.CreateDirectory(folder.File("dog"));
        File.WriteAllBytes(folder.File("dog/a.png"), new byte[] { 1, 2, 3 });

        var e = Assert.Throws<ImageDataException>(() => ImageDataset.Load(ImageFolder.Scan(folder.Path), 3, new ImagePreprocessing(), 8, 8, 1 << 20, 1));

        Assert.Equal($"{folder.File("dog")}: class folder with no readable image: every file in it was skipped (see the warnings)", e.Message);
    }

    [Fact]
    public void Images_smaller_than_the_input_are_an_error_with_the_way_out()
    {
        using var folder = new TempFolder();
        WritePng(folder.File("cat/a.png"), 20, 20, 1, 40);
        WritePng(folder.File("dog/b.png"), 30, 30, 1, 90);
        WritePng(folder.File("dog/c.png"), 24, 20, 1, 90);

        var e = Assert.Throws<ImageDataException>(() => ImageDataset.Load(ImageFolder.Scan(folder.Path), 1, new ImagePreprocessing(), 28, 28, 1 << 20, 1));

        Assert.Equal(folder.File("cat/a.png"), e.FilePath);
        Assert.Equal($"{folder.File("cat/a.png")}: 20x20 is smaller than the model's input 28x28 (2 of 3 images are): images are centre-cropped to the input, never enlarged silently. "
            + "Scale them with --resize 28 (the shorter side, in pixels), or pad them with --pad 4.", e.Message);

        // Either way out works.
        Assert.Equal(3, ImageDataset.Load(ImageFolder.Scan(folder.Path), 1, new ImagePreprocessing(Pad: 4), 28, 28, 1 << 20, 1).Count);
        var resized = ImageDataset.Load(ImageFolder.Scan(folder.Path), 1, new ImagePreprocessing(Resize: 28), 28, 28, 1 << 20, 1);
        Assert.Equal((28, 28), resized.Smallest);
    }

    [Fact]
    public void The_centre_crop_takes_the_middle_rounding_as_python_does()
    {
        // 5x5 to 2x2: torchvision's offset is int(round(1.5)) = 2 (half to even).
        var image = new StoredImage(1, 5, 5, Enumerable.Range(0, 25).Select(i => (byte)i).ToArray());
        var crop = SampleTransform.CenterCrop(image, 2, 2);
        Assert.Equal(new byte[] { 12, 13, 17, 18 }, crop.Pixels);
        // 6x6 to 3x3: int(round(1.5)) = 2 as well.
        var six = new StoredImage(1, 6, 6, Enumerable.Range(0, 36).Select(i => (byte)i).ToArray());
        Assert.Equal(new byte[] { 14, 15, 16, 20, 21, 22, 26, 27, 28 }, SampleTransform.CenterCrop(six, 3, 3).Pixels);
    }

    [Fact]
    public void Flips_and_rotation_move_pixels_where_torchvision_puts_them()
    {
        var image = new StoredImage(1, 3, 3, new byte[] { 1, 2, 3, 4, 5, 6, 7, 8, 9 });
        Assert.Equal(new byte[] { 3, 2, 1, 6, 5, 4, 9, 8, 7 }, SampleTransform.Flip(image, horizontal: true).Pixels);
        Assert.Equal(new byte[] { 7, 8, 9, 4, 5, 6, 1, 2, 3 }, SampleTransform.Flip(image, horizontal: false).Pixels);
        // 90 degrees counter-clockwise: the right column becomes the top row.
        Assert.Equal(new byte[] { 3, 6, 9, 2, 5, 8, 1, 4, 7 }, SampleTransform.Rotate(image, 90).Pixels);
        var rgb = new StoredImage(3, 1, 2, new byte[] { 1, 2, 3, 4, 5, 6 });
        Assert.Equal(new byte[] { 4, 5, 6, 1, 2, 3 }, SampleTransform.Flip(rgb, horizontal: true).Pixels);
    }

    [Fact]
    public void A_random_resized_crop_stays_inside_the_image_within_its_scale_and_ratio()
    {
        var random = new SplitMix64(7);
        for (var i = 0; i < 2_000; i++)
        {
            var (top, left, h, w) = SampleTransform.RandomResizedCropBox(40, 60, 0.08, random);
            Assert.InRange(top, 0, 40 - h);
            Assert.InRange(left, 0, 60 - w);
            Assert.InRange((double)h * w / (40 * 60), 0.06, 1.0);
            Assert.InRange((double)w / h, 0.5, 2.0);   // 3/4..4/3 before rounding; the fallback clamps to it
        }
    }

    [Fact]
    public void Colour_jitter_scales_brightness_and_leaves_grey_hue_alone()
    {
        var flat = new StoredImage(3, 4, 4, Enumerable.Repeat((byte)100, 48).ToArray());
        ColorJitter.Apply(flat, new Augmentation { Brightness = 0.5, Hue = 0.5, Saturation = 0.9 }, new SplitMix64(3));
        // A grey image stays grey (saturation and hue change nothing), and brightness scales it by a factor in [0.5, 1.5].
        Assert.All(flat.Pixels, p => Assert.Equal(flat.Pixels[0], p));
        Assert.InRange(flat.Pixels[0], 50, 150);
        Assert.NotEqual(100, flat.Pixels[0]);
    }

    [Fact]
    public void Augmented_batches_depend_on_the_seed_only_not_on_the_threads()
    {
        using var folder = new TempFolder();
        ShapeImages.Write(folder.Path, 32, 5, ("train", 6));
        var set = ImageDataset.Load(ImageFolder.Scan(folder.File("train")), 3, new ImagePreprocessing(), 32, 32, 1 << 24, 2);
        var augmentation = new Augmentation { RandomResizedCrop = true, HorizontalFlip = 0.5, Rotation = 15, Brightness = 0.3, Contrast = 0.3, Saturation = 0.3, Hue = 0.1 };
        byte[] Pass(int workers, ulong seed)
        {
            using var scope = torch.NewDisposeScope();
            var batches = new ImageBatches(set, 32, 32, augmentation, Normalization.None, workers).Batches(Order(set.Count), 5, seed).ToList();
            return Bytes(torch.cat(batches.Select(b => b.Images).ToList(), 0));
        }

        var one = Pass(1, 11);
        Assert.Equal(one, Pass(2, 11));
        Assert.Equal(one, Pass(1, 11));
        Assert.NotEqual(one, Pass(1, 12));
        using var scope2 = torch.NewDisposeScope();
        var plain = new ImageBatches(set, 32, 32, null, Normalization.None, 1).Batches(Order(set.Count), 18, 0).Single();
        Assert.NotEqual(Bytes(plain.Images), one);
    }

    [Fact]
    public void Normalisation_per_channel_and_the_shift_fill_per_channel()
    {
        using var scope = torch.NewDisposeScope();
        var bytes = torch.tensor(new byte[] { 0, 255, 51, 102 }, new long[] { 1, 2, 1, 2 });
        var normalization = new Normalization(new[] { 0.5, 0.2 }, new[] { 0.25, 0.4 });
        var x = normalization.FromBytes(bytes).data<float>().ToArray();
        Assert.Equal(new[] { -2f, 2f, 0f, 0.5f }, x.Select(v => (float)Math.Round(v, 5)));
        Assert.Equal(new[] { -2.0, -0.5 }, normalization.ZeroLevel(2));

        // A shift of 1 fills the border with each channel's zero level.
        var batch = torch.ones(1, 2, 3, 3);
        using var generator = new torch.Generator(3);
        var shifted = CnnDsl.Runtime.Training.Trainer.Shift(batch, 1, generator, normalization.ZeroLevel(2));
        var values = shifted.data<float>().ToArray();
        Assert.All(values.Take(9), v => Assert.True(v == 1f || v == -2f));
        Assert.All(values.Skip(9), v => Assert.True(v == 1f || v == -0.5f));
    }

    /// <summary>A PNG of one grey level (or RGB with that level in every channel).</summary>
    internal static void WritePng(string path, int width, int height, int channels, byte level)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        if (channels == 1)
        {
            using var grey = SixLabors.ImageSharp.Image.LoadPixelData<SixLabors.ImageSharp.PixelFormats.L8>(Enumerable.Repeat(level, width * height).ToArray(), width, height);
            SixLabors.ImageSharp.ImageExtensions.SaveAsPng(grey, path);
            return;
        }

        using var rgb = SixLabors.ImageSharp.Image.LoadPixelData<SixLabors.ImageSharp.PixelFormats.Rgb24>(Enumerable.Repeat(level, width * height * 3).ToArray(), width, height);
        SixLabors.ImageSharp.ImageExtensions.SaveAsPng(rgb, path);
    }
}
