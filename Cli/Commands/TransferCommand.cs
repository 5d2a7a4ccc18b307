using System.CommandLine;
using System.IO;
using System.Linq;
using CnnDsl.Cli.Rendering;
using CnnDsl.Cli.Training;
using CnnDsl.Runtime.Interpreter;
using CnnDsl.Runtime.Training;
using Spectre.Console;

namespace CnnDsl.Cli.Commands;

/// <summary><c>cnn transfer --from CKPT --from-model A --to-model B FILE --out CKPT [--seed S]</c>:
/// initialises model B from a trained model A, the way the VGG paper initialised its deeper
/// configurations from configuration A: tensors with the same name and shape are copied, the
/// rest freshly initialised; every tensor's fate is reported.</summary>
public static class TransferCommand
{
    public static Command Create(CliContext context)
    {
        var file = new Argument<string>("FILE") { Description = "The .cnn file that defines both models." };
        var from = new Option<string>("--from") { Description = "The trained checkpoint of the source model.", HelpName = "CKPT", Required = true };
        var fromModel = new Option<string>("--from-model") { Description = "The source model (the checkpoint must hold exactly its tensors).", HelpName = "A", Required = true };
        var toModel = new Option<string>("--to-model") { Description = "The model to initialise.", HelpName = "B", Required = true };
        var output = new Option<string>("--out", "-o") { Description = "Where the new model's checkpoint goes (epoch 0: train it with `cnn train --resume`).", HelpName = "CKPT", Required = true };
        var seed = TrainingCli.Whole("--seed", "Seeds the fresh initialisation of the tensors not copied. Default: 1.", "S", 0);
        var command = new Command("transfer", "Initialise a deeper model from a trained shallower one (VGG-style): copy every tensor whose name and shape match, report the rest.")
        {
            file, from, fromModel, toModel, output, seed,
        };
        command.SetAction(parse => Run(context, parse.GetValue(file)!, parse.GetValue(from)!, parse.GetValue(fromModel)!, parse.GetValue(toModel)!,
            parse.GetValue(output)!, parse.GetValue(seed) ?? 1));
        return command;
    }

    public static int Run(CliContext context, string path, string fromPath, string fromModel, string toModel, string outPath, long seed)
    {
        var errors = context.ErrorPrinter;
        var clash = CnnDsl.Runtime.Data.OutputPaths.Clash(new[] { ("--out", outPath) }, new[] { ("--from, the checkpoint read", fromPath), ("the model's .cnn file", path) });
        if (clash is not null)
        {
            errors.ToolError(clash);
            return ExitCodes.Usage;
        }

        var (source, exit) = TrainingCli.LoadModel(context, path, fromModel, "--from-model");
        if (source is null) return exit;
        var (target, targetExit) = TrainingCli.LoadModel(context, path, toModel, "--to-model");
        if (target is null) return targetExit;

        Checkpoint checkpoint;
        try
        {
            checkpoint = Checkpoint.Load(fromPath);
        }
        catch (CheckpointException e)
        {
            errors.ToolError(e.Message);
            return ExitCodes.FileError;
        }

        var mismatch = checkpoint.FirstMismatch(source.StateDict().Select(t => (t.Key, t.Tensor.Shape)));
        if (mismatch is not null)
        {
            errors.ToolError($"{fromPath} is not a checkpoint of {source.Name} (it holds {checkpoint.Info.Model}): {mismatch}.");
            return ExitCodes.FileError;
        }

        if (!TrainingCli.EnsureTorch(context)) return ExitCodes.ExternalFailure;
        Determinism.Configure(seed, 1);
        TransferReport report;
        Checkpoint result;
        using (var model = new InterpretedModel(target))
        {
            report = WeightTransfer.Apply(checkpoint, model);
            var copied = report.Copied.Count();
            result = Checkpoint.Capture(model, new CheckpointInfo
            {
                Model = target.Name,
                Source = Path.GetFileName(path),
                Input = target.Input.Dimensions.ToArray(),
                Output = Classifier.KindOf(target),
                Epoch = 0,
                TransferredFrom = new TransferOrigin(Path.GetFileName(fromPath), source.Name, copied, report.Entries.Count, report.CopiedElements, report.TargetElements),
            });
        }

        try
        {
            using var writer = CnnDsl.Runtime.Data.OutputLock.Acquire(outPath);
            result.Save(outPath);
        }
        catch (CnnDsl.Runtime.Data.OutputBusyException e)
        {
            errors.ToolError(e.Message);
            return ExitCodes.FileError;
        }
        catch (IOException e)
        {
            errors.ToolError($"cannot write {outPath}: {e.Message}");
            return ExitCodes.FileError;
        }

        var o = context.Out;
        o.WriteLine($"Initialising {target.Name} from {source.Name} ({fromPath}, epoch {checkpoint.Info.Epoch}): tensors with the same name and shape are copied.");
        var console = ConsoleFactory.Create(o, context.OutSettings);
        var table = new Table().Border(TableBorder.Rounded);
        table.AddColumn("Tensor");
        table.AddColumn(new TableColumn("Shape"));
        table.AddColumn(new TableColumn("Values").RightAligned());
        table.AddColumn("Result");
        foreach (var entry in report.Entries)
        {
            table.AddRow(Markup.Escape(entry.Name), Markup.Escape(StoredTensor.FormatShape(entry.Shape)), TrainingCli.Count(entry.Elements), Markup.Escape(entry.Reason(source.Name)));
        }

        console.Write(table);
        var copiedCount = report.Copied.Count();
        o.WriteLine($"Copied {copiedCount} of {report.Entries.Count} tensors ({TrainingCli.Count(report.CopiedElements)} of {TrainingCli.Count(report.TargetElements)} values, "
            + $"{TrainingCli.Percent(report.TargetElements == 0 ? 0 : (double)report.CopiedElements / report.TargetElements)}); "
            + $"{report.Entries.Count - copiedCount} freshly initialised (seed {seed}).");
        o.WriteLine(report.UnusedSource.Count == 0
            ? $"Every tensor of {source.Name} was used."
            : $"Not used from {source.Name}: {string.Join(", ", report.UnusedSource.Select(t => $"{t.Name} {t.ShapeText}"))}.");
        o.WriteLine($"Wrote {outPath} ({target.Name}, epoch 0). Train it: cnn train {path} --model {target.Name} --resume {outPath} --data DIR");
        return ExitCodes.Success;
    }
}
