using System;
using System.CommandLine;
using System.Globalization;
using System.Linq;
using CnnDsl.Runtime.Data;

namespace CnnDsl.Cli.Training;

/// <summary>What <c>cnn train</c> reads about image folders from its command line.</summary>
public sealed record ImageRequest(
    int? Resize, int? Pad, double[]? Mean, double[]? Std, bool RandomResizedCrop, double? CropScale,
    bool HorizontalFlip, bool VerticalFlip, double? Rotation, double[]? Jitter, int? Workers, int? CacheMegabytes)
{
    /// <summary>Whether any option that only image folders take was given.</summary>
    public bool AnyFolderOption => Resize is not null || Pad is not null || Mean is not null || Std is not null || RandomResizedCrop || CropScale is not null
        || HorizontalFlip || VerticalFlip || Rotation is not null || Jitter is not null || CacheMegabytes is not null;

    public ImagePreprocessing Preprocessing => new(Resize, Pad ?? 0);

    public Augmentation Augmentation => new()
    {
        RandomResizedCrop = RandomResizedCrop,
        CropScaleMin = CropScale ?? 0.08,
        HorizontalFlip = HorizontalFlip ? 0.5 : 0,
        VerticalFlip = VerticalFlip ? 0.5 : 0,
        Rotation = Rotation ?? 0,
        Brightness = Jitter is { Length: > 0 } ? Jitter[0] : 0,
        Contrast = Jitter is { Length: > 1 } ? Jitter[1] : Jitter is { Length: 1 } ? Jitter[0] : 0,
        Saturation = Jitter is { Length: > 2 } ? Jitter[2] : Jitter is { Length: 1 } ? Jitter[0] : 0,
        Hue = Jitter is { Length: > 3 } ? Jitter[3] : 0,
    };

    /// <summary>The normalisation asked for, or null (computed from the training images).</summary>
    public Normalization? Normalization => Mean is null && Std is null ? null : new Normalization(Mean ?? new[] { 0.0 }, Std ?? new[] { 1.0 });
}

/// <summary>The options of <see cref="ImageRequest"/>, created once per command.</summary>
public sealed class ImageOptions
{
    public Option<int?> Resize { get; } = TrainingCli.Whole("--resize", "Image folders: resize each image so its shorter side is S pixels (bilinear), before cropping to the model's input.", "S", 1);
    public Option<int?> Pad { get; } = TrainingCli.Whole("--pad", "Image folders: add P pixels of black on every side (torchvision's Pad), before cropping.", "P", 0);
    public Option<double[]?> Mean { get; } = List("--mean", "Normalise with this mean per channel (one value, or one per channel), values in [0, 1]. Default: MNIST's 0.1307 for IDX digits; computed from the training images for image folders.", "M[,M,M]");
    public Option<double[]?> Std { get; } = List("--std", "Normalise with this standard deviation per channel. Default: MNIST's 0.3081 for IDX digits; computed for image folders.", "S[,S,S]");
    public Option<bool> RandomResizedCrop { get; } = new("--random-resized-crop") { Description = "Augmentation (image folders): crop a random part of each training image (--crop-scale to 1 of its area, aspect 3/4 to 4/3) and resize it to the input. Otherwise the centre is cropped." };
    public Option<double?> CropScale { get; } = TrainingCli.Decimal("--crop-scale", "The smallest part of the area --random-resized-crop takes. Default: 0.08.", "F", 0, 1.0000001, minInclusive: false);
    public Option<bool> HorizontalFlip { get; } = new("--hflip") { Description = "Augmentation (image folders): mirror each training image left-right with probability 0.5." };
    public Option<bool> VerticalFlip { get; } = new("--vflip") { Description = "Augmentation (image folders): flip each training image upside down with probability 0.5." };
    public Option<double?> Rotation { get; } = TrainingCli.Decimal("--rotation", "Augmentation (image folders): rotate each training image by a random angle in [-D, D] degrees.", "D", 0, 180.0000001);
    public Option<double[]?> Jitter { get; } = List("--jitter", "Augmentation (image folders): colour jitter: brightness, contrast, saturation, hue (torchvision's ColorJitter); one value sets the first three.", "B[,C,S,H]");
    public Option<int?> Workers { get; } = TrainingCli.Whole("--workers", "Threads that decode and transform images while the model trains. Default: the cores libtorch does not use (at least 1).", "N", 1);
    public Option<int?> CacheMegabytes { get; } = TrainingCli.Whole("--cache-mb", "Image folders: keep at most this many megabytes of decoded images in memory; others are decoded again each epoch. Default: 2048.", "MB", 0);

