using System.CommandLine;
using System.Linq;
using CnnDsl.Cli.Input;
using CnnDsl.Cli.Rendering;
using CnnDsl.Cli.Training;
using CnnDsl.Runtime.Data;
using CnnDsl.Runtime.Interpreter;
using CnnDsl.Runtime.Training;
using CnnDsl.Runtime.Weights;
using Spectre.Console;

namespace CnnDsl.Cli.Commands;

/// <summary><c>cnn test FILE --model M --checkpoint CKPT --data DIR [--split test|train]</c>:
/// the accuracy of a trained model on the test digits, with its confusion matrix.</summary>
public static class TestCommand
{
    public static Command Create(CliContext context)
    {
        var file = new Argument<string>("FILE") { Description = "The .cnn file that defines the model." };
        var model = new Option<string?>("--model", "-m") { Description = "The model (may be left out when the file has one).", HelpName = "NAME" };
        var checkpoint = new Option<string?>("--checkpoint", "-c") { Description = "The checkpoint to evaluate (from `cnn train`); or give --weights.", HelpName = "CKPT" };
        var weights = WeightOptions.Weights("PyTorch weights to evaluate instead of a checkpoint: a state_dict (.pth, .pt) or .safetensors file.");
        var dropAux = WeightOptions.DropAux();
        var data = new Option<string>("--data", "-d") { Description = "Folder of MNIST IDX files; its t10k-* files are the test digits.", HelpName = "DIR", Required = true };
        var split = new Option<string>("--split")
        {
            Description = "Which digits: test (t10k-*, the default) or train (train-*).",
            HelpName = "test|train",
            DefaultValueFactory = _ => "test",
        };
        split.AcceptOnlyFromAmong("test", "train");
        var command = new Command("test", "Evaluate a trained model on the test digits: accuracy, loss and confusion matrix.")
        {
            file, model, checkpoint, data, split, weights, dropAux,
        };
        command.SetAction(parse => Run(context, parse.GetValue(file)!, parse.GetValue(model), parse.GetValue(checkpoint), parse.GetValue(data)!,
            parse.GetValue(split) == "train" ? MnistSplit.Train : MnistSplit.Test, parse.GetValue(weights), parse.GetValue(dropAux)));
        return command;
    }

    public static int Run(CliContext context, string path, string? modelName, string? checkpointPath, string dataFolder, MnistSplit split, string? weights = null, bool dropAux = false)
    {
        var errors = context.ErrorPrinter;
        if ((checkpointPath is null) == (weights is null))
        {
            errors.ToolError("give what to evaluate with exactly one of --checkpoint CKPT and --weights W.");
            return ExitCodes.Usage;
        }

        var (info, exit) = TrainingCli.LoadModel(context, path, modelName);
        if (info is null) return exit;

        Checkpoint? checkpoint;
        LabeledImages digits;
        try
        {
            checkpoint = checkpointPath is null ? null : Checkpoint.Load(checkpointPath);
            digits = MnistFolder.Load(dataFolder, split);
        }
        catch (System.IO.IOException e) when (e is CheckpointException or IdxFormatException)
        {
            errors.ToolError(e.Message);
            return ExitCodes.FileError;
        }

        if (!TrainingCli.EnsureTorch(context)) return ExitCodes.ExternalFailure;
        Determinism.Configure(1, 1);
        Classifier classifier;
        try
        {
            classifier = Classifier.For(new InterpretedModel(info), info);
        }
        catch (System.ArgumentException e)
        {
            errors.ToolError($"{info.Name} cannot be evaluated as a digit classifier: {e.Message}");
            return ExitCodes.Usage;
        }

        try
        {
            if (checkpoint is not null) checkpoint.LoadInto(classifier.Module, checkpointPath, info.Name);
            else WeightLoader.Load(classifier.Module, info.Name, weights!, new WeightLoadOptions { DropAuxiliaryHeads = dropAux }, WeightOptions.ModelsInFile(path).Select(WeightLayout.Of).ToList());
        }
        catch (System.IO.IOException e) when (e is CheckpointException or WeightFileException)
        {
            errors.ToolError(e.Message);
            return ExitCodes.FileError;
        }

        Evaluation evaluation;
        using (var scope = TorchSharp.torch.NewDisposeScope())
        {
            var (images, labels) = DigitTensors.Create(digits, classifier.Input);
            evaluation = Trainer.Evaluate(classifier, images, labels);
        }

        var o = context.Out;
        var trained = checkpoint is null ? "weights" : checkpoint.Info.Epoch == 0 ? "untrained" : $"epoch {checkpoint.Info.Epoch}";
        o.WriteLine($"{info.Name} ({path}), {checkpointPath ?? weights} ({trained})");
        o.WriteLine($"{(split == MnistSplit.Test ? "Test" : "Training")} digits: {dataFolder}: {digits.Describe()}; {DigitTensors.DescribeFit(digits.Rows, digits.Columns, classifier.Input)}");
        o.WriteLine($"Accuracy {TrainingCli.Percent(evaluation.Accuracy)} ({TrainingCli.Count(evaluation.Correct)} of {TrainingCli.Count(evaluation.Count)}), mean loss {TrainingCli.Loss(evaluation.Loss)}");
        o.WriteLine();
        o.WriteLine("Confusion matrix: rows are the true digits, columns the predicted ones.");
        var console = ConsoleFactory.Create(o, context.OutSettings);
        console.Write(ConfusionTable(evaluation));
        return ExitCodes.Success;
    }

    /// <summary>The confusion matrix with each row's total and accuracy.</summary>
    public static Table ConfusionTable(Evaluation evaluation)
    {
        var classes = evaluation.Confusion.GetLength(0);
        var table = new Table().Border(TableBorder.Rounded);
        table.AddColumn(new TableColumn("true").RightAligned());
        for (var p = 0; p < classes; p++) table.AddColumn(new TableColumn(p.ToString(System.Globalization.CultureInfo.InvariantCulture)).RightAligned());
        table.AddColumn(new TableColumn("total").RightAligned());
        table.AddColumn(new TableColumn("accuracy").RightAligned());
        var accuracy = evaluation.ClassAccuracy();
        for (var t = 0; t < classes; t++)
        {
            var cells = Enumerable.Range(0, classes).Select(p => evaluation.Confusion[t, p] == 0 ? "." : TrainingCli.Count(evaluation.Confusion[t, p]));
            var total = Enumerable.Range(0, classes).Sum(p => evaluation.Confusion[t, p]);
            table.AddRow(new[] { t.ToString(System.Globalization.CultureInfo.InvariantCulture) }
                .Concat(cells)
                .Concat(new[] { TrainingCli.Count(total), double.IsNaN(accuracy[t]) ? "-" : TrainingCli.Percent(accuracy[t]) })
                .Select(Markup.Escape).ToArray());
        }

        return table;
    }
}