    public Option[] All => new Option[] { Resize, Pad, Mean, Std, RandomResizedCrop, CropScale, HorizontalFlip, VerticalFlip, Rotation, Jitter, Workers, CacheMegabytes };

    public ImageRequest Read(ParseResult parse) => new(
        parse.GetValue(Resize), parse.GetValue(Pad), Given(parse.GetValue(Mean)), Given(parse.GetValue(Std)), parse.GetValue(RandomResizedCrop), parse.GetValue(CropScale),
        parse.GetValue(HorizontalFlip), parse.GetValue(VerticalFlip), parse.GetValue(Rotation), Given(parse.GetValue(Jitter)), parse.GetValue(Workers), parse.GetValue(CacheMegabytes));

    /// <summary>System.CommandLine gives an array option that is absent as an empty array.</summary>
    private static double[]? Given(double[]? values) => values is { Length: > 0 } ? values : null;

    /// <summary>A comma-separated list of 1 to 4 numbers.</summary>
    private static Option<double[]?> List(string name, string description, string helpName) => new(name)
    {
        Description = description,
        HelpName = helpName,
        CustomParser = result =>
        {
            var token = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
            var parts = token.Split(',');
            var values = new double[parts.Length];
            var ok = parts.Length is >= 1 and <= 4;
            for (var i = 0; ok && i < parts.Length; i++)
            {
                ok = double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]) && double.IsFinite(values[i]) && values[i] >= 0 && values[i] <= 1000;
            }

            if (ok) return values;
            result.AddError($"{name} takes one to four numbers from 0 to 1000 separated by commas (e.g. 0.485,0.456,0.406), not '{token}'.");
            return null;
        },
    };
}

/// <summary>Loads the images of a folder for a model, printing each file it skips.</summary>
public static class ImageDataLoader
{
    /// <summary>The megabytes of decoded images kept in memory by default.</summary>
    public const int DefaultCacheMegabytes = 2048;

    /// <summary>The default number of image threads: the cores libtorch leaves free.</summary>
    public static int DefaultWorkers(int torchThreads) => Math.Max(1, Environment.ProcessorCount - Math.Max(1, torchThreads));

    /// <summary>Scans and decodes one image folder.</summary>
    /// <exception cref="ImageDataException">See <see cref="ImageFolder.Scan"/> and <see cref="ImageDataset.Load"/>.</exception>
    public static ImageDataset Load(CliContext context, string folder, long[] input, ImagePreprocessing preprocessing, int workers, int cacheMegabytes, System.Collections.Generic.IReadOnlyList<string>? classNames, string name)
    {
        var scanned = ImageFolder.Scan(folder, classNames);
        var data = ImageDataset.Load(scanned, (int)input[0], preprocessing, (int)input[1], (int)input[2], (long)cacheMegabytes * 1024 * 1024, workers,
            warning => TrainingCli.Warn(context, warning), name);
        if (data.Skipped.Count > 0)
        {
            TrainingCli.Warn(context, $"{folder}: {TrainingCli.Count(data.Skipped.Count)} of {TrainingCli.Count(scanned.Samples.Count)} image files could not be read and were left out.");
        }

        return data;
    }

    /// <summary>"1x28x28 as they are", "centre-cropped to 3x32x32", for the Data line.</summary>
    public static string DescribeFit(ImageDataset data, long[] input, ImagePreprocessing preprocessing)
    {
        var steps = new System.Collections.Generic.List<string>();
        if (preprocessing.Resize is { } r) steps.Add($"shorter side resized to {r}");
        if (preprocessing.Pad > 0) steps.Add($"padded by {preprocessing.Pad}");
        var (h, w) = data.Smallest;
        if (h != input[1] || w != input[2] || steps.Count > 0) steps.Add($"centre-cropped to {input[1]}x{input[2]}");
        var channels = input[0] == 1 ? "grey" : "RGB";
        return steps.Count == 0 ? $"{w}x{h} as they are ({channels}, {string.Join("x", input)})" : $"{string.Join(", ", steps)} ({channels}, {string.Join("x", input)})";
    }

    /// <summary>Checks a model's input can be read from images.</summary>
    public static string? InputProblem(string model, long[] input) =>
        input[0] is 1 or 3 ? null : $"{model} takes {input[0]} channels; images give 1 (grey) or 3 (RGB)";
}
